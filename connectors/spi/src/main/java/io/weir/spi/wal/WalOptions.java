package io.weir.spi.wal;

import io.weir.spi.option.ConfigOption;

import java.util.List;

/**
 * The write-ahead log options of the sources that keep what they receive in one (http, socket, zeromq);
 * parsed by {@link WalSettings#of}.
 */
public final class WalOptions {
    public static final ConfigOption ENABLED = ConfigOption.bool("wal",
            "Whether received records are kept in a write-ahead log in the data directory, so that persistent queries "
                    + "resume after a crash without losing them; 'false' keeps them in server memory only")
            .withDefault("true");
    public static final ConfigOption SYNC = ConfigOption.oneOf("wal.sync", WalSync.optionValues(),
            "'interval': records are forced to disk at most every 10 ms, concurrent writers sharing one fsync; "
                    + "'always': an fsync right after every write. Either way a POST is answered only once its records "
                    + "are on disk, and queries see only records on disk").withDefault(WalSync.INTERVAL.optionValue());
    public static final ConfigOption RETENTION = ConfigOption.duration("wal.retention",
            "How long records are kept after every persistent query reading the stream has processed them; also how long "
                    + "a persistent query may be stopped and still resume where it was").withDefault("1 h");
    public static final ConfigOption MAX_BYTES = ConfigOption.string("wal.max-bytes",
            "The largest the log may grow (e.g. '1 GiB', '512 MiB'); when records not processed yet fill it, HTTP ingest "
                    + "answers 503 with Retry-After and socket and ZeroMQ reading pauses").withDefault("1 GiB");
    public static final ConfigOption SEGMENT_BYTES = ConfigOption.string("wal.segment-bytes",
            "The size of the log's segment files (e.g. '64 MiB'); retention deletes whole segments").withDefault("64 MiB");

    private WalOptions() {
    }

    /** Every option, for a connector's option list. */
    public static List<ConfigOption> all() {
        return List.of(ENABLED, SYNC, RETENTION, MAX_BYTES, SEGMENT_BYTES);
    }
}
