package io.weir.connector.file;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.batch.Batch;
import io.weir.spi.batch.BatchBuilder;
import io.weir.spi.connector.ConnectorContext;
import io.weir.spi.connector.ConnectorResolver;
import io.weir.spi.connector.ManualClock;
import io.weir.spi.connector.ObjectKind;
import io.weir.spi.connector.ResolvedConnector;
import io.weir.spi.connector.Sink;
import io.weir.spi.connector.SinkWriter;
import io.weir.spi.connector.SourceHarness;
import io.weir.spi.connector.SourceReader;
import io.weir.spi.error.RecordErrorHandler;
import io.weir.spi.type.DataType;
import io.weir.spi.type.TypeKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FileSinkTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final List<DataType.Field> CLICKS = List.of(
            new DataType.Field("user_id", DataType.of(TypeKind.BIGINT)),
            new DataType.Field("url", DataType.varchar()),
            new DataType.Field("ts", DataType.timestamp(3)));

    @TempDir
    Path tempDir;

    private static Map<String, String> options(Object... keyValues) {
        Map<String, String> options = new HashMap<>();
        options.put("connector", "file");
        for (int i = 0; i < keyValues.length; i += 2) {
            options.put((String) keyValues[i], String.valueOf(keyValues[i + 1]));
        }
        return options;
    }

    private Sink sink(Map<String, String> options, InstantSource clock) {
        ResolvedConnector resolved = ConnectorResolver.resolve(options);
        ConnectorContext context = resolved.context("out", ObjectKind.STREAM, CLICKS,
                RecordErrorHandler.failing("out", ObjectKind.STREAM), tempDir.resolve("state"), clock);
        resolved.validate(context);
        return resolved.connector().createSink(context);
    }

    private static List<Object[]> rows(int first, int count) {
        List<Object[]> rows = new ArrayList<>();
        for (int i = first; i < first + count; i++) {
            rows.add(new Object[]{(long) i, "/page/" + i + ", \"quoted\"", 1_700_000_000_000L + i});
        }
        return rows;
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(file -> file.getFileName().toString()).sorted().toList();
        }
    }

    private static List<String> visible(Path dir) throws IOException {
        return names(dir).stream().filter(name -> !name.startsWith(".")).toList();
    }

    private List<Object[]> readDirectory(Path dir, Object... extraOptions) throws IOException {
        Map<String, String> options = options("path", dir);
        for (int i = 0; i < extraOptions.length; i += 2) {
            options.put((String) extraOptions[i], String.valueOf(extraOptions[i + 1]));
        }
        return SourceHarness.create("in", CLICKS, options, Files.createDirectories(tempDir.resolve("read-state")))
                .readAll(TIMEOUT);
    }

    @Test
    void inProgressFileIsHiddenUntilComplete() throws IOException {
        Path out = tempDir.resolve("out");
        try (SinkWriter writer = sink(options("path", out), InstantSource.system()).createWriter()) {
            writer.write(Batch.of(CLICKS, rows(0, 3)));
            writer.flush();
            assertThat(names(out)).singleElement().satisfies(name ->
                    assertThat(name).startsWith(".part-").endsWith(".jsonl.inprogress"));
            assertThat(readDirectory(out)).as("rows of an in-progress file").isEmpty();
        }
        assertThat(names(out)).singleElement().satisfies(name -> assertThat(name).matches("part-[0-9a-f]{8}-000000\\.jsonl"));
        assertThat(readDirectory(out)).containsExactlyElementsOf(rows(0, 3));
    }

    @Test
    void watchingSourceIgnoresInProgressFiles() throws IOException {
        Path out = tempDir.resolve("watched");
        SourceHarness harness = SourceHarness.create("in", ObjectKind.STREAM, CLICKS,
                options("path", out, "watch", "true", "watch.interval", "1 ms"), tempDir.resolve("read-state"), InstantSource.system());
        try (SourceReader reader = harness.createSource().createReader();
             SinkWriter writer = sink(options("path", out), InstantSource.system()).createWriter()) {
            writer.write(Batch.of(CLICKS, rows(0, 2)));
            writer.flush();
            // also an in-progress file of another writer that does not hide it with a dot
            Files.writeString(out.resolve("part-other.jsonl.inprogress"), "{\"user_id\": 99}\n");
            BatchBuilder builder = new BatchBuilder(CLICKS);
            for (int i = 0; i < 20; i++) {
                assertThat(reader.poll(builder, 100)).as("rows from in-progress files").isZero();
            }
            writer.close();
            assertThat(harness.read(reader, 2, TIMEOUT)).containsExactlyElementsOf(rows(0, 2));
        }
    }

    @Test
    void rollsBySize() throws IOException {
        Path out = tempDir.resolve("out");
        List<Object[]> all = rows(0, 100);
        try (SinkWriter writer = sink(options("path", out, "sink.rolling-policy.file-size", "1 KB"), InstantSource.system())
                .createWriter()) {
            for (int b = 0; b < 10; b++) {
                writer.write(Batch.of(CLICKS, all.subList(b * 10, b * 10 + 10)));
                writer.flush();
            }
        }
        List<String> files = visible(out);
        assertThat(files).hasSizeGreaterThan(3).allSatisfy(name -> assertThat(name).matches("part-[0-9a-f]{8}-\\d{6}\\.jsonl"));
        assertThat(names(out)).as("no in-progress file after close").allSatisfy(name -> assertThat(name).doesNotStartWith("."));
        for (String name : files.subList(0, files.size() - 1)) {
            long size = Files.size(out.resolve(name));
            // a file is completed by the row that takes it to the limit, so at most one row beyond it
            assertThat(size).as(name).isGreaterThanOrEqualTo(1024).isLessThan(1024 + 200);
        }
        assertThat(readDirectory(out)).as("files in name order hold the rows in order").containsExactlyElementsOf(all);
    }

    @Test
    void rollsByIntervalOnFlush() throws IOException {
        Path out = tempDir.resolve("out");
        ManualClock clock = ManualClock.at("2024-01-15T10:00:00Z");
        try (SinkWriter writer = sink(options("path", out, "sink.rolling-policy.rollover-interval", "1 min"), clock).createWriter()) {
            writer.write(Batch.of(CLICKS, rows(0, 2)));
            writer.flush();
            assertThat(visible(out)).isEmpty();
            clock.advance(Duration.ofSeconds(59));
            writer.flush();
            assertThat(visible(out)).isEmpty();
            clock.advance(Duration.ofSeconds(1));
            writer.flush();
            assertThat(visible(out)).hasSize(1);
            assertThat(names(out)).hasSize(1);
            writer.flush(); // nothing open: no empty file
            assertThat(names(out)).hasSize(1);
            writer.write(Batch.of(CLICKS, rows(2, 1)));
            writer.flush();
            assertThat(visible(out)).hasSize(1);
        }
        assertThat(visible(out)).hasSize(2);
        assertThat(readDirectory(out)).containsExactlyElementsOf(rows(0, 3));
    }

    @Test
    void csvRoundTripWithHeaderThroughTheFileSource() throws IOException {
        Path out = tempDir.resolve("csv-out");
        Map<String, String> csv = options("path", out, "format", "csv", "csv.header", "true", "csv.field-delimiter", ";",
                "sink.rolling-policy.file-size", "300");
        try (SinkWriter writer = sink(csv, InstantSource.system()).createWriter()) {
            writer.write(Batch.of(CLICKS, rows(0, 10)));
            writer.write(Batch.of(CLICKS, List.<Object[]>of(new Object[]{null, "multi\nline", null})));
            writer.flush();
        }
        List<String> files = visible(out);
        assertThat(files).hasSizeGreaterThan(1).allSatisfy(name -> assertThat(name).endsWith(".csv"));
        for (String name : files) {
            assertThat(Files.readAllLines(out.resolve(name)).get(0)).isEqualTo("user_id;url;ts");
        }
        List<Object[]> expected = new ArrayList<>(rows(0, 10));
        expected.add(new Object[]{null, "multi\nline", null});
        assertThat(readDirectory(out, "format", "csv", "csv.header", "true", "csv.field-delimiter", ";"))
                .containsExactlyElementsOf(expected);
    }

    @Test
    void inProgressFilesOfAWriterThatDiedAreCompletedByTheNextWriter() throws IOException {
        Path out = Files.createDirectories(tempDir.resolve("out"));
        // flushed rows of a crashed writer, then a record cut off by the crash
        Files.writeString(out.resolve(".part-deadbeef-000004.jsonl.inprogress"),
                "{\"user_id\": 1}\n{\"user_id\": 2}\n{\"user_id\": 3, \"url\": \"/cut");
        Files.writeString(out.resolve(".part-deadbeef-000005.jsonl.inprogress"), "");
        Sink sink = sink(options("path", out), InstantSource.system());
        try (SinkWriter live = sink.createWriter(); SinkWriter next = sink.createWriter()) {
            live.write(Batch.of(CLICKS, rows(10, 1)));
            live.flush();
            next.write(Batch.of(CLICKS, rows(20, 1)));
            next.flush();
            assertThat(names(out)).as("the orphan is completed, the empty one dropped, live files stay in progress")
                    .hasSize(3).contains("part-deadbeef-000004.jsonl")
                    .filteredOn(name -> name.startsWith(".")).hasSize(2);
            assertThat(Files.readString(out.resolve("part-deadbeef-000004.jsonl"))).isEqualTo("{\"user_id\": 1}\n{\"user_id\": 2}\n");
        }
        assertThat(visible(out)).hasSize(3);
        assertThat(readDirectory(out)).extracting(row -> row[0]).containsExactlyInAnyOrder(1L, 2L, 10L, 20L);
    }

    @Test
    void pathThatIsARegularFileIsRejected() throws IOException {
        Path file = Files.writeString(tempDir.resolve("taken.json"), "{}\n");
        assertThatThrownBy(() -> sink(options("path", file), InstantSource.system()))
                .isInstanceOfSatisfying(WeirException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.VALIDATION_ERROR))
                .hasMessageContaining("'" + file + "' is a regular file")
                .hasMessageContaining("'path'");
    }

    @Test
    void badRollingOptionsAreRejected() {
        assertThatThrownBy(() -> sink(options("path", tempDir, "sink.rolling-policy.file-size", "0"), InstantSource.system()))
                .isInstanceOfSatisfying(WeirException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_OPTION_VALUE))
                .hasMessageContaining("'sink.rolling-policy.file-size'");
        assertThatThrownBy(() -> sink(options("path", tempDir, "sink.rolling-policy.rollover-interval", "0 s"), InstantSource.system()))
                .hasMessageContaining("'sink.rolling-policy.rollover-interval'");
        assertThat(FileSinkSettings.parseSize("128 MB")).isEqualTo(128L << 20);
        assertThat(FileSinkSettings.parseSize("64kb")).isEqualTo(64L << 10);
        assertThat(FileSinkSettings.parseSize("2 GiB")).isEqualTo(2L << 30);
        assertThat(FileSinkSettings.parseSize("1000")).isEqualTo(1000L);
        assertThat(FileSinkSettings.parseSize("ten MB")).isEqualTo(-1L);
    }

    @Test
    void writerIsClosedForWrites() {
        SinkWriter writer = sink(options("path", tempDir.resolve("out")), InstantSource.system()).createWriter();
        writer.close();
        assertThatThrownBy(() -> writer.write(Batch.of(CLICKS, rows(0, 1)))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void closeReleasesAFileItCannotCompleteAndKeepsItsRows() throws IOException {
        Path out = tempDir.resolve("out");
        SinkWriter writer = sink(options("path", out), InstantSource.system()).createWriter();
        writer.write(Batch.of(CLICKS, rows(0, 3)));
        writer.flush();
        Path inProgress = out.resolve(names(out).get(0));
        // a directory where the completed file would go, so that the rename completing it fails
        Files.createDirectories(InProgressFiles.completedName(inProgress).orElseThrow().resolve("occupied"));

        assertThatCode(writer::close).doesNotThrowAnyException();
        assertThat(Files.readAllLines(inProgress)).as("rows of the in-progress file").hasSize(3);
    }
}
