package io.weir.spi.wal;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Reads a {@link WriteAheadLog} in offset order from a given offset, up to its durable end, without
 * blocking for new records. When retention deleted records before the reader got to them, it continues
 * at the oldest record left and counts the gap ({@link #takeMissed()}). Not thread-safe.
 */
public final class WalReader implements AutoCloseable {
    /** Receives records read. */
    @FunctionalInterface
    public interface RecordSink {
        void accept(long offset, byte[] payload);
    }

    private final WriteAheadLog log;
    private long position;
    private long missed;
    private long segmentBase = -1;
    private Path segmentPath;
    private FileChannel channel;
    private RecordScanner scanner;

    WalReader(WriteAheadLog log, long offset) {
        if (offset < 0) {
            throw new IllegalArgumentException("offset must not be negative: " + offset);
        }
        this.log = log;
        this.position = offset;
    }

    /** The offset of the next record this reader returns. */
    public long position() {
        return position;
    }

    /** Records the log had deleted before this reader got to them, since the last call; then zero. */
    public long takeMissed() {
        long taken = missed;
        missed = 0;
        return taken;
    }

    /** Records after the position that are durable now. */
    public long lag() {
        return Math.max(0, log.endOffset() - position);
    }

    /**
     * Passes up to {@code maxRecords} durable records from the position on to {@code sink} and returns
     * how many; 0 when there are none now.
     *
     * @throws WeirException ({@link ErrorCode#SOURCE_ERROR}) when a segment cannot be read or is damaged
     */
    public int read(int maxRecords, RecordSink sink) {
        WriteAheadLog.Durable durable = log.durable();
        int count = 0;
        try {
            while (count < maxRecords && position < durable.endOffset()) {
                if (scanner == null && !openSegment(durable)) {
                    break;
                }
                scanner.limit(segmentBase == durable.segmentBase() ? durable.segmentBytes() : Long.MAX_VALUE);
                RecordScanner.Result result = scanner.next();
                if (result == RecordScanner.Result.RECORD) {
                    sink.accept(position++, scanner.payload());
                    count++;
                    continue;
                }
                OptionalLong next = log.nextSegmentBase(segmentBase);
                if (result == RecordScanner.Result.END && next.isPresent() && position >= next.getAsLong()) {
                    closeSegment(); // completed: on to the next segment
                    continue;
                }
                if (result == RecordScanner.Result.END && next.isEmpty()) {
                    break; // the active segment's end; cannot happen before the durable end, but does no harm
                }
                throw damaged(result == RecordScanner.Result.END ? "it ends before offset " + next.getAsLong()
                        : scanner.problem());
            }
        } catch (IOException e) {
            throw new WeirException(ErrorCode.SOURCE_ERROR, log.owner() + ": cannot read the write-ahead log segment "
                    + segmentPath + ": " + e.getMessage(), e);
        }
        return count;
    }

    /** Opens the segment holding the position and moves to it; false when there is none. */
    private boolean openSegment(WriteAheadLog.Durable durable) throws IOException {
        for (int attempt = 0; attempt < 3; attempt++) {
            Optional<Map.Entry<Long, Path>> segment = log.segmentOf(position);
            if (segment.isEmpty() || position < log.firstOffset()) {
                // Deleted by retention before this reader got there.
                long first = log.firstOffset();
                missed += first - position;
                position = first;
                continue;
            }
            try {
                channel = FileChannel.open(segment.get().getValue(), StandardOpenOption.READ);
            } catch (NoSuchFileException e) {
                continue; // deleted just now: look again
            }
            segmentBase = segment.get().getKey();
            segmentPath = segment.get().getValue();
            scanner = new RecordScanner(channel, SegmentFormat.HEADER_BYTES);
            scanner.limit(segmentBase == durable.segmentBase() ? durable.segmentBytes() : Long.MAX_VALUE);
            for (long offset = segmentBase; offset < position; offset++) {
                if (scanner.next() != RecordScanner.Result.RECORD) {
                    throw damaged("it ends before offset " + position + " (" + scanner.problem() + ")");
                }
            }
            return true;
        }
        return false;
    }

    private WeirException damaged(String problem) {
        return new WeirException(ErrorCode.SOURCE_ERROR, log.owner() + ": the write-ahead log segment " + segmentPath
                + " is damaged at offset " + position + ": " + problem + ". Move the segment files up to this one away to "
                + "continue after it");
    }

    private void closeSegment() throws IOException {
        scanner = null;
        if (channel != null) {
            channel.close();
            channel = null;
        }
    }

    @Override
    public void close() {
        try {
            closeSegment();
        } catch (IOException e) {
            // A read-only channel: nothing is lost.
        }
    }
}
