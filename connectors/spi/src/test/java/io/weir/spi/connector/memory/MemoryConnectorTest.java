package io.weir.spi.connector.memory;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.batch.BatchBuilder;
import io.weir.spi.connector.ConnectorConformanceTest;
import io.weir.spi.connector.ObjectKind;
import io.weir.spi.connector.Source;
import io.weir.spi.connector.SourceHarness;
import io.weir.spi.connector.SourceReader;
import io.weir.spi.type.DataType;
import io.weir.spi.type.TypeKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MemoryConnectorTest extends ConnectorConformanceTest {
    private static final List<DataType.Field> SCHEMA = List.of(
            new DataType.Field("id", DataType.of(TypeKind.BIGINT).withNullable(false)),
            new DataType.Field("name", DataType.varchar()),
            new DataType.Field("price", DataType.decimal(6, 2)),
            new DataType.Field("ts", DataType.timestamp(3)));
    private static final long TS = Instant.parse("2024-01-15T10:30:00Z").toEpochMilli();

    private final String dataSet = "memory-test-" + UUID.randomUUID();

    @AfterEach
    void unregister() {
        InMemoryData.unregister(dataSet);
    }

    @Override
    protected String connectorName() {
        return "memory";
    }

    @Override
    protected List<DataType.Field> schema() {
        return SCHEMA;
    }

    @Override
    protected Map<String, String> fixtureOptions(Path dir) {
        InMemoryData.register(dataSet, List.of(
                new Object[] {1, "a", "1.5", "2024-01-15 10:30:00"},
                new Object[] {2L, null, new BigDecimal("2.25"), TS + 1},
                new Object[] {3, "c", 3, Instant.ofEpochMilli(TS + 2)}), true);
        return Map.of("connector", "memory", "data", dataSet);
    }

    @Override
    protected List<Object[]> expectedRows() {
        return List.of(
                new Object[] {1L, "a", new BigDecimal("1.50"), TS},
                new Object[] {2L, null, new BigDecimal("2.25"), TS + 1},
                new Object[] {3L, "c", new BigDecimal("3.00"), TS + 2});
    }

    private SourceHarness harness(String policy, ObjectKind kind) {
        return SourceHarness.create("m", kind, SCHEMA,
                Map.of("connector", "memory", "data", dataSet, "on-error", policy), tempDir, java.time.InstantSource.system());
    }

    @Test
    void unboundedReaderReturnsAppendedRows() {
        InMemoryData.register(dataSet, List.<Object[]>of(new Object[] {1, "a", null, null}), false);
        SourceHarness harness = harness("fail", ObjectKind.STREAM);
        Source source = harness.createSource();
        assertThat(source.isBounded()).isFalse();
        try (SourceReader reader = source.createReader()) {
            BatchBuilder builder = new BatchBuilder(SCHEMA);
            assertThat(reader.poll(builder, 10)).isEqualTo(1);
            assertThat(reader.poll(builder, 10)).isZero();
            InMemoryData.append(dataSet, 2, "b", null, null);
            InMemoryData.append(dataSet, 3, "c", null, null);
            assertThat(reader.poll(builder, 1)).isEqualTo(1);
            assertThat(reader.poll(builder, 10)).isEqualTo(1);
            assertThat(reader.isFinished()).isFalse();
            assertThat(builder.build().rows()).extracting(row -> row[0]).containsExactly(1L, 2L, 3L);
        }
    }

    @Test
    void boundedReaderStopsAtTheRowsPresentWhenItStarted() {
        InMemoryData.register(dataSet, List.<Object[]>of(new Object[] {1, "a", null, null}), true);
        SourceHarness harness = harness("fail", ObjectKind.TABLE);
        try (SourceReader reader = harness.createSource().createReader()) {
            InMemoryData.append(dataSet, 2, "late", null, null);
            assertThat(harness.read(reader, 100, Duration.ofSeconds(5))).hasSize(1);
            assertThat(reader.isFinished()).isTrue();
        }
    }

    @Test
    void badRowsFollowTheErrorPolicy() {
        InMemoryData.register(dataSet, List.of(
                new Object[] {1, "a", null, null},
                new Object[] {null, "null id", null, null},
                new Object[] {3, "bad ts", null, "yesterday"},
                new Object[] {4, "short"},
                new Object[] {5, "e", null, null}), true);
        SourceHarness skipping = harness("skip", ObjectKind.TABLE);
        assertThat(skipping.readAll(Duration.ofSeconds(5))).extracting(row -> row[0]).containsExactly(1L, 5L);
        assertThat(skipping.counters().skipped()).isEqualTo(3);

        SourceHarness lettering = harness("dead-letter", ObjectKind.TABLE);
        lettering.readAll(Duration.ofSeconds(5));
        assertThat(lettering.deadLetters().letters()).extracting(letter -> letter.reason()).containsExactly(
                "field 'id': NULL for a NOT NULL column",
                "field 'ts': cannot parse 'yesterday' as TIMESTAMP (e.g. '2024-01-15 10:30:00', '2024-01-15T10:30:00.123Z' or '2024-01-15T12:30:00+02:00')",
                "expected 4 values but the row has 2");
        assertThat(lettering.deadLetters().letters().get(0).source()).isEqualTo("in-memory data set '" + dataSet + "' row 2");

        SourceHarness failing = harness("fail", ObjectKind.TABLE);
        assertThatThrownBy(() -> failing.readAll(Duration.ofSeconds(5)))
                .isInstanceOfSatisfying(WeirException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.RECORD_DECODE_ERROR))
                .hasMessageStartingWith("Table 'm': cannot decode record at in-memory data set '" + dataSet + "' row 2: field 'id'");
    }

    @Test
    void unknownDataSetIsRejected() {
        assertThatThrownBy(() -> harness("fail", ObjectKind.STREAM))
                .isInstanceOfSatisfying(WeirException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.VALIDATION_ERROR))
                .hasMessageContaining("no in-memory data set '" + dataSet + "'");
    }

    @Test
    void unboundedDataSetCannotBackATable() {
        InMemoryData.register(dataSet, List.of(), false);
        assertThatThrownBy(() -> harness("fail", ObjectKind.TABLE)).hasMessageContaining("is unbounded");
    }
}
