package io.weir.connector.file;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.batch.Batch;
import io.weir.spi.batch.BatchBuilder;
import io.weir.spi.connector.ConnectorConformanceTest;
import io.weir.spi.connector.ManualClock;
import io.weir.spi.connector.ObjectKind;
import io.weir.spi.connector.Source;
import io.weir.spi.connector.SourceHarness;
import io.weir.spi.connector.SourceReader;
import io.weir.spi.connector.Split;
import io.weir.spi.error.DeadLetter;
import io.weir.spi.type.DataType;
import io.weir.spi.type.TypeKind;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FileConnectorTest extends ConnectorConformanceTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final long TS = Instant.parse("2024-01-15T10:30:00Z").toEpochMilli();
    private static final List<DataType.Field> CLICKS = List.of(
            new DataType.Field("user_id", DataType.of(TypeKind.BIGINT)),
            new DataType.Field("url", DataType.varchar()),
            new DataType.Field("ts", DataType.timestamp(3)));

    @Override
    protected String connectorName() {
        return "file";
    }

    @Override
    protected List<DataType.Field> schema() {
        return CLICKS;
    }

    @Override
    protected Map<String, String> fixtureOptions(Path dir) throws IOException {
        Files.writeString(dir.resolve("b.json"), "{\"user_id\": 3, \"url\": \"/c\", \"ts\": \"2024-01-15 10:30:00.002\"}\n");
        Files.writeString(dir.resolve("a.json"), "{\"user_id\": 1, \"url\": \"/a\", \"ts\": " + TS + "}\n\n"
                + "{\"USER_ID\": 2, \"URL\": \"/b\", \"TS\": \"2024-01-15T10:30:00.001Z\", \"extra\": true}");
        Files.writeString(dir.resolve(".hidden.json"), "{\"user_id\": 100}\n");
        Files.writeString(dir.resolve("_in_progress.json"), "{\"user_id\": 101}\n");
        Files.createDirectories(dir.resolve("sub")).resolve("x.json");
        Files.writeString(dir.resolve("sub/x.json"), "{\"user_id\": 102}\n");
        return Map.of("connector", "file", "path", dir.toString());
    }

    @Override
    protected List<Object[]> expectedRows() {
        return List.of(new Object[] {1L, "/a", TS}, new Object[] {2L, "/b", TS + 1}, new Object[] {3L, "/c", TS + 2});
    }

    @Override
    protected Map<String, String> badRecordFixtureOptions(Path dir) throws IOException {
        Files.writeString(dir.resolve("clicks.json"), String.join("\n",
                "{\"user_id\": 1, \"url\": \"/a\"}",
                "{\"user_id\": \"one\"}",
                "{\"user_id\": 2, \"url\": \"/b\"}",
                "{broken",
                "{\"user_id\": 3, \"ts\": \"abc\"}",
                "{\"user_id\": 4}"));
        return Map.of("connector", "file", "path", dir.resolve("clicks.json").toString(), "format", "json");
    }

    @Override
    protected List<Object[]> expectedRowsWithoutBadRecords() {
        return List.of(new Object[] {1L, "/a", null}, new Object[] {2L, "/b", null}, new Object[] {4L, null, null});
    }

    @Override
    protected int badRecordCount() {
        return 3;
    }

    // ---- connector specifics ------------------------------------------------------------------

    private SourceHarness open(List<DataType.Field> schema, Map<String, String> options) throws IOException {
        return SourceHarness.create("clicks", ObjectKind.STREAM, schema, options, Files.createDirectories(tempDir.resolve("state")),
                InstantSource.system());
    }

    private static Map<String, String> options(Object... keyValues) {
        Map<String, String> options = new HashMap<>();
        options.put("connector", "file");
        for (int i = 0; i < keyValues.length; i += 2) {
            options.put((String) keyValues[i], String.valueOf(keyValues[i + 1]));
        }
        return options;
    }

    @Test
    void errorsNameFileAndLine() throws IOException {
        Path file = tempDir.resolve("clicks.json");
        Files.writeString(file, "{\"user_id\": 1}\n\n{\"user_id\": 2, \"ts\": \"abc\"}\n");
        SourceHarness harness = open(CLICKS, options("path", file));
        assertThatThrownBy(() -> harness.readAll(TIMEOUT))
                .isInstanceOfSatisfying(WeirException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.RECORD_DECODE_ERROR))
                .hasMessageStartingWith("Stream 'clicks': cannot decode record at file " + file + " line 3: field 'ts': cannot parse 'abc' as TIMESTAMP")
                .hasMessageEndingWith("Set 'on-error' = 'skip' or 'dead-letter' to keep the stream running");
    }

    @Test
    void csvWithHeaderPerFileAndQuotedLineBreaks() throws IOException {
        Path dir = Files.createDirectories(tempDir.resolve("users"));
        Files.writeString(dir.resolve("1.csv"), "\uFEFFid,name,balance\r\n1,\"Ada\r\nLovelace\",10\r\n2,Bob,x\r\n");
        Files.writeString(dir.resolve("2.csv"), "NAME,ID\n\"Cy, \"\"the third\"\"\",3\n\n");
        List<DataType.Field> schema = List.of(
                new DataType.Field("id", DataType.of(TypeKind.INTEGER)),
                new DataType.Field("name", DataType.varchar()),
                new DataType.Field("balance", DataType.decimal(5, 1)));
        SourceHarness harness = SourceHarness.create("users", ObjectKind.TABLE, schema,
                options("path", dir, "format", "csv", "csv.header", "true", "on-error", "dead-letter"), tempDir, InstantSource.system());
        assertThat(harness.readAll(TIMEOUT)).containsExactly(
                new Object[] {1L, "Ada\nLovelace", new BigDecimal("10.0")},
                new Object[] {3L, "Cy, \"the third\"", null});
        DeadLetter letter = harness.deadLetters().letters().get(0);
        assertThat(letter.source()).isEqualTo("file " + dir.resolve("1.csv") + " line 4");
        assertThat(letter.reason()).isEqualTo("field 'balance': cannot parse 'x' as DECIMAL(5, 1)");
        assertThat(letter.rawText()).isEqualTo("2,Bob,x");
        assertThat(harness.counters().snapshot().read()).isEqualTo(2);
    }

    @Test
    void multiLineRecordErrorReportsItsFirstLine() throws IOException {
        Path file = tempDir.resolve("u.csv");
        Files.writeString(file, "1,ok\n2,\"multi\nline\"x\n3,fine\n");
        List<DataType.Field> schema = List.of(new DataType.Field("id", DataType.of(TypeKind.INTEGER)), new DataType.Field("s", DataType.varchar()));
        SourceHarness harness = open(schema, options("path", file, "format", "csv", "on-error", "dead-letter"));
        assertThat(harness.readAll(TIMEOUT)).extracting(row -> row[0]).containsExactly(1L, 3L);
        assertThat(harness.deadLetters().letters()).singleElement().satisfies(letter -> {
            assertThat(letter.source()).endsWith("u.csv line 2");
            assertThat(letter.rawText()).isEqualTo("2,\"multi\nline\"x");
        });
    }

    @Test
    void gzipAndGlob() throws IOException {
        Path dir = Files.createDirectories(tempDir.resolve("logs"));
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(dir.resolve("a.json.gz")))) {
            out.write("{\"user_id\": 1}\n{\"user_id\": 2}\n".getBytes(StandardCharsets.UTF_8));
        }
        Files.writeString(dir.resolve("b.json"), "{\"user_id\": 3}\n");
        Files.writeString(dir.resolve("c.txt"), "not json\n");
        SourceHarness harness = open(CLICKS, options("path", dir, "glob", "*.{json,json.gz}"));
        assertThat(harness.readAll(TIMEOUT)).extracting(row -> row[0]).containsExactly(1L, 2L, 3L);
    }

    @Test
    void eachFileIsASplitFinishedAtItsEnd() throws IOException {
        Path dir = Files.createDirectories(tempDir.resolve("splits"));
        Files.writeString(dir.resolve("a.json"), "{\"user_id\": 1}\n{\"user_id\": 2}\n");
        Files.writeString(dir.resolve("b.json"), "{\"user_id\": 3}\n");
        SourceHarness harness = open(CLICKS, options("path", dir));
        try (SourceReader reader = harness.createSource().createReader()) {
            BatchBuilder builder = new BatchBuilder(CLICKS);
            assertThat(reader.poll(builder, 100)).isEqualTo(3);
            Batch batch = builder.build();
            assertThat(List.of(batch.splitId(0), batch.splitId(1), batch.splitId(2))).containsExactly(0, 0, 1);
            assertThat(reader.splits()).containsExactly(
                    new Split(0, dir.resolve("a.json").toString(), true),
                    new Split(1, dir.resolve("b.json").toString(), true));
            assertThat(reader.isFinished()).isTrue();
        }
    }

    @Test
    void boundedReaderReadsFilesPresentWhenItStarted() throws IOException {
        Path dir = Files.createDirectories(tempDir.resolve("snapshot"));
        Files.writeString(dir.resolve("a.json"), "{\"user_id\": 1}\n");
        SourceHarness harness = open(CLICKS, options("path", dir));
        try (SourceReader reader = harness.createSource().createReader()) {
            Files.writeString(dir.resolve("b.json"), "{\"user_id\": 2}\n");
            assertThat(harness.read(reader, 100, TIMEOUT)).extracting(row -> row[0]).containsExactly(1L);
        }
    }

    @Test
    void watchedDirectoryPicksUpNewFilesAtTheInterval() throws IOException {
        Path dir = tempDir.resolve("incoming");
        ManualClock clock = ManualClock.at("2024-01-15T10:00:00Z");
        SourceHarness harness = SourceHarness.create("clicks", ObjectKind.STREAM, CLICKS,
                options("path", dir, "watch", "true", "watch.interval", "5 s"), tempDir, clock);
        Source source = harness.createSource();
        assertThat(source.isBounded()).isFalse();
        try (SourceReader reader = source.createReader()) {
            BatchBuilder builder = new BatchBuilder(CLICKS);
            assertThat(reader.poll(builder, 10)).isZero(); // the directory does not exist yet: awaited
            Files.createDirectories(dir);
            moveIn(dir, "a.json", "{\"user_id\": 1}\n{\"user_id\": 2}\n");
            assertThat(reader.poll(builder, 10)).as("before the interval").isZero();
            clock.advance(Duration.ofSeconds(5));
            assertThat(reader.poll(builder, 10)).isEqualTo(2);
            Files.writeString(dir.resolve(".partial.json"), "{\"user_id\": 99}\n");
            moveIn(dir, "b.json", "{\"user_id\": 3}\n");
            clock.advance(Duration.ofSeconds(5));
            assertThat(reader.poll(builder, 1)).isEqualTo(1);
            assertThat(reader.poll(builder, 10)).isZero();
            assertThat(reader.isFinished()).isFalse();
            assertThat(reader.splits()).extracting(Split::finished).containsExactly(true, true);
            assertThat(builder.build().rows()).extracting(row -> row[0]).containsExactly(1L, 2L, 3L);
        }
    }

    private static void moveIn(Path dir, String name, String content) throws IOException {
        Path temp = dir.resolve("_" + name + ".tmp");
        Files.writeString(temp, content);
        Files.move(temp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }

    @Test
    void charsetOption() throws IOException {
        Path file = tempDir.resolve("latin1.json");
        Files.write(file, "{\"url\": \"caf\u00e9\"}\n".getBytes(StandardCharsets.ISO_8859_1));
        assertThat(open(CLICKS, options("path", file, "charset", "ISO-8859-1")).readAll(TIMEOUT))
                .containsExactly(new Object[] {null, "café", null});
    }

    @Test
    void validation() throws IOException {
        Path missing = tempDir.resolve("missing");
        assertThatThrownBy(() -> SourceHarness.create("t", ObjectKind.TABLE, CLICKS, options("path", missing),
                tempDir, InstantSource.system()))
                .isInstanceOfSatisfying(WeirException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.VALIDATION_ERROR))
                .hasMessageContaining("path '" + missing + "' (option 'path') does not exist");
        // a stream may be a sink's target, so a missing path fails only when it is read
        Source missingStream = open(CLICKS, options("path", missing)).createSource();
        assertThatThrownBy(missingStream::createReader)
                .isInstanceOfSatisfying(WeirException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.SOURCE_ERROR))
                .hasMessageContaining("path '" + missing + "' (option 'path') does not exist");
        assertThatThrownBy(() -> open(CLICKS, options("path", tempDir, "sink.rolling-policy.file-size", "12 XB")))
                .isInstanceOfSatisfying(WeirException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_OPTION_VALUE))
                .hasMessageContaining("'sink.rolling-policy.file-size'");
        Path file = Files.writeString(tempDir.resolve("f.json"), "");
        assertThatThrownBy(() -> open(CLICKS, options("path", file, "watch", "true"))).hasMessageContaining("needs a directory");
        assertThatThrownBy(() -> open(CLICKS, options("path", file, "glob", "*.json"))).hasMessageContaining("'glob' selects files in a directory");
        assertThatThrownBy(() -> open(CLICKS, options("path", tempDir, "glob", "*.{json")))
                .isInstanceOfSatisfying(WeirException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_OPTION_VALUE))
                .hasMessageContaining("'glob'");
        assertThatThrownBy(() -> open(CLICKS, options("path", tempDir, "charset", "klingon"))).hasMessageContaining("'charset'");
        assertThatThrownBy(() -> open(CLICKS, options("path", tempDir, "watch.interval", "0 s"))).hasMessageContaining("'watch.interval'");
        assertThatThrownBy(() -> open(CLICKS, options("path", tempDir, "format", "xml"))).hasMessageContaining("Unknown format 'xml'");
        assertThatThrownBy(() -> open(CLICKS, options("path", tempDir, "csv.header", "true")))
                .isInstanceOfSatisfying(WeirException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.UNKNOWN_OPTION));
        assertThatThrownBy(() -> SourceHarness.create("t", ObjectKind.TABLE, CLICKS, options("path", tempDir, "watch", "true"),
                tempDir, InstantSource.system())).hasMessageContaining("cannot watch");
        List<DataType.Field> nested = List.of(new DataType.Field("tags", DataType.array(DataType.varchar())));
        assertThatThrownBy(() -> open(nested, options("path", tempDir, "format", "csv"))).hasMessageContaining("Column 'tags'");
    }

    @Test
    void manyRowsAcrossPolls() throws IOException {
        Path file = tempDir.resolve("big.json");
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
            text.append("{\"user_id\": ").append(i).append(", \"url\": \"/p/").append(i % 100).append("\"}\n");
        }
        Files.writeString(file, text);
        List<Object[]> rows = open(CLICKS, options("path", file)).readAll(TIMEOUT);
        assertThat(rows).hasSize(20_000);
        assertThat(rows.get(19_999)[0]).isEqualTo(19_999L);
    }
}
