package io.weir.spi.wal;

import io.weir.spi.storage.DurableFile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;

import static java.util.Objects.requireNonNull;

/**
 * Per consumer (a persistent query's consumer id), the log offset it committed and when it was last
 * seen, in a small file replaced atomically on every change. A consumer not seen for the retention
 * period is forgotten: it no longer holds segments back, and resumes as a new consumer if it returns.
 * File: a version line, then one line per consumer: {@code <offset> <seen epoch millis> <consumer id>}.
 * Thread-safe.
 */
final class ConsumerPositions {
    private static final String VERSION_LINE = "weir-wal-consumers 1";

    private record Position(long offset, long seenMillis) {
    }

    private final DurableFile file;
    private final Map<String, Position> positions = new LinkedHashMap<>();

    private ConsumerPositions(DurableFile file) {
        this.file = file;
    }

    static ConsumerPositions load(Path path) throws IOException {
        ConsumerPositions loaded = new ConsumerPositions(new DurableFile(path));
        byte[] content = loaded.file.read().orElse(null);
        if (content == null) {
            return loaded;
        }
        String[] lines = new String(content, StandardCharsets.UTF_8).split("\n");
        if (lines.length == 0 || !lines[0].equals(VERSION_LINE)) {
            throw new IOException(path + " is not a consumer position file of this version (first line '"
                    + (lines.length == 0 ? "" : lines[0]) + "')");
        }
        for (int i = 1; i < lines.length; i++) {
            String[] fields = lines[i].split(" ", 3);
            if (fields.length != 3) {
                throw new IOException(path + " line " + (i + 1) + " is damaged: '" + lines[i] + "'");
            }
            loaded.positions.put(fields[2], new Position(Long.parseLong(fields[0]), Long.parseLong(fields[1])));
        }
        return loaded;
    }

    synchronized OptionalLong get(String consumer) {
        Position position = positions.get(consumer);
        return position == null ? OptionalLong.empty() : OptionalLong.of(position.offset());
    }

    /** Records {@code offset} for {@code consumer}, seen now, and forgets consumers not seen within {@code retention}. */
    synchronized void commit(String consumer, long offset, long nowMillis, Duration retention) throws IOException {
        requireNonNull(consumer, "consumer is null");
        if (consumer.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("consumer id contains a line break: " + consumer);
        }
        Position old = positions.get(consumer);
        positions.put(consumer, new Position(offset, nowMillis));
        positions.values().removeIf(position -> position.seenMillis() < nowMillis - retention.toMillis());
        try {
            write();
        } catch (IOException e) {
            // The file still has the old state; so must memory, or the two would disagree after a restart.
            if (old == null) {
                positions.remove(consumer);
            } else {
                positions.put(consumer, old);
            }
            throw e;
        }
    }

    /** Forgets {@code consumer}: it no longer holds segments back, and starts as a new consumer if it returns. */
    synchronized void forget(String consumer) throws IOException {
        Position old = positions.remove(consumer);
        if (old == null) {
            return;
        }
        try {
            write();
        } catch (IOException e) {
            positions.put(consumer, old);
            throw e;
        }
    }

    /** The smallest offset of the consumers seen within {@code retention}; empty when there are none. */
    synchronized OptionalLong minimum(long nowMillis, Duration retention) {
        return positions.values().stream().filter(position -> position.seenMillis() >= nowMillis - retention.toMillis())
                .mapToLong(Position::offset).min();
    }

    private void write() throws IOException {
        StringBuilder text = new StringBuilder(VERSION_LINE).append('\n');
        positions.forEach((consumer, position) -> text.append(position.offset()).append(' ').append(position.seenMillis())
                .append(' ').append(consumer).append('\n'));
        file.write(text.toString().getBytes(StandardCharsets.UTF_8));
    }
}
