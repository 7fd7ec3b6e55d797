package io.weir.connector.kinesis;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.connector.SplitOffsets;
import io.weir.spi.storage.DurableFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;

/**
 * The positions persistent queries committed, per consumer id, in the stream's data directory: Kinesis keeps
 * no consumer positions of its own (as Kafka's consumer groups do). One file per consumer, replaced atomically
 * ({@link DurableFile}); a query restored from a checkpoint starts at the checkpoint's positions instead.
 * Thread-safe.
 */
final class PositionStore {
    private static final Logger LOG = LoggerFactory.getLogger(PositionStore.class);

    private final Path directory;

    PositionStore(Path directory) {
        this.directory = requireNonNull(directory, "directory is null");
    }

    /** What {@code consumerId} committed, shard by shard; empty when it committed nothing. */
    synchronized Map<String, Long> load(String consumerId) {
        try {
            Optional<byte[]> bytes = file(consumerId).read();
            if (bytes.isEmpty()) {
                return Map.of();
            }
            Properties properties = new Properties();
            properties.load(new StringReader(new String(bytes.get(), StandardCharsets.UTF_8)));
            Map<String, Long> offsets = new LinkedHashMap<>();
            new TreeMap<>(properties).forEach((shard, offset) -> offsets.put((String) shard, Long.parseLong((String) offset)));
            return offsets;
        } catch (IOException | NumberFormatException e) {
            throw new WeirException(ErrorCode.SOURCE_ERROR, "cannot read the Kinesis positions of consumer '" + consumerId
                    + "' from " + file(consumerId).path() + ": " + e, e);
        }
    }

    /** Stores {@code offsets} over what {@code consumerId} had (shards not listed keep theirs). Failures are logged. */
    synchronized void store(String consumerId, SplitOffsets offsets) {
        try {
            Map<String, Long> merged = new TreeMap<>(load(consumerId));
            merged.putAll(offsets.offsets());
            StringBuilder text = new StringBuilder("# Kinesis shard positions of consumer ").append(consumerId).append('\n');
            merged.forEach((shard, offset) -> text.append(shard).append('=').append(offset).append('\n'));
            Files.createDirectories(directory);
            file(consumerId).write(text.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            LOG.warn("Cannot store the Kinesis positions of consumer '{}' in {}: {}; the next commit tries again", consumerId,
                    directory, e.toString());
        }
    }

    synchronized void forget(String consumerId) {
        try {
            Files.deleteIfExists(file(consumerId).path());
        } catch (IOException e) {
            throw new WeirException(ErrorCode.SOURCE_ERROR, "cannot delete the Kinesis positions of consumer '" + consumerId
                    + "' at " + file(consumerId).path() + ": " + e + "; delete the file by hand", e);
        }
    }

    private DurableFile file(String consumerId) {
        return new DurableFile(directory.resolve(consumerId.replaceAll("[^A-Za-z0-9_.-]", "_") + ".positions"));
    }
}
