package io.weir.sql.session;

import io.weir.engine.operator.SourceOperator;
import io.weir.spi.option.ConfigOption;

import java.util.List;

/** The properties a session can change with {@code SET 'key' = 'value'}, with their defaults. */
public final class SessionOptions {
    public static final ConfigOption BATCH_INTERVAL = ConfigOption.duration("batch.interval",
            "How often a continuous query takes what its sources delivered and runs it as one micro-batch."
                    + " At least 10 ms").withDefault("1 s");

    public static final ConfigOption CLIENT_TIMEOUT = ConfigOption.duration("query.client-timeout",
            "A continuous query whose client has not fetched for this long is stopped and its state freed").withDefault("5 min");

    public static final ConfigOption FETCH_MAX_WAIT = ConfigOption.duration("fetch.max-wait",
            "How long the server holds a fetch of a continuous query open waiting for rows before answering with none"
                    + " (must stay well below the client's http_response_timeout)").withDefault("10 s");

    public static final ConfigOption STATEMENT_TIMEOUT = ConfigOption.duration("statement.timeout",
            "Longest the server plans a statement and runs it before cancelling it with SQLSTATE 57014: parsing,"
                    + " planning, DDL and a plain query's rows (each fetch of rows is timed anew; the client's time between"
                    + " fetches does not count). Continuous queries run on once planned. '0 s': no limit")
            .withDefault("5 min");

    public static final ConfigOption SOURCE_MAX_BATCH_ROWS = ConfigOption.integer("source.max-batch-rows",
            "Rows a continuous query takes from each source per micro-batch at most; a backlog is worked off over"
                    + " several batches, each advancing the watermark. '1' replays a file one row per batch, as a live"
                    + " source would deliver it, so a row whose window has already fired is late")
            .withDefault(Integer.toString(SourceOperator.DEFAULT_MAX_ROWS_PER_BATCH));

    public static final ConfigOption CHECKPOINT_INTERVAL = ConfigOption.duration("checkpoint.interval",
            "How often a persistent query (INSERT INTO) or materialized view started in this session writes a checkpoint of"
                    + " its state and source positions; after a crash it continues from its last checkpoint. Exactly-once"
                    + " sinks make their output visible at checkpoints. '0 s' checkpoints after every micro-batch")
            .withDefault("10 s");

    public static final ConfigOption PARALLELISM = ConfigOption.integer("parallelism",
            "How many tasks a continuous query, persistent query (INSERT INTO) or materialized view started in this"
                    + " session runs as: its streams' files and partitions are divided among them, and rows are exchanged"
                    + " between them by the hash of their grouping or join key, so one query uses that many cores. Results"
                    + " are those of '1'; rows of one micro-batch may come in another order. '0' takes the server's default"
                    + " (query.parallelism). A persistent query or view keeps the setting across restarts; its checkpoints"
                    + " restore at any parallelism").withDefault("0");

    public static final ConfigOption STATE_TTL = ConfigOption.duration("state.ttl",
            "Continuous queries started in this session drop the keys of a GROUP BY without a window, of a"
                    + " deduplication and of a Top-N (ROW_NUMBER()) that were not updated for this long (processing time),"
                    + " so that state of keys that stop appearing does not grow forever; a dropped key's next row starts it"
                    + " anew. '0 s': keys are kept").withDefault("0 s");

    public static final ConfigOption EMIT_EARLY_INTERVAL = ConfigOption.duration("emit.early-interval",
            "Continuous queries (SELECT STREAM) prepared in this session without an EMIT clause send each open window's"
                    + " changed aggregates this often (processing time) as updates with an op column, then the final row"
                    + " when the window closes: as EMIT EVERY INTERVAL does. '0 s': final rows only (EMIT AFTER WATERMARK)")
            .withDefault("0 s");

    /** The value of {@link #LATE_ROWS} that keeps late rows in {@code sys.late_rows}. */
    public static final String LATE_ROWS_SIDE_OUTPUT = "side-output";

    public static final ConfigOption LATE_ROWS = ConfigOption.oneOf("late-rows", List.of("drop", LATE_ROWS_SIDE_OUTPUT),
            "What continuous queries, persistent queries (INSERT INTO) and materialized views started in this session do"
                    + " with a row that comes for a window that has already closed: 'drop' it (counted in late_rows of"
                    + " sys.queries), or also keep it in the table sys.late_rows ('side-output': the query, its streams, the"
                    + " row as JSON, its time, the watermark it missed and when it came; the server keeps the latest 10,000"
                    + " for 24 hours)").withDefault("drop");

    public static final ConfigOption ALLOWED_LATENESS = ConfigOption.duration("allowed-lateness",
            "How long after a window closed (in event time: the watermark past its end) continuous queries, persistent"
                    + " queries (INSERT INTO a stream with a PRIMARY KEY) and materialized views started in this session keep"
                    + " its state: a late row within it updates the window, and the query sends the corrected row (as"
                    + " UPDATE_BEFORE/UPDATE_AFTER with an op column; an upsert sink or view replaces the row). Rows later than"
                    + " that are late rows ('late-rows'). For the query's outermost TUMBLE, HOP or CUMULATE aggregation over"
                    + " event time; each window's state is kept that much longer. '0 s': a window's state is freed when it closes")
            .withDefault("0 s");

    public static final ConfigOption LATE_ROWS_SINK = ConfigOption.string("late-rows.sink",
            "A stream or table of a sink connector (kafka, file, webhook, jdbc) into which continuous queries, persistent"
                    + " queries and materialized views started in this session write each late row, delivered with their"
                    + " checkpoints. Its columns are taken by name from query_id, stream_name, row_json (VARCHAR), event_time,"
                    + " watermark, arrived_at (TIMESTAMP or BIGINT epoch milliseconds); the query's owner needs INSERT on it."
                    + " Empty: none (see 'late-rows' for sys.late_rows)").withDefault("");

    public static final ConfigOption TIME_ZONE = ConfigOption.string("time-zone",
            "Time zone used to show TIMESTAMP values and evaluate date/time functions").withDefault("UTC");

    public static final List<ConfigOption> ALL = List.of(ALLOWED_LATENESS, BATCH_INTERVAL, CHECKPOINT_INTERVAL, CLIENT_TIMEOUT, EMIT_EARLY_INTERVAL,
            FETCH_MAX_WAIT, LATE_ROWS, LATE_ROWS_SINK, PARALLELISM, SOURCE_MAX_BATCH_ROWS, STATEMENT_TIMEOUT, STATE_TTL, TIME_ZONE);

    private SessionOptions() {
    }
}
