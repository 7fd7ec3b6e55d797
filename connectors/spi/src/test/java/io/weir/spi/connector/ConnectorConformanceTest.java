package io.weir.spi.connector;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.error.DeadLetter;
import io.weir.spi.format.Formats;
import io.weir.spi.option.ConfigOption;
import io.weir.spi.option.OptionParsing;
import io.weir.spi.type.DataType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * The behaviour every connector must have. A connector's test class extends this and supplies a
 * schema, WITH options over fixture data it writes, and the rows expected from it; connectors that
 * read formats also supply a fixture with undecodable records to check {@code 'on-error'}.
 */
public abstract class ConnectorConformanceTest {
    @TempDir
    protected Path tempDir;

    /** The name under which the connector must be found. */
    protected abstract String connectorName();

    /** The columns of the stream or table, as declared in DDL. */
    protected abstract List<DataType.Field> schema();

    /** WITH options (including {@code 'connector'}) for a source over fixture data created under {@code dir}. */
    protected abstract Map<String, String> fixtureOptions(Path dir) throws IOException;

    /** The rows the fixture yields, as representation values, in order. */
    protected abstract List<Object[]> expectedRows();

    protected ObjectKind kind() {
        return ObjectKind.STREAM;
    }

    protected InstantSource clock() {
        return InstantSource.system();
    }

    protected Duration timeout() {
        return Duration.ofSeconds(10);
    }

    /**
     * For connectors that read formats: WITH options over a fixture in which {@link #badRecordCount()}
     * records cannot be decoded and the others yield {@link #expectedRowsWithoutBadRecords()}.
     * Must not set {@code 'on-error'}.
     */
    protected Map<String, String> badRecordFixtureOptions(Path dir) throws IOException {
        throw new UnsupportedOperationException("connector '" + connectorName()
                + "' reads formats: override badRecordFixtureOptions, expectedRowsWithoutBadRecords and badRecordCount");
    }

    protected List<Object[]> expectedRowsWithoutBadRecords() {
        throw new UnsupportedOperationException("override expectedRowsWithoutBadRecords");
    }

    protected int badRecordCount() {
        throw new UnsupportedOperationException("override badRecordCount");
    }

    // ---- helpers -----------------------------------------------------------------------------

    protected final ConnectorFactory factory() {
        return Connectors.find(connectorName(), getClass().getClassLoader());
    }

    protected final SourceHarness harness(Map<String, String> options) throws IOException {
        return SourceHarness.create("conformance_" + connectorName(), kind(), schema(), options,
                Files.createDirectories(tempDir.resolve("state")), clock());
    }

    protected final Map<String, String> fixture() throws IOException {
        return fixtureOptions(Files.createDirectories(tempDir.resolve("fixture")));
    }

    private static Map<String, String> with(Map<String, String> options, String key, String value) {
        Map<String, String> copy = new LinkedHashMap<>(options);
        copy.put(key, value);
        return copy;
    }

    private List<Object[]> readExpectedCount(SourceHarness harness, int count) {
        Source source = harness.createSource();
        try (SourceReader reader = source.createReader()) {
            // A bounded source is read to its end, so that extra rows would show.
            List<Object[]> rows = harness.read(reader, source.isBounded() ? Integer.MAX_VALUE : count, timeout());
            if (source.isBounded()) {
                assertThat(reader.isFinished()).as("bounded source finished after its rows").isTrue();
            }
            return rows;
        }
    }

    // ---- discovery and options ----------------------------------------------------------------

    @Test
    void factoryIsFoundByServiceLoaderUnderItsName() {
        ConnectorFactory factory = factory();
        assertThat(factory.name()).isEqualTo(connectorName());
        assertThat(Connectors.all(getClass().getClassLoader()).stream().filter(f -> f.name().equals(connectorName())))
                .as("connectors named '%s'", connectorName()).hasSize(1);
        assertThat(factory.description()).isNotBlank();
        assertThat(factory.capabilities()).isNotEmpty();
        factory.usesFormat().defaultFormatName().ifPresent(format -> {
            io.weir.spi.format.FormatFactory defaultFormat = Formats.find(format, getClass().getClassLoader());
            assertThat(defaultFormat.name()).isEqualTo(format);
            assertThat(defaultFormat.options()).allSatisfy(option ->
                    assertThat(option.key()).as("format option key").startsWith(format + "."));
        });
    }

    @Test
    void everyOptionHasADescriptionAndAValidDefault() {
        Set<String> common = CommonOptions.all().stream().map(ConfigOption::key).collect(Collectors.toSet());
        for (ConfigOption option : factory().options()) {
            assertThat(option.description()).as("description of '%s'", option.key()).isNotBlank();
            assertThat(option.key()).as("option key").matches("[a-z0-9][a-z0-9.\\-]*");
            assertThat(common).as("'%s' clashes with a common option", option.key()).doesNotContain(option.key());
            option.defaultValueText().ifPresent(value -> OptionParsing.parse(option, value));
            if (option.required()) {
                assertThat(option.defaultValueText()).as("required option '%s' has no default", option.key()).isEmpty();
            }
        }
    }

    @Test
    void unknownOptionIsRejectedNamingIt() throws IOException {
        Map<String, String> options = with(fixture(), "no-such-option", "1");
        assertThatThrownBy(() -> harness(options))
                .isInstanceOfSatisfying(WeirException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.UNKNOWN_OPTION))
                .hasMessageContaining("'no-such-option'");
    }

    @Test
    void missingRequiredOptionIsRejectedNamingIt() throws IOException {
        List<ConfigOption> required = factory().options().stream().filter(ConfigOption::required).toList();
        assumeThat(required).as("connector has required options").isNotEmpty();
        Map<String, String> fixture = fixture();
        for (ConfigOption option : required) {
            Map<String, String> options = new LinkedHashMap<>(fixture);
            options.keySet().removeIf(key -> key.equalsIgnoreCase(option.key()));
            assertThatThrownBy(() -> harness(options))
                    .isInstanceOfSatisfying(WeirException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.MISSING_OPTION))
                    .hasMessageContaining("'" + option.key() + "'");
        }
    }

    @Test
    void missingConnectorOptionIsRejected() throws IOException {
        Map<String, String> options = new LinkedHashMap<>(fixture());
        options.remove("connector");
        assertThatThrownBy(() -> harness(options))
                .isInstanceOfSatisfying(WeirException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.MISSING_OPTION))
                .hasMessageContaining("'connector'").hasMessageContaining(connectorName());
    }

    @Test
    void formatOptionIsRejectedWhenTheConnectorReadsNoFormat() throws IOException {
        assumeThat(factory().usesFormat().supported()).as("connector reads formats").isFalse();
        Map<String, String> options = with(fixture(), "format", "json");
        assertThatThrownBy(() -> harness(options))
                .isInstanceOfSatisfying(WeirException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.UNKNOWN_OPTION))
                .hasMessageContaining("'format'");
    }

    // ---- reading ------------------------------------------------------------------------------

    @Test
    void sourceReturnsTheExpectedRows() throws IOException {
        SourceHarness harness = harness(fixture());
        List<Object[]> expected = expectedRows();
        List<Object[]> rows = readExpectedCount(harness, expected.size());
        assertThat(rows).containsExactlyElementsOf(expected);
        assertThat(harness.counters().read()).isEqualTo(expected.size());
        assertThat(harness.counters().skipped()).isZero();
    }

    @Test
    void boundedSourceFinishesAndStaysFinished() throws IOException {
        SourceHarness harness = harness(fixture());
        Source source = harness.createSource();
        if (kind() == ObjectKind.TABLE) {
            assertThat(source.isBounded()).as("a table's source is bounded").isTrue();
        }
        assumeThat(source.isBounded()).as("source is bounded").isTrue();
        try (SourceReader reader = source.createReader()) {
            harness.read(reader, Integer.MAX_VALUE, timeout());
            assertThat(reader.isFinished()).isTrue();
            assertThat(reader.poll(new io.weir.spi.batch.BatchBuilder(schema()), 10)).isZero();
            assertThat(reader.splits()).allSatisfy(split -> assertThat(split.finished()).as("split %s", split).isTrue());
        }
    }

    @Test
    void readersOfOneSourceAreIndependent() throws IOException {
        SourceHarness harness = harness(fixture());
        Source source = harness.createSource();
        int count = expectedRows().size();
        try (SourceReader first = source.createReader(); SourceReader second = source.createReader()) {
            List<Object[]> firstRows = harness.read(first, count, timeout());
            List<Object[]> secondRows = harness.read(second, count, timeout());
            assertThat(secondRows).containsExactlyElementsOf(firstRows);
        }
    }

    @Test
    void readersCloseIdempotently() throws IOException {
        Source source = harness(fixture()).createSource();
        SourceReader unused = source.createReader();
        unused.close();
        unused.close();
        SourceReader used = source.createReader();
        used.poll(new io.weir.spi.batch.BatchBuilder(schema()), 1);
        used.close();
        used.close();
    }

    // ---- error policies ----------------------------------------------------------------------

    private Map<String, String> badRecords(String policy) throws IOException {
        assumeThat(factory().usesFormat().supported()).as("connector reads formats").isTrue();
        Map<String, String> options = badRecordFixtureOptions(Files.createDirectories(tempDir.resolve("bad-fixture")));
        assertThat(options.keySet()).as("bad-record fixture options").noneMatch(key -> key.equalsIgnoreCase("on-error"));
        return policy == null ? options : with(options, "on-error", policy);
    }

    @Test
    void failPolicyStopsAtTheFirstBadRecord() throws IOException {
        SourceHarness harness = harness(badRecords(null));
        int count = expectedRowsWithoutBadRecords().size() + badRecordCount();
        assertThatThrownBy(() -> readExpectedCount(harness, count))
                .isInstanceOfSatisfying(WeirException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.RECORD_DECODE_ERROR))
                .hasMessageContaining("'conformance_" + connectorName() + "'")
                .hasMessageContaining("cannot decode record at")
                .hasMessageContaining("'on-error'");
    }

    @Test
    void skipPolicyDropsAndCountsBadRecords() throws IOException {
        SourceHarness harness = harness(badRecords("skip"));
        List<Object[]> expected = expectedRowsWithoutBadRecords();
        assertThat(readExpectedCount(harness, expected.size())).containsExactlyElementsOf(expected);
        assertThat(harness.counters().skipped()).isEqualTo(badRecordCount());
        assertThat(harness.counters().deadLettered()).isZero();
        assertThat(harness.deadLetters().letters()).isEmpty();
    }

    @Test
    void deadLetterPolicyKeepsBadRecords() throws IOException {
        SourceHarness harness = harness(badRecords("dead-letter"));
        List<Object[]> expected = expectedRowsWithoutBadRecords();
        assertThat(readExpectedCount(harness, expected.size())).containsExactlyElementsOf(expected);
        assertThat(harness.counters().deadLettered()).isEqualTo(badRecordCount());
        List<DeadLetter> letters = harness.deadLetters().letters();
        assertThat(letters).hasSize(badRecordCount()).allSatisfy(letter -> {
            assertThat(letter.objectName()).isEqualTo("conformance_" + connectorName());
            assertThat(letter.source()).isNotBlank();
            assertThat(letter.reason()).isNotBlank();
            assertThat(letter.raw()).isNotEmpty();
        });
    }
}
