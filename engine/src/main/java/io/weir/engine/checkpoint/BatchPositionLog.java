package io.weir.engine.checkpoint;

import io.weir.spi.connector.SplitOffsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

import static java.util.Objects.requireNonNull;

/**
 * The offset log of a query, as Spark Structured Streaming keeps one: the input positions of every
 * micro-batch since a checkpoint, appended and forced to disk before the batch's results are flushed.
 * After a crash the batches after the restored checkpoint are replayed with exactly these boundaries,
 * so rows that were late (or on time) before the crash are so again. One file per checkpoint it
 * follows ({@code batches-<checkpoint id>.log}); each entry is length-prefixed and checksummed, and a
 * torn last entry is ignored. Used by the query's thread.
 */
final class BatchPositionLog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BatchPositionLog.class);
    private static final Pattern FILE = Pattern.compile("batches-(\\d{20})\\.log");
    private static final int VERSION = 1;

    private final Path directory;
    private FileChannel channel;
    private long base = -1;

    BatchPositionLog(Path directory) {
        this.directory = requireNonNull(directory, "directory is null");
    }

    /** Appends a batch's positions to the log following checkpoint {@code base} (0: none) and forces it to disk. */
    void append(long base, BatchPositions positions) throws IOException {
        if (channel == null || this.base != base) {
            close();
            Files.createDirectories(directory);
            channel = FileChannel.open(file(base), StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            this.base = base;
        }
        byte[] payload = encode(positions);
        CRC32C crc = new CRC32C();
        crc.update(payload);
        ByteBuffer entry = ByteBuffer.allocate(4 + 8 + payload.length);
        entry.putInt(payload.length).putLong(crc.getValue()).put(payload).flip();
        while (entry.hasRemaining()) {
            channel.write(entry);
        }
        channel.force(false);
    }

    /** Every batch logged in the directory, by batch number (a later log's entry for a batch wins). */
    static TreeMap<Long, BatchPositions> readAll(Path directory) {
        TreeMap<Long, BatchPositions> batches = new TreeMap<>();
        if (!Files.isDirectory(directory)) {
            return batches;
        }
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.sorted().toList()) {
                if (FILE.matcher(file.getFileName().toString()).matches()) {
                    read(file, batches);
                }
            }
        } catch (IOException e) {
            LOG.warn("Cannot list the offset logs in {}: {}; batches are replayed as the sources deliver them", directory, e.toString());
        }
        return batches;
    }

    private static void read(Path file, Map<Long, BatchPositions> into) {
        ByteBuffer bytes;
        try {
            bytes = ByteBuffer.wrap(Files.readAllBytes(file));
        } catch (IOException e) {
            LOG.warn("Cannot read offset log {}: {}", file, e.toString());
            return;
        }
        while (bytes.remaining() >= 12) {
            int length = bytes.getInt();
            long stored = bytes.getLong();
            if (length < 0 || length > bytes.remaining()) {
                LOG.warn("Offset log {} ends with a torn entry; the batches before it are kept", file);
                return;
            }
            byte[] payload = new byte[length];
            bytes.get(payload);
            CRC32C crc = new CRC32C();
            crc.update(payload);
            if (crc.getValue() != stored) {
                LOG.warn("Offset log {} has an entry with a wrong checksum; the batches before it are kept", file);
                return;
            }
            BatchPositions positions = decode(payload);
            into.put(positions.batch(), positions);
        }
    }

    /** Deletes the logs that follow none of {@code checkpoints} (0 stands for "no checkpoint yet"). */
    static void prune(Path directory, Set<Long> checkpoints) {
        if (!Files.isDirectory(directory)) {
            return;
        }
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.toList()) {
                Matcher matcher = FILE.matcher(file.getFileName().toString());
                if (matcher.matches() && !checkpoints.contains(Long.parseLong(matcher.group(1)))) {
                    Files.deleteIfExists(file);
                }
            }
        } catch (IOException e) {
            LOG.warn("Cannot delete old offset logs in {}: {}", directory, e.toString());
        }
    }

    private Path file(long base) {
        return directory.resolve(String.format(Locale.ROOT, "batches-%020d.log", base));
    }

    private static byte[] encode(BatchPositions positions) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeInt(VERSION);
            out.writeLong(positions.batch());
            out.writeInt(positions.sources().size());
            for (Map.Entry<Integer, SplitOffsets> source : positions.sources().entrySet()) {
                out.writeInt(source.getKey());
                out.writeInt(source.getValue().offsets().size());
                for (Map.Entry<String, Long> split : source.getValue().offsets().entrySet()) {
                    byte[] name = split.getKey().getBytes(StandardCharsets.UTF_8);
                    out.writeInt(name.length);
                    out.write(name);
                    out.writeLong(split.getValue());
                }
            }
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
    }

    private static BatchPositions decode(byte[] payload) {
        ByteBuffer in = ByteBuffer.wrap(payload);
        int version = in.getInt();
        if (version != VERSION) {
            throw new IllegalStateException("offset log entry of version " + version);
        }
        long batch = in.getLong();
        int sources = in.getInt();
        Map<Integer, SplitOffsets> positions = new LinkedHashMap<>();
        for (int s = 0; s < sources; s++) {
            int index = in.getInt();
            int splits = in.getInt();
            Map<String, Long> offsets = new LinkedHashMap<>();
            for (int i = 0; i < splits; i++) {
                byte[] name = new byte[in.getInt()];
                in.get(name);
                offsets.put(new String(name, StandardCharsets.UTF_8), in.getLong());
            }
            positions.put(index, SplitOffsets.of(offsets));
        }
        return new BatchPositions(batch, positions);
    }

    @Override
    public void close() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                LOG.debug("Closing an offset log failed: {}", e.toString());
            }
            channel = null;
        }
    }
}
