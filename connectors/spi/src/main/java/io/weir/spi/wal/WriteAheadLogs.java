package io.weir.spi.wal;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Comparator;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * The process-wide open {@link WriteAheadLog}s, one per directory, so that the server's ingest endpoint
 * and every query reading a stream share one log (two writers would corrupt it). Opened on first use and kept open until {@link #close} or {@link #delete}.
 * Thread-safe.
 */
public final class WriteAheadLogs {
    private static final ConcurrentMap<Path, WriteAheadLog> LOGS = new ConcurrentHashMap<>();

    private WriteAheadLogs() {
    }

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
     * @throws WeirException ({@link ErrorCode#SOURCE_ERROR}) when it cannot be opened
     */
    public static WriteAheadLog open(Path directory, String owner, WalSettings settings, InstantSource clock) {
        Path key = requireNonNull(directory, "directory is null").toAbsolutePath().normalize();
        try {
            WriteAheadLog log = LOGS.computeIfAbsent(key, dir -> {
                try {
                    return WriteAheadLog.open(dir, owner, settings, clock);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            log.updateSettings(settings);
            return log;
        } catch (UncheckedIOException e) {
            throw new WeirException(ErrorCode.SOURCE_ERROR, owner + ": cannot open the write-ahead log in " + key + ": "
                    + e.getCause().getMessage(), e.getCause());
        }
    }

    /** Closes the log in {@code directory} if it is open (server shutdown; tests simulating a restart). */
    public static void close(Path directory) {
        WriteAheadLog log = LOGS.remove(directory.toAbsolutePath().normalize());
        if (log != null) {
            log.close();
        }
    }

    /** Closes every open log. */
    public static void closeAll() {
        LOGS.keySet().forEach(WriteAheadLogs::close);
    }

    /** Closes the log in {@code directory} and deletes its files: the stream was dropped or replaced. */
    public static void delete(Path directory) {
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
}
