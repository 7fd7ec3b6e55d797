package io.weir.spi.connector;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.batch.Batch;
import io.weir.spi.error.ErrorPolicy;
import io.weir.spi.error.InMemoryDeadLetterSink;
import io.weir.spi.error.RecordErrorHandler;
import io.weir.spi.error.SourceCounters;
import io.weir.spi.option.ConfigOption;
import io.weir.spi.option.OptionParsing;
import io.weir.spi.type.DataType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The behaviour every sink must have. A sink connector's test class extends this and supplies a
 * schema, WITH options for a sink writing into an external system it set up (a directory, a topic,
 * a server), and a way to read back what that system received.
 *
 * <p>Each test method runs on a fresh instance (JUnit's default lifecycle), so an implementation may
 * remember in fields what {@link #sinkOptions(Path)} created (a topic name, a server) and read it in
 * {@link #readBack()}.
 */
public abstract class SinkConformanceTest {
    @TempDir
    protected Path tempDir;

    /** The name under which the connector must be found. */
    protected abstract String connectorName();

    /** The columns of the sink stream, as declared in DDL. */
    protected abstract List<DataType.Field> schema();

    /**
     * WITH options (including {@code 'connector'}) for a sink writing into a fresh external target
     * (under {@code dir} when it is a directory). Called once per test, before any writer exists.
     */
    protected abstract Map<String, String> sinkOptions(Path dir) throws Exception;

    /**
     * Every row the external target has received so far, as representation values
     * ({@link io.weir.spi.type.TypeKind}) in the order it received them. Called only after the
     * writers flushed or closed; an asynchronous system must wait until what was flushed is visible
     * (flush guarantees delivery, so e.g. a Kafka test can read up to the end offsets).
     */
    protected abstract List<Object[]> readBack() throws Exception;

    /**
     * {@code count} rows for {@link #schema()}, distinct for distinct {@code first}; the default
     * generates values of every type, with NULLs in nullable columns and text that needs quoting
     * or escaping. Override when the external system cannot carry some values faithfully.
     */
    protected List<Object[]> rows(int first, int count) {
        List<Object[]> rows = new ArrayList<>(count);
        List<DataType.Field> schema = schema();
        for (int i = first; i < first + count; i++) {
            Object[] row = new Object[schema.size()];
            for (int column = 0; column < row.length; column++) {
                DataType type = schema.get(column).type();
                // a NULL in every nullable column of some rows, at a different row for each column
                boolean isNull = type.nullable() && (i + column) % 5 == 3;
                row[column] = isNull ? null : sampleValue(type, i + column);
            }
            rows.add(row);
        }
        return rows;
    }

    /** Whether {@link #readBack()} returns rows of one writer in the order they were written. */
    protected boolean preservesOrder() {
        return true;
    }

    protected InstantSource clock() {
        return InstantSource.system();
    }

    // ---- helpers -----------------------------------------------------------------------------

    protected final ConnectorFactory factory() {
        return Connectors.find(connectorName(), getClass().getClassLoader());
    }

    protected final String objectName() {
        return "conformance_" + connectorName() + "_sink";
    }

    /** Resolves and validates {@code options} as CREATE STREAM would and creates the sink. */
    protected final Sink sink(Map<String, String> options) throws IOException {
        ResolvedConnector resolved = ConnectorResolver.resolve(options, getClass().getClassLoader());
        ErrorPolicy policy = resolved.errorPolicy();
        RecordErrorHandler handler = new RecordErrorHandler(objectName(), ObjectKind.STREAM, policy,
                new InMemoryDeadLetterSink(), new SourceCounters(), clock());
        ConnectorContext context = resolved.context(objectName(), ObjectKind.STREAM, schema(), handler,
                Files.createDirectories(tempDir.resolve("state")), clock());
        resolved.validate(context);
        return resolved.connector().createSink(context);
    }

    protected final Map<String, String> options() throws Exception {
        return sinkOptions(Files.createDirectories(tempDir.resolve("target")));
    }

    protected final Batch batch(List<Object[]> rows) {
        return Batch.of(schema(), rows);
    }

    private static Map<String, String> with(Map<String, String> options, String key, String value) {
        Map<String, String> copy = new LinkedHashMap<>(options);
        copy.put(key, value);
        return copy;
    }

    /** A value of {@code type} derived from {@code i}, in the representation of its kind. */
    protected static Object sampleValue(DataType type, int i) {
        return switch (type.kind()) {
            case BOOLEAN -> i % 2 == 0;
            case TINYINT -> (long) (i % 100 - 50);
            case SMALLINT -> (long) (i * 7 - 300);
            case INTEGER -> (long) i * 1_000 - 123_456;
            case BIGINT -> (long) i * 10_000_000_000L + 7;
            case REAL -> i + 0.5; // exactly representable as a float
            case DOUBLE -> i * 1.25 - 0.001;
            case DECIMAL -> {
                long unscaled = (i * 1_009L + 17) % (long) Math.pow(10, Math.min(type.precision(), 18));
                yield BigDecimal.valueOf(i % 2 == 0 ? unscaled : -unscaled, type.scale());
            }
            case CHAR -> {
                String text = "c" + i;
                int length = type.precision() == DataType.UNSPECIFIED ? text.length() : type.precision();
                yield text.length() >= length ? text.substring(0, length) : text + " ".repeat(length - text.length());
            }
            case VARCHAR -> switch (i % 4) {
                case 0 -> "plain " + i;
                case 1 -> "comma, \"quotes\" and\nnewline " + i;
                case 2 -> "unicode \u00fc\u00df\u20ac \u65e5\u672c " + i;
                default -> "";
            };
            case DATE -> (long) (19_000 + i);
            case TIME -> (long) ((i * 3_601L) % 86_400) * 1_000;
            case TIMESTAMP -> 1_700_000_000_000L + i * 1_001L;
            case INTERVAL_DAY_TIME -> i * 90_061_001L - 1_000L;
            case INTERVAL_YEAR_MONTH -> (long) (i * 13 - 5);
            case VARBINARY -> ("bin" + i + "\u0000\u00ff").getBytes(StandardCharsets.UTF_8);
            case ARRAY -> List.of(sampleValue(type.elementType(), i), sampleValue(type.elementType(), i + 1));
            case MAP -> {
                Map<Object, Object> map = new LinkedHashMap<>();
                map.put(sampleValue(type.keyType(), i), sampleValue(type.valueType(), i));
                map.put(sampleValue(type.keyType(), i + 2), sampleValue(type.valueType(), i + 2));
                yield map;
            }
            case ROW -> {
                List<DataType.Field> fields = type.fields();
                Object[] values = new Object[fields.size()];
                for (int f = 0; f < values.length; f++) {
                    values[f] = sampleValue(fields.get(f).type(), i + f);
                }
                yield values;
            }
        };
    }

    private void assertReceived(List<Object[]> expected) throws Exception {
        List<Object[]> received = readBack();
        if (preservesOrder()) {
            assertThat(received).containsExactlyElementsOf(expected);
        } else {
            assertThat(received).containsExactlyInAnyOrderElementsOf(expected);
        }
    }

    // ---- discovery and options ----------------------------------------------------------------

    @Test
    void factoryIsFoundByServiceLoaderAndIsASink() {
        ConnectorFactory factory = factory();
        assertThat(factory.name()).isEqualTo(connectorName());
        assertThat(Connectors.all(getClass().getClassLoader()).stream().filter(f -> f.name().equals(connectorName())))
                .as("connectors named '%s'", connectorName()).hasSize(1);
        assertThat(factory.description()).isNotBlank();
        assertThat(factory.capabilities()).contains(Capability.SINK);
    }

    @Test
    void everyOptionHasADescriptionAndAValidDefault() {
        Set<String> common = CommonOptions.all().stream().map(ConfigOption::key).collect(Collectors.toSet());
        for (ConfigOption option : factory().options()) {
            assertThat(option.description()).as("description of '%s'", option.key()).isNotBlank();
            assertThat(option.key()).as("option key").matches("[a-z0-9][a-z0-9.\\-]*");
            assertThat(common).as("'%s' clashes with a common option", option.key()).doesNotContain(option.key());
            option.defaultValueText().ifPresent(value -> OptionParsing.parse(option, value));
        }
    }

    @Test
    void unknownOptionIsRejectedNamingIt() throws Exception {
        Map<String, String> options = with(options(), "no-such-option", "1");
        assertThatThrownBy(() -> sink(options))
                .isInstanceOfSatisfying(WeirException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.UNKNOWN_OPTION))
                .hasMessageContaining("'no-such-option'");
    }

    // ---- writing ------------------------------------------------------------------------------

    @Test
    void rowsOfSeveralBatchesArriveInOrderAfterFlush() throws Exception {
        Sink sink = sink(options());
        List<Object[]> expected = new ArrayList<>();
        try (SinkWriter writer = sink.createWriter()) {
            for (int b = 0; b < 3; b++) {
                List<Object[]> rows = rows(b * 10, 3 + b * 4);
                writer.write(batch(rows));
                expected.addAll(rows);
            }
            writer.flush();
            assertReceived(expected);
        }
        assertReceived(expected);
    }

    @Test
    void writesAfterAFlushArriveAfterTheNextFlush() throws Exception {
        Sink sink = sink(options());
        try (SinkWriter writer = sink.createWriter()) {
            List<Object[]> first = rows(0, 4);
            writer.write(batch(first));
            writer.flush();
            List<Object[]> second = rows(100, 5);
            writer.write(batch(second));
            writer.flush();
            List<Object[]> expected = new ArrayList<>(first);
            expected.addAll(second);
            assertReceived(expected);
        }
    }

    @Test
    void flushWithNothingWrittenIsFine() throws Exception {
        Sink sink = sink(options());
        try (SinkWriter writer = sink.createWriter()) {
            writer.flush();
            writer.flush();
        }
        assertReceived(List.of());
    }

    @Test
    void emptyBatchIsFine() throws Exception {
        Sink sink = sink(options());
        List<Object[]> rows = rows(0, 2);
        try (SinkWriter writer = sink.createWriter()) {
            writer.write(batch(List.of()));
            writer.flush();
            writer.write(batch(rows));
            writer.write(batch(List.of()));
            writer.flush();
        }
        assertReceived(rows);
    }

    @Test
    void closeIsIdempotent() throws Exception {
        Sink sink = sink(options());
        SinkWriter unused = sink.createWriter();
        unused.close();
        unused.close();
        SinkWriter used = sink.createWriter();
        List<Object[]> rows = rows(0, 3);
        used.write(batch(rows));
        used.flush();
        used.close();
        used.close();
        assertReceived(rows);
    }

    @Test
    void closeWithoutFlushDoesNotThrow() throws Exception {
        Sink sink = sink(options());
        SinkWriter writer = sink.createWriter();
        writer.write(batch(rows(0, 3)));
        writer.close();
        writer.close();
        // rows not flushed may be lost or delivered; either is fine, but nothing else may arrive
        assertThat(readBack()).hasSizeLessThanOrEqualTo(3);
    }

    @Test
    void writersOfOneSinkAreIndependent() throws Exception {
        Sink sink = sink(options());
        List<Object[]> firstRows = rows(0, 4);
        List<Object[]> secondRows = rows(1_000, 5);
        List<Object[]> laterRows = rows(2_000, 2);
        SinkWriter first = sink.createWriter();
        try (SinkWriter second = sink.createWriter()) {
            first.write(batch(firstRows));
            second.write(batch(secondRows));
            first.flush();
            first.close();
            // closing one writer leaves the other working
            second.write(batch(laterRows));
            second.flush();
        } finally {
            first.close();
        }
        List<Object[]> expected = new ArrayList<>(firstRows);
        expected.addAll(secondRows);
        expected.addAll(laterRows);
        List<Object[]> received = readBack();
        assertThat(received).containsExactlyInAnyOrderElementsOf(expected);
        if (preservesOrder()) {
            List<Object[]> expectedSecond = new ArrayList<>(secondRows);
            expectedSecond.addAll(laterRows);
            assertThat(received.stream().filter(row -> expectedSecond.stream().anyMatch(e -> java.util.Arrays.deepEquals(e, row))))
                    .as("rows of the second writer, in order").containsExactlyElementsOf(expectedSecond);
            assertThat(received.stream().filter(row -> firstRows.stream().anyMatch(e -> java.util.Arrays.deepEquals(e, row))))
                    .as("rows of the first writer, in order").containsExactlyElementsOf(firstRows);
        }
    }
}
