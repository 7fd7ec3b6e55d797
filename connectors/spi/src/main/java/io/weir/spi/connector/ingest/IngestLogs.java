package io.weir.spi.connector.ingest;

import io.weir.spi.wal.WalSettings;
import io.weir.spi.wal.WriteAheadLog;
import io.weir.spi.wal.WriteAheadLogs;

import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Locale;

import static java.util.Objects.requireNonNull;

/**
 * Where the write-ahead log of an {@code http} stream is: the server's {@code POST /ingest/<stream>}
 * appends to it and the stream's readers read it, so both must find the same directory.
 */
public final class IngestLogs {
    private IngestLogs() {
    }

    /**
     * The connector data directory of {@code streamName} in a server whose data directory is
     * {@code serverDataDir}: {@code <data>/connectors/<stream in lower case>}, as the engine names it for
     * {@link io.weir.spi.connector.ConnectorContext#dataDirectory()}.
     */
    public static Path connectorDirectory(Path serverDataDir, String streamName) {
        return serverDataDir.resolve("connectors").resolve(requireNonNull(streamName, "streamName is null").toLowerCase(Locale.ROOT));
    }

    /** The stream's open log among the server's {@code logs}, opened now if it is not. */
    public static WriteAheadLog open(WriteAheadLogs logs, Path connectorDirectory, String streamName, WalSettings settings,
                                     InstantSource clock) {
        return logs.open(WriteAheadLogs.directory(connectorDirectory), "Stream '" + streamName + "'", settings, clock);
    }

    /** Deletes the stream's log: the stream was dropped or replaced, and its records must not reappear in a new one. */
    public static void delete(WriteAheadLogs logs, Path serverDataDir, String streamName) {
        logs.delete(WriteAheadLogs.directory(connectorDirectory(serverDataDir, streamName)));
    }
}
