package io.weir.engine.exec;

import io.weir.engine.source.SourceStatistics;
import io.weir.spi.connector.ConnectorServices;
import io.weir.spi.error.DeadLetterSink;

import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * How to run one continuous query.
 *
 * @param batchInterval time between the starts of micro-batches (at least 10 ms)
 * @param maxRows stop after this many result rows (JDBC maxRows or LIMIT); 0 for no limit
 * @param outputQueueRows result rows queued for the client before the query waits for it to fetch
 * @param dataDir the server's data directory (connectors keep state under it)
 * @param statistics per-stream record counters shared with the rest of the server
 * @param deadLetters where streams with 'on-error' = 'dead-letter' put bad records
 * @param clock wall clock for processing time and batch scheduling; tests pass a manual one
 * @param maxRowsPerSourceBatch rows one source contributes to a micro-batch at most; 0 for the
 *        engine's default. A backlog is worked off over several batches, each advancing the watermark
 * @param resumable a persistent query: its sources get a consumer id made of the query id and the
 *        stream name, so that they resume from what they committed when the query runs again
 * @param checkpointInterval present for a query that checkpoints its state (persistent queries and
 *        materialized views): the time between checkpoints, zero for one after every micro-batch
 * @param stateTtl present to drop the keys of GROUP BY without a window not updated for that long
 * @param connectorServices what the server shares among the connectors of its queries (write-ahead
 *        logs, feeds, ingest channels, materialized view stores); the constructors without it give the
 *        query services of its own, for queries run outside a server (tests, benchmarks)
 * @param parallelism the tasks the query runs as (see {@link io.weir.engine.parallel.ParallelQueryRunner});
 *        0 for the engine's default
 */
public record QueryOptions(Duration batchInterval, long maxRows, int outputQueueRows, Path dataDir,
                           SourceStatistics statistics, DeadLetterSink deadLetters, InstantSource clock,
                           int maxRowsPerSourceBatch, boolean resumable, Optional<Duration> checkpointInterval,
                           Optional<Duration> stateTtl, ConnectorServices connectorServices, int parallelism,
                           Optional<io.weir.engine.late.LateRowLog> lateRows,
                           Optional<io.weir.engine.plan.SinkSpec> lateRowSink) {
    /** Options whose late rows go to no sink. */
    public QueryOptions(Duration batchInterval, long maxRows, int outputQueueRows, Path dataDir,
                        SourceStatistics statistics, DeadLetterSink deadLetters, InstantSource clock,
                        int maxRowsPerSourceBatch, boolean resumable, Optional<Duration> checkpointInterval,
                        Optional<Duration> stateTtl, ConnectorServices connectorServices, int parallelism,
                        Optional<io.weir.engine.late.LateRowLog> lateRows) {
        this(batchInterval, maxRows, outputQueueRows, dataDir, statistics, deadLetters, clock, maxRowsPerSourceBatch, resumable,
                checkpointInterval, stateTtl, connectorServices, parallelism, lateRows, Optional.empty());
    }

    /** Options of a query at the engine's default parallelism. */
    public QueryOptions(Duration batchInterval, long maxRows, int outputQueueRows, Path dataDir,
                        SourceStatistics statistics, DeadLetterSink deadLetters, InstantSource clock,
                        int maxRowsPerSourceBatch, boolean resumable, Optional<Duration> checkpointInterval,
                        Optional<Duration> stateTtl, ConnectorServices connectorServices) {
        this(batchInterval, maxRows, outputQueueRows, dataDir, statistics, deadLetters, clock, maxRowsPerSourceBatch, resumable,
                checkpointInterval, stateTtl, connectorServices, 0, Optional.empty());
    }

    /** Options of a query with connector services of its own. */
    public QueryOptions(Duration batchInterval, long maxRows, int outputQueueRows, Path dataDir,
                        SourceStatistics statistics, DeadLetterSink deadLetters, InstantSource clock,
                        int maxRowsPerSourceBatch, boolean resumable, Optional<Duration> checkpointInterval,
                        Optional<Duration> stateTtl) {
        this(batchInterval, maxRows, outputQueueRows, dataDir, statistics, deadLetters, clock, maxRowsPerSourceBatch, resumable,
                checkpointInterval, stateTtl, new ConnectorServices());
    }

    /** Options of a query whose state does not expire. */
    public QueryOptions(Duration batchInterval, long maxRows, int outputQueueRows, Path dataDir,
                        SourceStatistics statistics, DeadLetterSink deadLetters, InstantSource clock,
                        int maxRowsPerSourceBatch, boolean resumable, Optional<Duration> checkpointInterval) {
        this(batchInterval, maxRows, outputQueueRows, dataDir, statistics, deadLetters, clock, maxRowsPerSourceBatch, resumable,
                checkpointInterval, Optional.empty());
    }

    /** Options of a query that does not checkpoint. */
    public QueryOptions(Duration batchInterval, long maxRows, int outputQueueRows, Path dataDir,
                        SourceStatistics statistics, DeadLetterSink deadLetters, InstantSource clock,
                        int maxRowsPerSourceBatch, boolean resumable) {
        this(batchInterval, maxRows, outputQueueRows, dataDir, statistics, deadLetters, clock, maxRowsPerSourceBatch, resumable,
                Optional.empty());
    }

    /** Options of a query that does not resume where an earlier run stopped. */
    public QueryOptions(Duration batchInterval, long maxRows, int outputQueueRows, Path dataDir,
                        SourceStatistics statistics, DeadLetterSink deadLetters, InstantSource clock,
                        int maxRowsPerSourceBatch) {
        this(batchInterval, maxRows, outputQueueRows, dataDir, statistics, deadLetters, clock, maxRowsPerSourceBatch, false);
    }

    public QueryOptions {
        requireNonNull(batchInterval, "batchInterval is null");
        requireNonNull(dataDir, "dataDir is null");
        requireNonNull(statistics, "statistics is null");
        requireNonNull(deadLetters, "deadLetters is null");
        requireNonNull(clock, "clock is null");
        requireNonNull(checkpointInterval, "checkpointInterval is null");
        requireNonNull(stateTtl, "stateTtl is null");
        requireNonNull(connectorServices, "connectorServices is null");
        requireNonNull(lateRows, "lateRows is null");
        requireNonNull(lateRowSink, "lateRowSink is null");
        if (stateTtl.isPresent() && (stateTtl.get().isNegative() || stateTtl.get().isZero())) {
            throw new IllegalArgumentException("state TTL must be positive: " + stateTtl.get());
        }
        if (checkpointInterval.isPresent() && checkpointInterval.get().isNegative()) {
            throw new IllegalArgumentException("checkpoint interval must not be negative: " + checkpointInterval.get());
        }
        if (batchInterval.toMillis() < 10) {
            throw new IllegalArgumentException("batch interval below 10 ms: " + batchInterval);
        }
        if (maxRows < 0 || outputQueueRows < 1) {
            throw new IllegalArgumentException("maxRows >= 0 and outputQueueRows >= 1");
        }
        if (parallelism < 0 || parallelism > io.weir.engine.state.KeyGroups.COUNT) {
            throw new IllegalArgumentException("parallelism must be between 0 (the engine's default) and "
                    + io.weir.engine.state.KeyGroups.COUNT + ": " + parallelism);
        }
        if (maxRowsPerSourceBatch < 0) {
            throw new IllegalArgumentException("maxRowsPerSourceBatch must not be negative: " + maxRowsPerSourceBatch);
        }
    }

    /** These options for a query that resumes, or not. */
    public QueryOptions withResumable(boolean resumable) {
        return new QueryOptions(batchInterval, maxRows, outputQueueRows, dataDir, statistics, deadLetters, clock, maxRowsPerSourceBatch,
                resumable, checkpointInterval, stateTtl, connectorServices, parallelism, lateRows, lateRowSink);
    }

    /** These options for a query that checkpoints its state every {@code interval} (zero: every micro-batch). */
    public QueryOptions withCheckpointInterval(Duration interval) {
        return new QueryOptions(batchInterval, maxRows, outputQueueRows, dataDir, statistics, deadLetters, clock, maxRowsPerSourceBatch,
                resumable, Optional.of(interval), stateTtl, connectorServices, parallelism, lateRows, lateRowSink);
    }

    /** These options with keys of GROUP BY without a window dropped when not updated for {@code ttl}. */
    public QueryOptions withStateTtl(Duration ttl) {
        return new QueryOptions(batchInterval, maxRows, outputQueueRows, dataDir, statistics, deadLetters, clock, maxRowsPerSourceBatch,
                resumable, checkpointInterval, Optional.of(ttl), connectorServices, parallelism, lateRows, lateRowSink);
    }

    /** These options with the connector services of a server. */
    public QueryOptions withConnectorServices(ConnectorServices services) {
        return new QueryOptions(batchInterval, maxRows, outputQueueRows, dataDir, statistics, deadLetters, clock, maxRowsPerSourceBatch,
                resumable, checkpointInterval, stateTtl, services, parallelism, lateRows, lateRowSink);
    }

    /** These options with the query's late rows kept in {@code log} ('late-rows' = 'side-output'), besides being counted. */
    public QueryOptions withLateRows(io.weir.engine.late.LateRowLog log) {
        return new QueryOptions(batchInterval, maxRows, outputQueueRows, dataDir, statistics, deadLetters, clock, maxRowsPerSourceBatch,
                resumable, checkpointInterval, stateTtl, connectorServices, parallelism, Optional.of(log), lateRowSink);
    }

    /**
     * These options with the query's late rows written into the sink stream {@code sink} ('late-rows.sink'),
     * whose columns are named as {@code sys.late_rows}'s, besides being counted.
     */
    public QueryOptions withLateRowSink(io.weir.engine.plan.SinkSpec sink) {
        return new QueryOptions(batchInterval, maxRows, outputQueueRows, dataDir, statistics, deadLetters, clock, maxRowsPerSourceBatch,
                resumable, checkpointInterval, stateTtl, connectorServices, parallelism, lateRows, Optional.of(sink));
    }

    /** These options with the query run as {@code parallelism} tasks (0: the engine's default). */
    public QueryOptions withParallelism(int parallelism) {
        return new QueryOptions(batchInterval, maxRows, outputQueueRows, dataDir, statistics, deadLetters, clock, maxRowsPerSourceBatch,
                resumable, checkpointInterval, stateTtl, connectorServices, parallelism, lateRows, lateRowSink);
    }

    /** Options with the engine's default cap on rows per source and micro-batch. */
    public QueryOptions(Duration batchInterval, long maxRows, int outputQueueRows, Path dataDir,
                        SourceStatistics statistics, DeadLetterSink deadLetters, InstantSource clock) {
        this(batchInterval, maxRows, outputQueueRows, dataDir, statistics, deadLetters, clock, 0);
    }
}
