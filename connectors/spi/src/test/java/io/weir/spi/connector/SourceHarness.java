package io.weir.spi.connector;

import io.weir.spi.batch.Batch;
import io.weir.spi.batch.BatchBuilder;
import io.weir.spi.error.ErrorPolicy;
import io.weir.spi.error.InMemoryDeadLetterSink;
import io.weir.spi.error.RecordErrorHandler;
import io.weir.spi.error.SourceCounters;
import io.weir.spi.type.DataType;

import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sets a connector up the way the planner does (resolve options, build the context, validate) and
 * reads its rows while checking the {@link SourceReader} contract; for connector tests.
 */
public final class SourceHarness {
    /** Small on purpose, so that readers are exercised across many polls. */
    public static final int POLL_ROWS = 7;

    private final ResolvedConnector resolved;
    private final ConnectorContext context;
    private final SourceCounters counters = new SourceCounters();
    private final InMemoryDeadLetterSink deadLetters = new InMemoryDeadLetterSink();

    private SourceHarness(String objectName, ObjectKind kind, List<DataType.Field> schema, Map<String, String> options,
                          Path dataDirectory, InstantSource clock) {
        this.resolved = ConnectorResolver.resolve(options, SourceHarness.class.getClassLoader());
        ErrorPolicy policy = resolved.errorPolicy();
        RecordErrorHandler handler = new RecordErrorHandler(objectName, kind, policy, deadLetters, counters, clock);
        this.context = resolved.context(objectName, kind, schema, handler, dataDirectory, clock);
    }

    /** Resolves and validates the options as CREATE would. */
    public static SourceHarness create(String objectName, ObjectKind kind, List<DataType.Field> schema,
                                       Map<String, String> options, Path dataDirectory, InstantSource clock) {
        SourceHarness harness = new SourceHarness(objectName, kind, schema, options, dataDirectory, clock);
        harness.resolved.validate(harness.context);
        return harness;
    }

    public static SourceHarness create(String objectName, List<DataType.Field> schema, Map<String, String> options,
                                       Path dataDirectory) {
        return create(objectName, ObjectKind.STREAM, schema, options, dataDirectory, InstantSource.system());
    }

    public ResolvedConnector resolved() {
        return resolved;
    }

    public ConnectorContext context() {
        return context;
    }

    public SourceCounters counters() {
        return counters;
    }

    public InMemoryDeadLetterSink deadLetters() {
        return deadLetters;
    }

    public Source createSource() {
        return resolved.connector().createSource(context);
    }

    /** All rows of a bounded source, checking that it finishes within {@code timeout}. */
    public List<Object[]> readAll(Duration timeout) {
        Source source = createSource();
        assertThat(source.isBounded()).as("readAll needs a bounded source").isTrue();
        try (SourceReader reader = source.createReader()) {
            List<Object[]> rows = read(reader, Integer.MAX_VALUE, timeout);
            assertThat(reader.isFinished()).isTrue();
            return rows;
        }
    }

    /** The first {@code count} rows of the source (bounded or not). */
    public List<Object[]> readRows(int count, Duration timeout) {
        try (SourceReader reader = createSource().createReader()) {
            return read(reader, count, timeout);
        }
    }

    /** See {@link #read(List, SourceReader, int, Duration)}; rows of this harness's schema. */
    public List<Object[]> read(SourceReader reader, int count, Duration timeout) {
        return read(context.schema(), reader, count, timeout);
    }

    /**
     * Polls {@code reader} until it has returned {@code count} rows or finished; fails after
     * {@code timeout}. Checks each poll: the return value is the number of rows added, at most the
     * limit, and every row's split id is a split the reader reports.
     */
    public static List<Object[]> read(List<DataType.Field> schema, SourceReader reader, int count, Duration timeout) {
        List<Object[]> rows = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        BatchBuilder builder = new BatchBuilder(schema, 4);
        while (rows.size() < count && !reader.isFinished()) {
            int limit = (int) Math.min(POLL_ROWS, (long) count - rows.size());
            int added = reader.poll(builder, limit);
            assertThat(added).as("rows returned by poll").isBetween(0, limit);
            assertThat(builder.rowCount()).as("rows added by poll").isEqualTo(added);
            Batch batch = builder.build();
            Set<Integer> splitIds = new HashSet<>();
            reader.splits().forEach(split -> splitIds.add(split.id()));
            for (int row = 0; row < batch.rowCount(); row++) {
                assertThat(splitIds).as("split of row %s", rows.size() + row).contains(batch.splitId(row));
            }
            rows.addAll(batch.rows());
            if (added == 0 && !reader.isFinished()) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("timed out after " + timeout + " with " + rows.size() + " rows");
                }
                sleep();
            }
        }
        return rows;
    }

    private static void sleep() {
        try {
            Thread.sleep(5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
