package io.weir.spi.wal;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * A durable, append-only log of opaque records in one directory, for sources that cannot replay what
 * they received (HTTP ingest; sockets and ZeroMQ are to follow). Records are numbered by a global offset that only grows
 * (the first record ever is 0, and offsets are never reused, also across restarts), and stored in
 * segment files ({@link SegmentFormat}) of about {@code 'wal.segment-bytes'} each.
 *
 * <p><b>Durability.</b> {@link #append} returns once the records are forced to disk. Appenders
 * write under a lock and then wait for an fsync; one of the waiting appenders performs it for all the
 * others (group commit), under {@link WalSync#INTERVAL} no sooner than 10 ms after the previous one, so
 * that concurrent appenders share one fsync. Readers see only forced records, so a consumer never
 * commits past a record a crash could still lose.
 *
 * <p><b>Recovery.</b> Opening checks the last segment record by record: a tail cut or damaged by a crash
 * during a write is truncated to the last valid record, with a warning. Earlier segments were forced
 * before the next one was started; damage there is reported when a reader reaches it.
 *
 * <p><b>Retention.</b> Consumers (persistent queries) {@linkplain #commit commit} their offsets into a
 * small file. A segment other than the active one is deleted when every consumer seen within
 * {@code 'wal.retention'} has committed past it and it was completed longer than the retention ago.
 * When the log would grow beyond {@code 'wal.max-bytes'}, segments every such consumer committed past are
 * deleted however young; if that is not enough, {@link #append} raises {@link WalFullException}.
 *
 * <p>Thread-safe. One instance per directory per server ({@link WriteAheadLogs}).
 */
public final class WriteAheadLog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WriteAheadLog.class);
    private static final String CONSUMERS_FILE = "consumers";

    /**
     * How far the log is durable: records before {@code endOffset}, which end in segment
     * {@code segmentBase} at byte {@code segmentBytes}.
     */
    record Durable(long endOffset, long segmentBase, long segmentBytes) {
    }

    private static final class Segment {
        final long base;
        final Path path;
        /** When the segment was completed (the next one started); Long.MAX_VALUE while active. */
        volatile long sealedMillis = Long.MAX_VALUE;

        Segment(long base, Path path) {
            this.base = base;
            this.path = path;
        }
    }

    private final Path directory;
    private final String owner;
    private final InstantSource clock;
    private final ConsumerPositions consumers;
    private volatile WalSettings settings;

    /** By first offset; the last one is the active segment. Removed from the front by retention only. */
    private final ConcurrentSkipListMap<Long, Segment> segments = new ConcurrentSkipListMap<>();
    private final AtomicLong totalBytes = new AtomicLong();
    private final AtomicLong syncs = new AtomicLong();
    /** When the newest appends arrived, for readers measuring end-to-end latency. */
    private final AppendTimes appendTimes = new AppendTimes();
    /** Whether the last append was refused for lack of room. */
    private volatile boolean refusing;

    private final ReentrantLock writeLock = new ReentrantLock();
    // Guarded by writeLock.
    private FileChannel active;
    private long activeBase;
    private long activeBytes;
    private long nextOffset;
    private boolean closed;
    private IOException failure;

    private volatile Durable durable;

    // Group commit, guarded by syncMonitor.
    private final Object syncMonitor = new Object();
    private boolean syncing;
    private long lastSyncNanos = System.nanoTime() - TimeUnit.SECONDS.toNanos(1);

    private WriteAheadLog(Path directory, String owner, WalSettings settings, InstantSource clock,
                          ConsumerPositions consumers) {
        this.directory = directory;
        this.owner = owner;
        this.settings = settings;
        this.clock = clock;
        this.consumers = consumers;
    }

    /**
     * Opens the log in {@code directory}, creating it when empty and recovering a damaged tail.
     *
     * @param owner what the log belongs to, for messages: {@code Stream 'readings'}
     */
    public static WriteAheadLog open(Path directory, String owner, WalSettings settings, InstantSource clock) throws IOException {
        requireNonNull(directory, "directory is null");
        requireNonNull(owner, "owner is null");
        requireNonNull(settings, "settings is null");
        requireNonNull(clock, "clock is null");
        Path absolute = directory.toAbsolutePath().normalize();
        Files.createDirectories(absolute);
        WriteAheadLog log = new WriteAheadLog(absolute, owner, settings, clock,
                ConsumerPositions.load(absolute.resolve(CONSUMERS_FILE)));
        log.recover();
        return log;
    }

    public Path directory() {
        return directory;
    }

    public WalSettings settings() {
        return settings;
    }

    /** Applies new settings (a stream re-created with other options); the segment size applies from the next segment. */
    public void updateSettings(WalSettings newSettings) {
        this.settings = requireNonNull(newSettings, "newSettings is null");
    }

    private void recover() throws IOException {
        TreeMap<Long, Path> files = new TreeMap<>();
        try (Stream<Path> listing = Files.list(directory)) {
            listing.forEach(file -> SegmentFormat.baseOffset(file).ifPresent(base -> files.put(base, file)));
        }
        // A segment whose header was not completely written: the crash came while it was being started.
        while (!files.isEmpty()) {
            Map.Entry<Long, Path> last = files.lastEntry();
            Optional<String> problem;
            try (FileChannel channel = FileChannel.open(last.getValue(), StandardOpenOption.READ)) {
                problem = SegmentFormat.checkHeader(channel, last.getKey());
            }
            if (problem.isEmpty()) {
                break;
            }
            if (Files.size(last.getValue()) >= SegmentFormat.HEADER_BYTES) {
                throw new IOException(owner + ": write-ahead log segment " + last.getValue() + " cannot be read: "
                        + problem.get() + ". Move the file away to start the log after it");
            }
            LOG.warn("{}: removing write-ahead log segment {} whose header was cut short by a crash ({})", owner,
                    last.getValue(), problem.get());
            Files.delete(last.getValue());
            files.remove(last.getKey());
        }
        for (Map.Entry<Long, Path> file : files.entrySet()) {
            if (!file.getKey().equals(files.lastKey())) {
                try (FileChannel channel = FileChannel.open(file.getValue(), StandardOpenOption.READ)) {
                    Optional<String> problem = SegmentFormat.checkHeader(channel, file.getKey());
                    if (problem.isPresent()) {
                        throw new IOException(owner + ": write-ahead log segment " + file.getValue() + " cannot be read: "
                                + problem.get());
                    }
                }
            }
            Segment segment = new Segment(file.getKey(), file.getValue());
            segment.sealedMillis = Files.getLastModifiedTime(file.getValue()).toMillis();
            segments.put(file.getKey(), segment);
            totalBytes.addAndGet(Files.size(file.getValue()));
        }
        if (segments.isEmpty()) {
            startSegment(0);
        } else {
            Segment last = segments.lastEntry().getValue();
            last.sealedMillis = Long.MAX_VALUE;
            recoverTail(last);
        }
        durable = new Durable(nextOffset, activeBase, activeBytes);
        LOG.info("{}: write-ahead log {} opened: offsets {} to {}, {} segment(s), {} bytes", owner, directory,
                segments.firstKey(), nextOffset, segments.size(), totalBytes.get());
    }

    /** Opens the last segment for appending after its last valid record, cutting off a damaged tail. */
    private void recoverTail(Segment last) throws IOException {
        FileChannel channel = FileChannel.open(last.path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            RecordScanner scanner = new RecordScanner(channel, SegmentFormat.HEADER_BYTES);
            long count = 0;
            RecordScanner.Result result;
            while ((result = scanner.next()) == RecordScanner.Result.RECORD) {
                count++;
            }
            long size = channel.size();
            if (result == RecordScanner.Result.CORRUPT) {
                LOG.warn("{}: the write-ahead log {} ends in a damaged record ({}) after offset {}, as a crash during a write "
                        + "leaves it; cutting off its last {} bytes. Records before it are intact", owner, last.path,
                        scanner.problem(), last.base + count, size - scanner.position());
                channel.truncate(scanner.position());
                channel.force(true);
                totalBytes.addAndGet(scanner.position() - size);
            }
            active = channel;
            activeBase = last.base;
            activeBytes = scanner.position();
            nextOffset = last.base + count;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** Creates the segment starting at {@code base} and makes it the active one. Holds writeLock or runs before publication. */
    private void startSegment(long base) throws IOException {
        Path path = directory.resolve(SegmentFormat.fileName(base));
        FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        try {
            ByteBuffer header = SegmentFormat.header(base);
            while (header.hasRemaining()) {
                channel.write(header, header.position());
            }
            channel.force(true);
        } catch (IOException e) {
            channel.close();
            Files.deleteIfExists(path);
            throw e;
        }
        forceDirectory();
        segments.put(base, new Segment(base, path));
        totalBytes.addAndGet(SegmentFormat.HEADER_BYTES);
        active = channel;
        activeBase = base;
        activeBytes = SegmentFormat.HEADER_BYTES;
        nextOffset = base;
    }

    /**
     * Appends {@code records} in order and returns the offset of the first, once all are forced to disk.
     *
     * @throws WalFullException when the log holds {@code 'wal.max-bytes'} that consumers still need
     * @throws WeirException    ({@link ErrorCode#SOURCE_ERROR}) when writing or forcing fails
     */
    public long append(List<byte[]> records) {
        if (records.isEmpty()) {
            return durable.endOffset();
        }
        long arrivalNanos = System.nanoTime();
        ByteBuffer framed = SegmentFormat.frame(records); // checksums outside the lock
        int bytes = framed.remaining();
        long first;
        long end;
        writeLock.lock();
        try {
            checkWritable();
            WalSettings current = settings;
            if (totalBytes.get() + bytes > current.maxBytes()) {
                deleteSegments(true);
                if (totalBytes.get() + bytes > current.maxBytes()) {
                    refusing = true;
                    throw new WalFullException(owner + ": the write-ahead log is full (" + totalBytes.get() + " of "
                            + current.maxBytes() + " bytes, 'wal.max-bytes') with records its persistent queries have not "
                            + "processed yet; retry later, or raise 'wal.max-bytes'");
                }
            }
            if (activeBytes > SegmentFormat.HEADER_BYTES && activeBytes + bytes > current.segmentBytes()) {
                roll();
            }
            long at = activeBytes;
            try {
                while (framed.hasRemaining()) {
                    at += active.write(framed, at);
                }
            } catch (IOException e) {
                cutBack();
                throw new WeirException(ErrorCode.SOURCE_ERROR, owner + ": cannot write to the write-ahead log in "
                        + directory + ": " + e.getMessage() + ". Check the disk (space, permissions)", e);
            }
            first = nextOffset;
            nextOffset += records.size();
            end = nextOffset;
            appendTimes.appended(first, end, arrivalNanos);
            activeBytes = at;
            totalBytes.addAndGet(bytes);
            refusing = false;
        } finally {
            writeLock.unlock();
        }
        awaitDurable(end);
        return first;
    }

    /** After a failed write: removes what part of it reached the file, so the next record follows the last whole one. */
    private void cutBack() {
        try {
            active.truncate(activeBytes);
        } catch (IOException e) {
            failure = e;
            LOG.error("{}: cannot cut a failed write off the write-ahead log {}; appends fail until the server restarts",
                    owner, directory, e);
        }
    }

    private void checkWritable() {
        if (closed) {
            throw new WeirException(ErrorCode.SOURCE_ERROR, owner + ": the write-ahead log in " + directory + " is closed");
        }
        if (failure != null) {
            throw new WeirException(ErrorCode.SOURCE_ERROR, owner + ": the write-ahead log in " + directory
                    + " failed earlier (" + failure.getMessage() + "); restart the server once the disk is fixed", failure);
        }
    }

    /** Completes the active segment (forced, so that nothing before the new one can be lost) and starts the next. */
    private void roll() {
        try {
            active.force(false);
            active.close();
            segments.get(activeBase).sealedMillis = clock.millis();
            startSegment(nextOffset);
        } catch (IOException e) {
            failure = e;
            throw new WeirException(ErrorCode.SOURCE_ERROR, owner + ": cannot start a new write-ahead log segment in "
                    + directory + ": " + e.getMessage() + ". Check the disk (space, permissions)", e);
        }
        deleteSegments(false);
    }

    /** Waits until the records before {@code end} are forced; the first waiter to find no fsync running performs it. */
    private void awaitDurable(long end) {
        synchronized (syncMonitor) {
            while (durable.endOffset() < end) {
                if (!syncing) {
                    syncing = true;
                    break;
                }
                try {
                    syncMonitor.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new WeirException(ErrorCode.SOURCE_ERROR, owner + ": interrupted while waiting for the write-ahead log");
                }
            }
            if (durable.endOffset() >= end) {
                return;
            }
        }
        try {
            // The group-commit window: appenders arriving meanwhile are covered by this fsync.
            long wait = lastSyncNanos + settings.syncInterval().toNanos() - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            sync();
        } finally {
            synchronized (syncMonitor) {
                syncing = false;
                lastSyncNanos = System.nanoTime();
                syncMonitor.notifyAll();
            }
        }
    }

    /** Forces everything written so far and publishes it to readers. */
    private void sync() {
        FileChannel channel;
        Durable target;
        writeLock.lock();
        try {
            checkWritable();
            channel = active;
            target = new Durable(nextOffset, activeBase, activeBytes);
        } finally {
            writeLock.unlock();
        }
        try {
            channel.force(false);
            syncs.incrementAndGet();
        } catch (ClosedChannelException e) {
            // Rolled meanwhile: the roll forced this channel before closing it. (Closing the log fails below.)
            writeLock.lock();
            try {
                checkWritable();
            } finally {
                writeLock.unlock();
            }
        } catch (IOException e) {
            // After a failed fsync the page cache cannot be trusted to reach the disk: stop appending.
            writeLock.lock();
            try {
                failure = e;
            } finally {
                writeLock.unlock();
            }
            throw new WeirException(ErrorCode.SOURCE_ERROR, owner + ": cannot force the write-ahead log in " + directory
                    + " to disk: " + e.getMessage(), e);
        }
        synchronized (syncMonitor) {
            if (target.endOffset() > durable.endOffset()) {
                durable = target;
            }
        }
    }

    /** The offset after the last durable record: where a reader that wants only new records starts. */
    public long endOffset() {
        return durable.endOffset();
    }

    /** The offset of the oldest record still held. */
    public long firstOffset() {
        return segments.firstKey();
    }

    /** Bytes in the segment files. */
    public long sizeBytes() {
        return totalBytes.get();
    }

    /** The fsyncs of appended records so far; for tests of group commit. */
    long syncCount() {
        return syncs.get();
    }

    /** Whether the last append was refused for lack of room (see {@link WalFullException}). */
    public boolean isFull() {
        return refusing;
    }

    /** A reader from {@code offset} (at most {@link #endOffset()}; before {@link #firstOffset()} it starts there). */
    /**
     * The append that wrote the record at {@code offset}: its offsets and when it arrived ({@link System#nanoTime()}),
     * or {@link io.weir.spi.batch.Batch#ARRIVAL_UNKNOWN} for records appended before this server started or too long ago.
     */
    AppendTimes.Append appendOf(long offset) {
        return appendTimes.of(offset);
    }

    public WalReader reader(long offset) {
        return new WalReader(this, offset);
    }

    /** The offset {@code consumer} committed last, if it was seen within the retention period. */
    public OptionalLong committed(String consumer) {
        return consumers.get(consumer);
    }

    /**
     * Records that {@code consumer} has processed every record before {@code offset}: kept across restarts,
     * and segments before the smallest committed offset may be deleted.
     */
    public void commit(String consumer, long offset) {
        try {
            consumers.commit(consumer, offset, clock.millis(), settings.retention());
        } catch (IOException e) {
            throw new WeirException(ErrorCode.SOURCE_ERROR, owner + ": cannot record the position of consumer '" + consumer
                    + "' in " + directory + ": " + e.getMessage(), e);
        }
        deleteSegmentsRetentionAllows();
    }

    /**
     * Forgets {@code consumer} (a persistent query stopped for good): a consumer of that id later starts
     * as a new one, and the segments it held back may be deleted as retention allows.
     */
    public void forget(String consumer) {
        try {
            consumers.forget(consumer);
        } catch (IOException e) {
            throw new WeirException(ErrorCode.SOURCE_ERROR, owner + ": cannot forget consumer '" + consumer + "' in " + directory
                    + ": " + e.getMessage(), e);
        }
        deleteSegmentsRetentionAllows();
    }

    /** After a consumer moved on or was forgotten: the segments no consumer needs any more may go. */
    private void deleteSegmentsRetentionAllows() {
        writeLock.lock();
        try {
            if (!closed) {
                deleteSegments(false);
            }
        } finally {
            writeLock.unlock();
        }
    }

    /** Deletes the segments retention allows (see the class comment); holds writeLock. */
    private void deleteSegments(boolean underPressure) {
        WalSettings current = settings;
        long now = clock.millis();
        long keepFrom = consumers.minimum(now, current.retention()).orElse(Long.MAX_VALUE);
        for (Segment segment : segments.values()) {
            Long nextBase = segments.higherKey(segment.base);
            if (nextBase == null || nextBase > keepFrom) {
                return; // the active segment, or one a consumer still needs
            }
            if (!underPressure && now - segment.sealedMillis < current.retention().toMillis()) {
                return; // younger ones follow
            }
            try {
                long size = Files.size(segment.path);
                Files.delete(segment.path);
                segments.remove(segment.base);
                totalBytes.addAndGet(-size);
                LOG.info("{}: deleted write-ahead log segment {} (offsets {} to {}){}", owner, segment.path.getFileName(),
                        segment.base, nextBase, underPressure ? " early, to make room ('wal.max-bytes')" : "");
            } catch (IOException e) {
                LOG.warn("{}: cannot delete write-ahead log segment {}: {}", owner, segment.path, e.toString());
                return;
            }
        }
    }

    // For readers.

    Durable durable() {
        return durable;
    }

    /** The segment holding {@code offset}: its first offset and file; empty when it was deleted (or never existed). */
    Optional<Map.Entry<Long, Path>> segmentOf(long offset) {
        Map.Entry<Long, Segment> entry = segments.floorEntry(offset);
        return entry == null ? Optional.empty() : Optional.of(Map.entry(entry.getKey(), entry.getValue().path));
    }

    /** The first offset of the segment after the one starting at {@code base}, if there is one. */
    OptionalLong nextSegmentBase(long base) {
        Long next = segments.higherKey(base);
        return next == null ? OptionalLong.empty() : OptionalLong.of(next);
    }

    String owner() {
        return owner;
    }

    /** Forces and closes the active segment; appends and syncs fail from now on. Idempotent. */
    @Override
    public void close() {
        writeLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            active.force(false);
            active.close();
        } catch (IOException e) {
            LOG.warn("{}: closing the write-ahead log {} failed: {}", owner, directory, e.toString());
        } finally {
            writeLock.unlock();
        }
    }

    private void forceDirectory() {
        // Makes a new segment's name durable; not every platform can open a directory, which is fine there.
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            LOG.debug("Cannot force directory {}: {}", directory, e.toString());
        }
    }

    @Override
    public String toString() {
        Durable now = durable;
        return "WriteAheadLog[" + directory + ", offsets " + firstOffset() + ".." + now.endOffset() + ", " + totalBytes.get()
                + " bytes]";
    }
}
