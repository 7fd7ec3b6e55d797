package io.weir.connector.jdbc;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.batch.Batch;
import io.weir.spi.connector.ConnectorContext;
import io.weir.spi.connector.ConnectorResolver;
import io.weir.spi.connector.DeliveryGuarantee;
import io.weir.spi.connector.ObjectKind;
import io.weir.spi.connector.PreparedCommit;
import io.weir.spi.connector.ResolvedConnector;
import io.weir.spi.connector.SinkWriter;
import io.weir.spi.error.RecordErrorHandler;
import io.weir.spi.type.DataType;
import io.weir.spi.type.TypeKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Checkpoint commits of the jdbc sink against a real PostgreSQL: appends exactly once across crashes
 * (a crash is the writer's session terminated, as when the process dies, and a new writer recovering),
 * upserts and at-least-once appends committing at every flush, and the progress table.
 */
class JdbcSinkExactlyOnceTest {
    private static final List<DataType.Field> EVENTS = List.of(
            new DataType.Field("id", DataType.of(TypeKind.BIGINT)),
            new DataType.Field("name", DataType.varchar()));
    private static final List<DataType.Field> ACCOUNTS = List.of(
            new DataType.Field("id", DataType.of(TypeKind.BIGINT).withNullable(false)),
            new DataType.Field("balance", DataType.of(TypeKind.DOUBLE)));

    private final TestPostgres postgres = TestPostgres.get();
    private final List<SinkWriter> writers = new ArrayList<>();

    @TempDir
    Path tempDir;

    @AfterEach
    void closeWriters() {
        writers.forEach(SinkWriter::close);
    }

    /** A sink table without a key, and a progress table of its own (tests share the server). */
    private record Target(String table, String progressTable, Map<String, String> options) {
    }

    private Target appendTarget() {
        String table = postgres.newTable("events");
        postgres.execute("CREATE TABLE " + table + " (seq BIGSERIAL, id BIGINT, name TEXT)");
        String progressTable = postgres.newTable("progress");
        Map<String, String> options = postgres.options(table);
        options.put("sink.progress-table", progressTable);
        return new Target(table, progressTable, options);
    }

    private SinkWriter writer(String objectName, List<DataType.Field> schema, Map<String, String> options,
                              List<String> primaryKey, Optional<String> writerId) {
        ResolvedConnector resolved = ConnectorResolver.resolve(options, getClass().getClassLoader());
        ConnectorContext context = resolved.context(objectName, ObjectKind.STREAM, schema,
                        RecordErrorHandler.failing(objectName, ObjectKind.STREAM), tempDir, InstantSource.system())
                .withPrimaryKey(primaryKey)
                .withReading(List.of(), writerId);
        JdbcConnectorFactory factory = new JdbcConnectorFactory();
        factory.validate(context);
        SinkWriter writer = factory.createSink(context).createWriter();
        writers.add(writer);
        return writer;
    }

    private SinkWriter appender(String objectName, Target target) {
        return writer(objectName, EVENTS, target.options(), List.of(), Optional.of("q1." + objectName));
    }

    private static Batch events(long first, long last) {
        List<Object[]> rows = new ArrayList<>();
        for (long id = first; id <= last; id++) {
            rows.add(new Object[] {id, "event " + id});
        }
        return Batch.of(EVENTS, rows);
    }

    /** The ids in the table in the order they were inserted. */
    private List<Long> ids(String table) {
        return postgres.query("SELECT id FROM " + table + " ORDER BY seq").stream().map(row -> (Long) row[0]).toList();
    }

    private static List<Long> range(long first, long last) {
        List<Long> ids = new ArrayList<>();
        for (long id = first; id <= last; id++) {
            ids.add(id);
        }
        return ids;
    }

    private OptionalLong committedCheckpoint(Target target, String writerId) {
        List<Object[]> rows = postgres.query("SELECT checkpoint_id FROM " + target.progressTable()
                + " WHERE writer_id = '" + writerId + "'");
        return rows.isEmpty() ? OptionalLong.empty() : OptionalLong.of((Long) rows.get(0)[0]);
    }

    /** Kills the sink's sessions, as the database does when the Weir process dies. */
    private void crash(String objectName) {
        assertThat(postgres.terminateSessions("weir-sink-" + objectName)).isEqualTo(1);
    }

    private static Optional<PreparedCommit> prepared(long checkpointId) {
        return Optional.of(new PreparedCommit(checkpointId, new byte[0]));
    }

    private boolean tableExists(String name) {
        return !postgres.query("SELECT 1 FROM pg_tables WHERE tablename = '" + name + "'").isEmpty();
    }

    // ---- appends: exactly once ----------------------------------------------------------------

    @Test
    void rowsOfACheckpointThatDidNotCommitAreRolledBackAndReplayedOnce() {
        Target target = appendTarget();
        SinkWriter first = appender("crashing_sink", target);
        assertThat(first.guarantee()).isEqualTo(DeliveryGuarantee.EXACTLY_ONCE);
        assertThat(first.recover(Optional.empty())).isTrue();
        first.write(events(1, 3));
        first.flush();
        assertThat(ids(target.table())).as("flushed rows wait for the checkpoint").isEmpty();
        first.prepareCommit(1);
        first.commit(1);
        assertThat(ids(target.table())).isEqualTo(range(1, 3));

        first.write(events(4, 5));
        first.flush();
        first.prepareCommit(2);
        assertThat(ids(target.table())).as("prepared rows stay invisible until commit").isEqualTo(range(1, 3));
        crash("crashing_sink"); // after checkpoint 2 was written, before its commit

        SinkWriter second = appender("crashing_sink", target);
        assertThat(second.recover(prepared(2))).as("checkpoint 2's rows are not visible").isFalse();
        assertThat(ids(target.table())).isEqualTo(range(1, 3));
        assertThat(committedCheckpoint(target, "q1.crashing_sink")).hasValue(1);
        // the engine restores checkpoint 1 and replays what followed it
        second.write(events(4, 5));
        second.prepareCommit(2);
        second.commit(2);
        assertThat(ids(target.table())).isEqualTo(range(1, 5));
        assertThat(committedCheckpoint(target, "q1.crashing_sink")).hasValue(2);
    }

    @Test
    void aCommittedCheckpointIsVisibleAfterACrashAndOnlyLaterRowsAreReplayed() {
        Target target = appendTarget();
        SinkWriter first = appender("committed_sink", target);
        first.recover(Optional.empty());
        first.write(events(1, 2));
        first.prepareCommit(1);
        first.commit(1);
        first.write(events(3, 4));
        first.prepareCommit(2);
        first.commit(2);
        first.write(events(5, 6)); // sent but never part of a checkpoint
        first.flush();
        crash("committed_sink");

        SinkWriter second = appender("committed_sink", target);
        assertThat(second.recover(prepared(2))).isTrue();
        assertThat(ids(target.table())).isEqualTo(range(1, 4));
        second.write(events(5, 6));
        second.write(events(7, 7));
        second.prepareCommit(3);
        second.commit(3);
        assertThat(ids(target.table())).isEqualTo(range(1, 7));
    }

    @Test
    void aCheckpointWithoutRowsStillRecordsItsCommit() {
        Target target = appendTarget();
        SinkWriter first = appender("idle_sink", target);
        first.recover(Optional.empty());
        first.prepareCommit(1);
        first.commit(1);
        first.close();
        assertThat(appender("idle_sink", target).recover(prepared(1))).isTrue();
    }

    @Test
    void rowsBeyondTheBufferAreSentInBatchesOfTheSameTransaction() {
        Target target = appendTarget();
        target.options().put("sink.buffer-flush.max-rows", "3");
        SinkWriter writer = appender("batched_sink", target);
        writer.recover(Optional.empty());
        writer.write(events(1, 10)); // three full JDBC batches sent while writing
        assertThat(ids(target.table())).isEmpty();
        writer.prepareCommit(1);
        writer.commit(1);
        assertThat(ids(target.table())).isEqualTo(range(1, 10));
    }

    @Test
    void aConnectionLostMidTransactionFailsTheQueryInsteadOfRetrying() {
        Target target = appendTarget();
        SinkWriter writer = appender("lost_sink", target);
        writer.recover(Optional.empty());
        writer.write(events(1, 2));
        writer.flush();
        crash("lost_sink");
        writer.write(events(3, 3));
        assertThatThrownBy(writer::flush)
                .isInstanceOfSatisfying(WeirException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.SINK_ERROR))
                .hasMessageContaining("table '" + target.table() + "'")
                .hasMessageContaining("2 rows written since the last checkpoint was rolled back")
                .hasMessageContaining("restarts from its last checkpoint");
        // the lost rows must not be committed by a later checkpoint
        assertThatThrownBy(() -> writer.prepareCommit(1)).isInstanceOf(WeirException.class)
                .hasMessageContaining("rolled back");
        assertThat(ids(target.table())).isEmpty();
    }

    @Test
    void aConnectionLostBeforeTheTransactionHoldsRowsIsRetried() {
        Target target = appendTarget();
        SinkWriter writer = appender("retry_sink", target);
        writer.recover(Optional.empty());
        writer.prepareCommit(1);
        writer.commit(1);
        crash("retry_sink"); // between transactions: nothing is lost
        writer.write(events(1, 2));
        writer.flush();
        writer.prepareCommit(2);
        writer.commit(2);
        assertThat(ids(target.table())).isEqualTo(range(1, 2));
    }

    // ---- the progress table -------------------------------------------------------------------

    @Test
    void theProgressTableIsCreatedOnceAndHoldsOneRowPerWriter() {
        Target target = appendTarget();
        Logger log = (Logger) LoggerFactory.getLogger(ProgressTable.class);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        log.addAppender(logged);
        try {
            assertThat(tableExists(target.progressTable())).isFalse();
            SinkWriter first = appender("first_sink", target);
            SinkWriter second = appender("second_sink", target);
            first.recover(Optional.empty());
            second.recover(Optional.empty());
            first.prepareCommit(1);
            first.commit(1);
            for (long checkpoint = 1; checkpoint <= 3; checkpoint++) {
                second.prepareCommit(checkpoint);
                second.commit(checkpoint);
            }
            assertThat(appender("third_sink", target).recover(Optional.empty())).isTrue();
        } finally {
            log.detachAppender(logged);
        }
        assertThat(logged.list).filteredOn(e -> e.getFormattedMessage().startsWith("Created the sink progress table"))
                .hasSize(1);
        assertThat(postgres.query("SELECT writer_id, checkpoint_id FROM " + target.progressTable() + " ORDER BY writer_id"))
                .containsExactly(new Object[] {"q1.first_sink", 1L}, new Object[] {"q1.second_sink", 3L});
        assertThat(postgres.query("SELECT committed_at IS NOT NULL FROM " + target.progressTable()))
                .allSatisfy(row -> assertThat(row[0]).isEqualTo(true));
    }

    @Test
    void aProgressTableThatCannotBeCreatedFailsSayingWhatToDo() {
        Target target = appendTarget();
        target.options().put("sink.progress-table", "no_such_schema.progress");
        SinkWriter writer = appender("uncreatable_sink", target);
        assertThatThrownBy(() -> writer.recover(Optional.empty()))
                .isInstanceOfSatisfying(WeirException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.SINK_ERROR))
                .hasMessageContaining("cannot create the sink progress table no_such_schema.progress")
                .hasMessageContaining("CREATE TABLE IF NOT EXISTS no_such_schema.progress")
                .hasMessageContaining("'sink.progress-table'")
                .hasMessageContaining("'delivery.guarantee' = 'at-least-once'");
    }

    @Test
    void progressStatementsPerDialect() {
        ProgressTable postgresTable = new ProgressTable(Dialect.POSTGRESQL, "weir_sink_progress");
        assertThat(postgresTable.createStatement()).isEqualTo("CREATE TABLE IF NOT EXISTS weir_sink_progress "
                + "(\"writer_id\" VARCHAR(255) NOT NULL PRIMARY KEY, \"checkpoint_id\" BIGINT NOT NULL, "
                + "\"committed_at\" TIMESTAMP(3) NOT NULL)");
        assertThat(postgresTable.recordStatement()).isEqualTo("INSERT INTO weir_sink_progress (\"writer_id\", "
                + "\"checkpoint_id\", \"committed_at\") VALUES (?, ?, ?) ON CONFLICT (\"writer_id\") DO UPDATE SET "
                + "\"checkpoint_id\" = EXCLUDED.\"checkpoint_id\", \"committed_at\" = EXCLUDED.\"committed_at\"");
        assertThat(postgresTable.readStatement())
                .isEqualTo("SELECT \"checkpoint_id\" FROM weir_sink_progress WHERE \"writer_id\" = ?");

        ProgressTable mysqlTable = new ProgressTable(Dialect.MYSQL, "ops.weir_sink_progress");
        assertThat(mysqlTable.createStatement()).isEqualTo("CREATE TABLE IF NOT EXISTS ops.weir_sink_progress "
                + "(`writer_id` VARCHAR(255) NOT NULL PRIMARY KEY, `checkpoint_id` BIGINT NOT NULL, "
                + "`committed_at` DATETIME(3) NOT NULL)");
        assertThat(mysqlTable.recordStatement()).isEqualTo("INSERT INTO ops.weir_sink_progress (`writer_id`, "
                + "`checkpoint_id`, `committed_at`) VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE "
                + "`checkpoint_id` = VALUES(`checkpoint_id`), `committed_at` = VALUES(`committed_at`)");
        assertThat(mysqlTable.readStatement())
                .isEqualTo("SELECT `checkpoint_id` FROM ops.weir_sink_progress WHERE `writer_id` = ?");
    }

    @Test
    void recoveryComparesTheCommittedCheckpointWithTheNewest() {
        CommitProgress progress = new CommitProgress(new ProgressTable(Dialect.POSTGRESQL, "p"), "q1.s");
        assertThat(progress.newestVisible("s", OptionalLong.empty(), Optional.empty())).isTrue();
        assertThat(progress.newestVisible("s", OptionalLong.of(4), Optional.empty())).isTrue();
        assertThat(progress.newestVisible("s", OptionalLong.of(2), prepared(2))).isTrue();
        assertThat(progress.newestVisible("s", OptionalLong.of(1), prepared(2))).isFalse();
        assertThat(progress.newestVisible("s", OptionalLong.empty(), prepared(1))).isFalse();
        // a newer commit than the newest checkpoint: its rows are there; replaying from the newest duplicates some
        assertThat(progress.newestVisible("s", OptionalLong.of(3), prepared(2))).isTrue();
        assertThat(progress.newestVisible("s", OptionalLong.of(1), prepared(4))).isFalse();
    }

    @Test
    void optionsOfTheProgressTableAreChecked() {
        Target target = appendTarget();
        target.options().put("sink.progress-table", "progress; DROP TABLE x");
        assertThatThrownBy(() -> appender("bad_progress_sink", target))
                .isInstanceOfSatisfying(WeirException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_OPTION_VALUE))
                .hasMessageContaining("'sink.progress-table'");
        Target other = appendTarget();
        String longName = "s".repeat(300);
        assertThatThrownBy(() -> writer(longName, EVENTS, other.options(), List.of(), Optional.of("q1." + longName)))
                .isInstanceOfSatisfying(WeirException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.NOT_SUPPORTED))
                .hasMessageContaining("longer than the 255 characters");
    }

    // ---- commits at every flush ---------------------------------------------------------------

    @Test
    void upsertsCommitAtEveryFlushAndAReplayLeavesTheSameTable() {
        String table = postgres.newTable("balances");
        postgres.execute("CREATE TABLE " + table + " (id BIGINT PRIMARY KEY, balance DOUBLE PRECISION)");
        Map<String, String> options = postgres.options(table);
        String progressTable = postgres.newTable("progress");
        options.put("sink.progress-table", progressTable);
        Batch first = Batch.of(ACCOUNTS, List.of(new Object[] {1L, 10.0}, new Object[] {2L, 20.0}));
        Batch second = Batch.of(ACCOUNTS, List.of(new Object[] {1L, 15.0}, new Object[] {3L, 30.0}));
        SinkWriter writer = writer("balances_sink", ACCOUNTS, options, List.of("id"), Optional.of("q1.balances_sink"));
        assertThat(writer.guarantee()).isEqualTo(DeliveryGuarantee.EXACTLY_ONCE);
        assertThat(writer.recover(Optional.empty())).isTrue();
        writer.write(first);
        writer.prepareCommit(1);
        writer.commit(1);
        writer.write(second);
        writer.flush();
        List<Object[]> expected = List.of(new Object[] {1L, 15.0}, new Object[] {2L, 20.0}, new Object[] {3L, 30.0});
        assertThat(postgres.query("SELECT id, balance FROM " + table + " ORDER BY id")).containsExactlyElementsOf(expected);
        crash("balances_sink");

        // the replay from checkpoint 1 writes the second batch again
        SinkWriter replaying = writer("balances_sink", ACCOUNTS, options, List.of("id"), Optional.of("q1.balances_sink"));
        assertThat(replaying.recover(prepared(1))).isTrue();
        replaying.write(second);
        replaying.prepareCommit(2);
        replaying.commit(2);
        assertThat(postgres.query("SELECT id, balance FROM " + table + " ORDER BY id")).containsExactlyElementsOf(expected);
        assertThat(tableExists(progressTable)).as("upserts need no progress table").isFalse();
    }

    @Test
    void atLeastOnceAppendsCommitAtEveryFlush() {
        Target target = appendTarget();
        target.options().put("delivery.guarantee", "at-least-once");
        SinkWriter writer = appender("plain_sink", target);
        assertThat(writer.guarantee()).isEqualTo(DeliveryGuarantee.AT_LEAST_ONCE);
        assertThat(writer.recover(prepared(3))).isTrue();
        writer.write(events(1, 2));
        writer.flush();
        assertThat(ids(target.table())).isEqualTo(range(1, 2));
        assertThat(tableExists(target.progressTable())).isFalse();
    }

    @Test
    void appendsOfAWriterThatIsNeverRecoveredCommitAtEveryFlush() {
        Target target = appendTarget();
        SinkWriter writer = appender("unrecovered_sink", target); // its query takes no checkpoints
        writer.write(events(1, 2));
        writer.flush();
        assertThat(ids(target.table())).isEqualTo(range(1, 2));
        writer.prepareCommit(1);
        writer.commit(1);
        assertThat(tableExists(target.progressTable())).isFalse();
    }

    @Test
    void appendsOfAQueryWithoutWriterIdCommitAtEveryFlush() {
        Target target = appendTarget();
        SinkWriter writer = writer("adhoc_sink", EVENTS, target.options(), List.of(), Optional.empty());
        assertThat(writer.guarantee()).isEqualTo(DeliveryGuarantee.AT_LEAST_ONCE);
        writer.write(events(1, 2));
        writer.flush();
        assertThat(ids(target.table())).isEqualTo(range(1, 2));
    }
}
