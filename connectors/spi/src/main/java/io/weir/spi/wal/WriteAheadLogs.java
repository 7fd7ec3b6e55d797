package io.weir.spi.wal;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * One server's open {@link WriteAheadLog}s, one per directory, so that the server's ingest endpoint
 * and every query reading a stream share one log (two writers would corrupt it). Opened on first use
 * and kept open until {@link #close(Path)}, {@link #delete} or {@link #close()}. Reached through
 * {@link io.weir.spi.connector.ConnectorServices}. Thread-safe.
 */
public final class WriteAheadLogs implements AutoCloseable {
    private final ConcurrentMap<Path, WriteAheadLog> logs = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /**
     * The log of a stream whose connector keeps its state in {@code connectorDataDirectory}
     * ({@link io.weir.spi.connector.ConnectorContext#dataDirectory()}): its {@code wal} subdirectory.
     */
    public static Path directory(Path connectorDataDirectory) {
        return connectorDataDirectory.resolve("wal").toAbsolutePath().normalize();
    }

    /**
     * The open log in {@code directory}, opened (and recovered) now if it is not; an open one takes
     * {@code settings}.
     *
     * @throws WeirException ({@link ErrorCode#SOURCE_ERROR}) when it cannot be opened, or the server is
     *         shutting down
     */
    public WriteAheadLog open(Path directory, String owner, WalSettings settings, InstantSource clock) {
        Path key = requireNonNull(directory, "directory is null").toAbsolutePath().normalize();
        refuseIfClosed(owner);
        try {
            WriteAheadLog log = logs.computeIfAbsent(key, dir -> {
                try {
                    return WriteAheadLog.open(dir, owner, settings, clock);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            if (closed) { // close() ran meanwhile and may have missed this log
                close(key);
                refuseIfClosed(owner);
            }
            log.updateSettings(settings);
            return log;
        } catch (UncheckedIOException e) {
            throw new WeirException(ErrorCode.SOURCE_ERROR, owner + ": cannot open the write-ahead log in " + key + ": "
                    + e.getCause().getMessage(), e.getCause());
        }
    }

    private void refuseIfClosed(String owner) {
        if (closed) {
            throw new WeirException(ErrorCode.SOURCE_ERROR, owner + ": the server is shutting down; its write-ahead logs are closed");
        }
    }

    /** Closes the log in {@code directory} if it is open (tests simulating a restart). */
    public void close(Path directory) {
        WriteAheadLog log = logs.remove(directory.toAbsolutePath().normalize());
        if (log != null) {
            log.close();
        }
    }

    /** Closes the log in {@code directory} and deletes its files: the stream was dropped or replaced. */
    public void delete(Path directory) {
        Path key = directory.toAbsolutePath().normalize();
        close(key);
        if (!Files.exists(key)) {
            return;
        }
        try (Stream<Path> files = Files.walk(key)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new WeirException(ErrorCode.SOURCE_ERROR, "Cannot delete the write-ahead log in " + key + ": "
                    + e.getMessage() + "; delete the directory by hand", e);
        }
    }

    /** Closes every open log; none opens afterwards (server shutdown). Idempotent. */
    @Override
    public void close() {
        closed = true;
        for (Path directory : List.copyOf(logs.keySet())) {
            close(directory);
        }
    }
}
