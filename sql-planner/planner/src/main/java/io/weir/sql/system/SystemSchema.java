package io.weir.sql.system;

import io.weir.engine.checkpoint.CheckpointRecord;
import io.weir.engine.deadletter.DeadLetterStore;
import io.weir.engine.exec.QueryStatistics;
import io.weir.engine.exec.RunningQueries;
import io.weir.engine.source.SourceStatistics;
import io.weir.spi.error.SourceCounters;
import io.weir.sql.catalog.Catalog;
import io.weir.sql.catalog.CatalogObject;
import io.weir.sql.schema.WeirSchema;
import io.weir.sql.udf.FunctionListing;
import io.weir.sql.udf.UserFunctions;
import org.apache.calcite.DataContext;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Linq4j;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import io.weir.engine.late.LateRow;
import io.weir.engine.late.LateRowLog;
import org.apache.calcite.schema.ScannableTable;
import org.apache.calcite.schema.Schema;
import org.apache.calcite.schema.Table;
import org.apache.calcite.schema.impl.AbstractSchema;
import org.apache.calcite.schema.impl.AbstractTable;
import org.apache.calcite.sql.type.SqlTypeName;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * The {@code sys} schema: what the server knows about its own data, queryable with plain SELECT.
 * {@code sys.dead_letters} holds the records streams could not decode (with {@code 'on-error' =
 * 'dead-letter'}), {@code sys.source_statistics} the per-stream counts of read, skipped and
 * dead-lettered records and why a source is paused (its write-ahead log is full), {@code sys.queries}
 * the running continuous queries and the latest ended ones with their row counts, late rows included.
 * A user who is not an admin sees the rows of the objects it may select and of its own queries
 * ({@link Viewer}).
 */
public final class SystemSchema extends AbstractSchema {
    public static final String NAME = "sys";

    private final Catalog catalog;
    private final SourceStatistics statistics;
    private final DeadLetterStore deadLetters;
    private final RunningQueries queries;

    private final LateRowLog lateRows;
    private final UserFunctions functions;

    public SystemSchema(Catalog catalog, SourceStatistics statistics, DeadLetterStore deadLetters, RunningQueries queries) {
        this(catalog, statistics, deadLetters, queries, new LateRowLog());
    }

    /** @param lateRows the late rows of the queries that keep them, for {@code sys.late_rows} */
    public SystemSchema(Catalog catalog, SourceStatistics statistics, DeadLetterStore deadLetters, RunningQueries queries,
                        LateRowLog lateRows) {
        this(catalog, statistics, deadLetters, queries, lateRows, UserFunctions.inMemory(java.util.Optional.empty()));
    }

    /** @param functions the user-defined functions, for {@code sys.functions} */
    public SystemSchema(Catalog catalog, SourceStatistics statistics, DeadLetterStore deadLetters, RunningQueries queries,
                        LateRowLog lateRows, UserFunctions functions) {
        this.functions = requireNonNull(functions, "functions is null");
        this.lateRows = requireNonNull(lateRows, "lateRows is null");
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.statistics = requireNonNull(statistics, "statistics is null");
        this.deadLetters = requireNonNull(deadLetters, "deadLetters is null");
        this.queries = requireNonNull(queries, "queries is null");
    }

    /**
     * What the user running a query may see of the sys tables: rows of the objects it may select and of its
     * own queries. Handed to a query's tables under {@link #VARIABLE}; without it, everything is seen.
     */
    public record Viewer(java.util.function.Predicate<CatalogObject> objects,
                         java.util.function.Predicate<java.util.Optional<String>> queryOwners) {
        public static final String VARIABLE = "weir.viewer";
        static final Viewer EVERYTHING = new Viewer(object -> true, owner -> true);

        public Viewer {
            requireNonNull(objects, "objects is null");
            requireNonNull(queryOwners, "queryOwners is null");
        }

        /** The viewer of a query's tables: the one its executor gave, else (no users) one who sees everything. */
        public static Viewer of(DataContext root) {
            return root.get(VARIABLE) instanceof Viewer viewer ? viewer : EVERYTHING;
        }

        boolean seesQuery(RunningQueries.QueryInfo query) {
            return queryOwners.test(query.owner());
        }
    }

    /** Whether the viewer may see the rows of the object named {@code name} (one dropped since: no). */
    private boolean seesObject(Viewer viewer, String name) {
        return viewer == Viewer.EVERYTHING || catalog.get(name).filter(viewer.objects()).isPresent();
    }

    @Override
    protected Map<String, Table> getTableMap() {
        return Map.of("dead_letters", new DeadLettersTable(), "source_statistics", new StatisticsTable(),
                "primary_keys", new PrimaryKeysTable(), "queries", new QueriesTable(), "checkpoints", new CheckpointsTable(),
                "operators", new OperatorsTable(), "late_rows", new LateRowsTable(), "functions", new FunctionsTable());
    }

    /**
     * The operators of every running query as of its last micro-batch, root first (as EXPLAIN prints the
     * plan; {@code depth} indents it): rows in and out, the time spent in each, and the state each holds.
     */
    private final class OperatorsTable extends SystemTable {
        @Override
        public RelDataType getRowType(RelDataTypeFactory f) {
            return f.builder()
                    .add("query_id", SqlTypeName.VARCHAR)
                    .add("operator_id", SqlTypeName.INTEGER)
                    .add("depth", SqlTypeName.INTEGER)
                    .add("operator", SqlTypeName.VARCHAR)
                    .add("rows_in", SqlTypeName.BIGINT)
                    .add("rows_out", SqlTypeName.BIGINT)
                    .add("time_ms", SqlTypeName.DOUBLE)
                    .add("state_rows", SqlTypeName.BIGINT)
                    .add("state_bytes", SqlTypeName.BIGINT)
                    .add("open_windows", SqlTypeName.BIGINT).nullable(true)
                    .add("oldest_window_end", SqlTypeName.TIMESTAMP, 3).nullable(true)
                    .build();
        }

        @Override
        public Enumerable<Object[]> scan(DataContext root) {
            Viewer viewer = Viewer.of(root);
            List<Object[]> rows = new ArrayList<>();
            for (RunningQueries.QueryInfo query : queries.list()) {
                if (!viewer.seesQuery(query)) {
                    continue;
                }
                for (io.weir.engine.exec.OperatorStatistics operator : query.statistics().operators()) {
                    rows.add(new Object[] {query.id(), operator.id(), operator.depth(), operator.operator(), operator.rowsIn(),
                            operator.rowsOut(), operator.nanos() / 1e6, operator.stateRows(), operator.stateBytes(),
                            operator.windowed() ? operator.openWindows() : null,
                            operator.oldestWindowEnd() == Long.MIN_VALUE ? null : operator.oldestWindowEnd()});
                }
            }
            return Linq4j.asEnumerable(rows);
        }
    }

    /**
     * Continuous queries: those running (as SHOW QUERIES lists them) and the latest ended ones, so
     * that the counts of a query that has finished, late rows above all, can still be read.
     */
    private final class QueriesTable extends SystemTable {
        @Override
        public RelDataType getRowType(RelDataTypeFactory f) {
            return f.builder()
                    .add("query_id", SqlTypeName.VARCHAR)
                    .add("query_text", SqlTypeName.VARCHAR)
                    .add("state", SqlTypeName.VARCHAR)
                    .add("started", SqlTypeName.TIMESTAMP, 3)
                    .add("ended", SqlTypeName.TIMESTAMP, 3).nullable(true)
                    .add("rows_in", SqlTypeName.BIGINT)
                    .add("rows_out", SqlTypeName.BIGINT)
                    .add("late_rows", SqlTypeName.BIGINT)
                    .add("source_lag", SqlTypeName.BIGINT).nullable(true)
                    .add("kind", SqlTypeName.VARCHAR)
                    .add("error", SqlTypeName.VARCHAR).nullable(true)
                    .add("state_rows", SqlTypeName.BIGINT)
                    .add("state_bytes", SqlTypeName.BIGINT)
                    .add("last_checkpoint", SqlTypeName.BIGINT).nullable(true)
                    .add("checkpoint_problem", SqlTypeName.VARCHAR).nullable(true)
                    .add("attempts", SqlTypeName.BIGINT)
                    .add("next_attempt", SqlTypeName.TIMESTAMP, 3).nullable(true)
                    .add("parallelism", SqlTypeName.INTEGER)
                    .add("owner", SqlTypeName.VARCHAR).nullable(true)
                    .add("result_latency_p50_ms", SqlTypeName.DOUBLE).nullable(true)
                    .add("result_latency_p99_ms", SqlTypeName.DOUBLE).nullable(true)
                    .add("end_to_end_latency_p50_ms", SqlTypeName.DOUBLE).nullable(true)
                    .add("end_to_end_latency_p99_ms", SqlTypeName.DOUBLE).nullable(true)
                    .build();
        }

        @Override
        public Enumerable<Object[]> scan(DataContext root) {
            Viewer viewer = Viewer.of(root);
            List<Object[]> rows = new ArrayList<>();
            for (RunningQueries.QueryInfo query : queries.ended()) {
                if (viewer.seesQuery(query)) {
                    rows.add(row(query));
                }
            }
            for (RunningQueries.QueryInfo query : queries.list()) {
                if (viewer.seesQuery(query)) {
                    rows.add(row(query));
                }
            }
            return Linq4j.asEnumerable(rows);
        }

        private static Object[] row(RunningQueries.QueryInfo query) {
            QueryStatistics counts = query.statistics();
            return new Object[] {query.id(), query.sql(), query.state().name(), query.started().toEpochMilli(),
                    query.ended().map(Instant::toEpochMilli).orElse(null), counts.rowsIn(), counts.rowsOut(),
                    counts.lateRows(), counts.lag() < 0 ? null : counts.lag(), query.kind().name(),
                    query.error().orElse(null), counts.stateRows(), counts.stateBytes(),
                    query.checkpoints().last().map(CheckpointRecord::id).orElse(null),
                    query.checkpoints().problem().orElse(null), (long) query.retries().failedAttempts(),
                    query.retries().nextAttempt().map(Instant::toEpochMilli).orElse(null), counts.parallelism(),
                    query.owner().orElse(null),
                    counts.resultLatency().known() ? counts.resultLatency().p50Millis() : null,
                    counts.resultLatency().known() ? counts.resultLatency().p99Millis() : null,
                    counts.endToEndLatency().known() ? counts.endToEndLatency().p50Millis() : null,
                    counts.endToEndLatency().known() ? counts.endToEndLatency().p99Millis() : null};
        }
    }

    /** The latest completed checkpoints of each persistent query and materialized view, newest last. */
    private final class CheckpointsTable extends SystemTable {
        @Override
        public RelDataType getRowType(RelDataTypeFactory f) {
            return f.builder()
                    .add("query_id", SqlTypeName.VARCHAR)
                    .add("checkpoint_id", SqlTypeName.BIGINT)
                    .add("batch", SqlTypeName.BIGINT)
                    .add("completed_at", SqlTypeName.TIMESTAMP, 3)
                    .add("bytes_written", SqlTypeName.BIGINT)
                    .add("state_bytes", SqlTypeName.BIGINT)
                    .add("duration_ms", SqlTypeName.BIGINT)
                    .build();
        }

        @Override
        public Enumerable<Object[]> scan(DataContext root) {
            Viewer viewer = Viewer.of(root);
            List<Object[]> rows = new ArrayList<>();
            for (RunningQueries.QueryInfo query : queries.list()) {
                if (!viewer.seesQuery(query)) {
                    continue;
                }
                for (CheckpointRecord checkpoint : query.checkpoints().recent()) {
                    rows.add(new Object[] {query.id(), checkpoint.id(), checkpoint.batch(), checkpoint.completedAt().toEpochMilli(),
                            checkpoint.bytesWritten(), checkpoint.stateBytes(), checkpoint.durationMillis()});
                }
            }
            return Linq4j.asEnumerable(rows);
        }
    }

    /**
     * The columns of {@code DatabaseMetaData.getPrimaryKeys}, for drivers: the Avatica protocol has no
     * request for primary keys, so Weir's JDBC driver answers that call by querying this table.
     */
    private final class PrimaryKeysTable extends SystemTable {
        @Override
        public RelDataType getRowType(RelDataTypeFactory f) {
            return f.builder()
                    .add("TABLE_CAT", SqlTypeName.VARCHAR).nullable(true)
                    .add("TABLE_SCHEM", SqlTypeName.VARCHAR)
                    .add("TABLE_NAME", SqlTypeName.VARCHAR)
                    .add("COLUMN_NAME", SqlTypeName.VARCHAR)
                    .add("KEY_SEQ", SqlTypeName.SMALLINT)
                    .add("PK_NAME", SqlTypeName.VARCHAR)
                    .build();
        }

        @Override
        public Enumerable<Object[]> scan(DataContext root) {
            Viewer viewer = Viewer.of(root);
            List<Object[]> rows = new ArrayList<>();
            for (CatalogObject object : catalog.list()) {
                if (!viewer.objects().test(object)) {
                    continue;
                }
                short sequence = 0;
                for (String column : object.primaryKey()) {
                    rows.add(new Object[] {null, WeirSchema.NAME, object.name(), column, ++sequence, "PK_" + object.name()});
                }
            }
            return Linq4j.asEnumerable(rows);
        }

    }

    /** The built-in and user-defined functions, with JDBC's getFunctions columns (which Weir's driver reads here). */
    private final class FunctionsTable extends SystemTable {
        @Override
        public RelDataType getRowType(RelDataTypeFactory f) {
            return f.builder()
                    .add("FUNCTION_CAT", SqlTypeName.VARCHAR).nullable(true)
                    .add("FUNCTION_SCHEM", SqlTypeName.VARCHAR).nullable(true)
                    .add("FUNCTION_NAME", SqlTypeName.VARCHAR)
                    .add("REMARKS", SqlTypeName.VARCHAR).nullable(true)
                    .add("FUNCTION_TYPE", SqlTypeName.SMALLINT)
                    .add("SPECIFIC_NAME", SqlTypeName.VARCHAR)
                    .build();
        }

        @Override
        public Enumerable<Object[]> scan(DataContext root) {
            return Linq4j.asEnumerable(FunctionListing.rows(functions));
        }
    }

    private final class DeadLettersTable extends SystemTable {
        @Override
        public RelDataType getRowType(RelDataTypeFactory f) {
            return f.builder()
                    .add("object_name", SqlTypeName.VARCHAR)
                    .add("source", SqlTypeName.VARCHAR)
                    .add("reason", SqlTypeName.VARCHAR)
                    .add("received_at", SqlTypeName.TIMESTAMP, 3)
                    .add("raw", SqlTypeName.VARCHAR)
                    .add("raw_is_base64", SqlTypeName.BOOLEAN)
                    .add("raw_length", SqlTypeName.BIGINT)
                    .build();
        }

        @Override
        public Enumerable<Object[]> scan(DataContext root) {
            Viewer viewer = Viewer.of(root);
            List<Object[]> rows = new ArrayList<>();
            for (DeadLetterStore.StoredDeadLetter letter : deadLetters.readAll()) {
                if (!seesObject(viewer, letter.objectName())) {
                    continue;
                }
                rows.add(new Object[] {letter.objectName(), letter.source(), letter.reason(), letter.time().toEpochMilli(),
                        letter.raw(), letter.rawIsBase64(), letter.rawLength()});
            }
            return Linq4j.asEnumerable(rows);
        }

    }

    private final class StatisticsTable extends SystemTable {
        @Override
        public RelDataType getRowType(RelDataTypeFactory f) {
            return f.builder()
                    .add("object_name", SqlTypeName.VARCHAR)
                    .add("records_read", SqlTypeName.BIGINT)
                    .add("records_skipped", SqlTypeName.BIGINT)
                    .add("records_dead_lettered", SqlTypeName.BIGINT)
                    .add("paused_reason", SqlTypeName.VARCHAR).nullable(true)
                    .add("bytes_read", SqlTypeName.BIGINT)
                    .build();
        }

        @Override
        public Enumerable<Object[]> scan(DataContext root) {
            Viewer viewer = Viewer.of(root);
            List<Object[]> rows = new ArrayList<>();
            for (Map.Entry<String, SourceCounters.Snapshot> entry : statistics.snapshot().entrySet()) {
                if (!seesObject(viewer, entry.getKey())) {
                    continue;
                }
                SourceCounters.Snapshot counts = entry.getValue();
                rows.add(new Object[] {entry.getKey(), counts.read(), counts.skipped(), counts.deadLettered(),
                        counts.pausedReason().orElse(null), counts.bytes()});
            }
            return Linq4j.asEnumerable(rows);
        }

    }

    /**
     * The rows queries dropped as late and kept ('late-rows' = 'side-output'), oldest first: the latest
     * {@link LateRowLog#DEFAULT_CAPACITY}, for {@link LateRowLog#DEFAULT_RETENTION}.
     */
    private final class LateRowsTable extends SystemTable {
        @Override
        public RelDataType getRowType(RelDataTypeFactory f) {
            return f.builder()
                    .add("query_id", SqlTypeName.VARCHAR)
                    .add("stream_name", SqlTypeName.VARCHAR)
                    .add("row_json", SqlTypeName.VARCHAR)
                    .add("event_time", SqlTypeName.TIMESTAMP, 3)
                    .add("watermark", SqlTypeName.TIMESTAMP, 3).nullable(true)
                    .add("arrived_at", SqlTypeName.TIMESTAMP, 3)
                    .build();
        }

        @Override
        public Enumerable<Object[]> scan(DataContext root) {
            Viewer viewer = Viewer.of(root);
            java.util.Map<String, RunningQueries.QueryInfo> known = new java.util.HashMap<>();
            queries.ended().forEach(query -> known.put(query.id(), query));
            queries.list().forEach(query -> known.put(query.id(), query));
            List<Object[]> rows = new ArrayList<>();
            for (LateRow row : lateRows.rows()) {
                RunningQueries.QueryInfo query = known.get(row.queryId());
                // a query long gone: only a viewer who sees every query's rows (an admin) sees its late rows
                boolean visible = query != null ? viewer.seesQuery(query) : viewer.queryOwners().test(java.util.Optional.of("\u0000"));
                if (!visible) {
                    continue;
                }
                rows.add(new Object[] {row.queryId(), row.streams(), row.row(), row.eventTime(),
                        row.watermark() == Long.MIN_VALUE ? null : row.watermark(), row.arrivedAt()});
            }
            return Linq4j.asEnumerable(rows);
        }
    }

    /** A read-only table listed as a SYSTEM TABLE. */
    private abstract static class SystemTable extends AbstractTable implements ScannableTable {
        @Override
        public Schema.TableType getJdbcTableType() {
            return Schema.TableType.SYSTEM_TABLE;
        }
    }
}
