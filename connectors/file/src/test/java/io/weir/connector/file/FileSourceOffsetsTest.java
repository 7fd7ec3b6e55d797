package io.weir.connector.file;

import io.weir.spi.batch.Batch;
import io.weir.spi.batch.BatchBuilder;
import io.weir.spi.connector.ManualClock;
import io.weir.spi.connector.ObjectKind;
import io.weir.spi.connector.OffsetReader;
import io.weir.spi.connector.OffsetReading;
import io.weir.spi.connector.Source;
import io.weir.spi.connector.SourceHarness;
import io.weir.spi.connector.SplitOffsets;
import io.weir.spi.type.DataType;
import io.weir.spi.type.TypeKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The file source read by positions: a reader from the offsets another one reached reads exactly the rest. */
class FileSourceOffsetsTest {
    private static final List<DataType.Field> CLICKS = List.of(
            new DataType.Field("user_id", DataType.of(TypeKind.BIGINT)),
            new DataType.Field("url", DataType.varchar()));

    @TempDir
    Path tempDir;

    private Path dir() throws IOException {
        return Files.createDirectories(tempDir.resolve("in"));
    }

    private SourceHarness harness(Map<String, String> extra) throws IOException {
        Map<String, String> options = new HashMap<>(Map.of("connector", "file", "path", dir().toString()));
        options.putAll(extra);
        return SourceHarness.create("in", ObjectKind.STREAM, CLICKS, options,
                Files.createDirectories(tempDir.resolve("state")), ManualClock.at("2024-01-15T10:00:00Z"));
    }

    private static OffsetReading reading(SourceHarness harness) {
        Source source = harness.createSource();
        assertThat(source.resumes()).isTrue();
        return source.offsetReading().orElseThrow();
    }

    /** Polls {@code reader} {@code maxRows} rows at a time until {@code count} rows or its end; the rows with their offsets. */
    private static List<Object[]> poll(OffsetReader reader, int count, int maxRows, List<Long> offsets) {
        List<Object[]> rows = new ArrayList<>();
        BatchBuilder builder = new BatchBuilder(CLICKS, 4);
        int idle = 0;
        while (rows.size() < count && !reader.isFinished() && idle < 100) {
            int added = reader.poll(builder, Math.min(maxRows, count - rows.size()));
            Batch batch = builder.build();
            for (int row = 0; row < batch.rowCount(); row++) {
                offsets.add(batch.offset(row));
            }
            rows.addAll(batch.rows());
            idle = added == 0 ? idle + 1 : 0;
        }
        return rows;
    }

    private static List<Object> ids(List<Object[]> rows) {
        return rows.stream().map(row -> row[0]).toList();
    }

    /** For every cut point: read that many rows, take the offsets, and read the rest with a new reader from them. */
    private void assertResumesAtEveryRow(SourceHarness harness, List<Object> expectedIds) {
        OffsetReading reading = reading(harness);
        SplitOffsets start = reading.startOffsets("q1.in");
        for (int cut = 0; cut <= expectedIds.size(); cut++) {
            List<Object[]> rows;
            SplitOffsets reached;
            try (OffsetReader first = reading.createReader(start)) {
                rows = new ArrayList<>(poll(first, cut, 1, new ArrayList<>()));
                reached = first.offsets();
            }
            try (OffsetReader rest = reading.createReader(reached)) {
                rows.addAll(poll(rest, Integer.MAX_VALUE, 3, new ArrayList<>()));
                assertThat(rest.isFinished()).isTrue();
                assertThat(rest.offsets()).as("the end of every file").isEqualTo(endOffsets(reading, start));
            }
            assertThat(ids(rows)).as("resumed after %s rows at %s", cut, reached).containsExactlyElementsOf(expectedIds);
        }
    }

    private static SplitOffsets endOffsets(OffsetReading reading, SplitOffsets start) {
        try (OffsetReader reader = reading.createReader(start)) {
            poll(reader, Integer.MAX_VALUE, 100, new ArrayList<>());
            return reader.offsets();
        }
    }

    private static void gzip(Path file, String content) throws IOException {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(content.getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void jsonLinesResumeExactlyAfterTheRowsRead() throws IOException {
        Files.writeString(dir().resolve("a.json"), "\uFEFF{\"user_id\": 1, \"url\": \"/\u00e4\u00f6\u00fc\"}\r\n\r\n"
                + "{\"user_id\": 2}\r{\"user_id\": 3}\n{\"user_id\": \"bad\"}\n{\"user_id\": 4}");
        Files.writeString(dir().resolve("b.json"), "{\"user_id\": 5, \"url\": \"\u65e5\u672c\"}\n{\"user_id\": 6}\n\n");
        gzip(dir().resolve("c.json.gz"), "{\"user_id\": 7}\n{\"user_id\": 8}\n");
        Files.writeString(dir().resolve("d.json"), "");
        assertResumesAtEveryRow(harness(Map.of("on-error", "skip")), List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L));
    }

    @Test
    void csvWithAHeaderResumesInTheMiddleOfAFile() throws IOException {
        Files.writeString(dir().resolve("a.csv"), "url,user_id\n/a,1\n\"multi\nline\",2\n/c,3\n");
        Files.writeString(dir().resolve("b.csv"), "# comment\nuser_id,url\n4,/d\n5,/e\n");
        SourceHarness harness = harness(Map.of("format", "csv", "csv.header", "true", "csv.allow-comments", "true"));
        assertResumesAtEveryRow(harness, List.of(1L, 2L, 3L, 4L, 5L));

        OffsetReading reading = reading(harness);
        try (OffsetReader first = reading.createReader(reading.startOffsets("q1.in"))) {
            poll(first, 2, 1, new ArrayList<>());
            try (OffsetReader rest = reading.createReader(first.offsets())) {
                assertThat(poll(rest, 1, 1, new ArrayList<>())).singleElement()
                        .satisfies(row -> assertThat(row).containsExactly(3L, "/c"));
            }
        }
    }

    @Test
    void utf16FilesResumeByLineCount() throws IOException {
        Charset utf16 = StandardCharsets.UTF_16LE;
        Files.writeString(dir().resolve("a.json"), "{\"user_id\": 1}\n{\"user_id\": 2}\r\n{\"user_id\": 3}\n", utf16);
        SourceHarness harness = harness(Map.of("charset", "UTF-16LE"));
        assertResumesAtEveryRow(harness, List.of(1L, 2L, 3L));
        OffsetReading reading = reading(harness);
        try (OffsetReader reader = reading.createReader(reading.startOffsets("q1.in"))) {
            poll(reader, 1, 1, new ArrayList<>());
            assertThat(reader.offsets().get(dir().resolve("a.json").toString())).hasValue(1);
        }
    }

    @Test
    void rowsCarryThePositionOfTheirRecord() throws IOException {
        String first = "{\"user_id\": 1}\n";
        String second = "{\"user_id\": 2}\r\n\n";
        Files.writeString(dir().resolve("a.json"), first + second + "{\"user_id\": 3}");
        OffsetReading reading = reading(harness(Map.of()));
        Path file = dir().resolve("a.json");
        try (OffsetReader reader = reading.createReader(reading.startOffsets("q1.in"))) {
            assertThat(reader.offsets()).isEqualTo(SplitOffsets.of(Map.of(file.toString(), 0L)));
            List<Long> offsets = new ArrayList<>();
            poll(reader, 2, 1, offsets);
            assertThat(offsets).containsExactly(0L, (long) first.length());
            assertThat(reader.offsets().get(file.toString())).hasValue(first.length() + "{\"user_id\": 2}\r\n".length());
            poll(reader, 1, 1, offsets);
            assertThat(offsets).containsExactly(0L, (long) first.length(), (long) (first + second).length());
            poll(reader, 1, 1, offsets);
            assertThat(reader.isFinished()).isTrue();
            assertThat(reader.offsets().get(file.toString())).hasValue(Files.size(file));
            assertThat(reader.splits()).singleElement().satisfies(split -> assertThat(split.name()).isEqualTo(file.toString()));
        }
    }

    @Test
    void startOffsetsListEveryFileAtItsBeginning() throws IOException {
        Files.writeString(dir().resolve("b.json"), "{\"user_id\": 2}\n");
        Files.writeString(dir().resolve("a.json"), "{\"user_id\": 1}\n");
        Files.writeString(dir().resolve(".hidden.json"), "{\"user_id\": 3}\n");
        assertThat(reading(harness(Map.of())).startOffsets("q1.in")).isEqualTo(SplitOffsets.of(Map.of(
                dir().resolve("a.json").toString(), 0L, dir().resolve("b.json").toString(), 0L)));
    }

    @Test
    void filesMissingFromTheOffsetsAreReadFromTheBeginningAndGoneFilesAreDropped() throws IOException {
        Path a = Files.writeString(dir().resolve("a.json"), "{\"user_id\": 1}\n{\"user_id\": 2}\n");
        Path b = Files.writeString(dir().resolve("b.json"), "{\"user_id\": 3}\n");
        Path shortened = Files.writeString(dir().resolve("c.json"), "{\"user_id\": 4}\n");
        long afterFirst = "{\"user_id\": 1}\n".length();
        String gone = dir().resolve("gone.json").toString();
        OffsetReading reading = reading(harness(Map.of()));
        SplitOffsets checkpointed = SplitOffsets.of(Map.of(a.toString(), afterFirst, gone, 10L, shortened.toString(), 1000L));
        try (OffsetReader reader = reading.createReader(checkpointed)) {
            assertThat(ids(poll(reader, Integer.MAX_VALUE, 10, new ArrayList<>()))).containsExactly(2L, 3L);
            assertThat(reader.offsets()).isEqualTo(SplitOffsets.of(Map.of(a.toString(), Files.size(a), b.toString(), Files.size(b),
                    shortened.toString(), 1000L)));
        }
    }

    @Test
    void watchedDirectoryResumesKnownFilesAndReadsNewOnes() throws IOException {
        Path a = Files.writeString(dir().resolve("a.json"), "{\"user_id\": 1}\n{\"user_id\": 2}\n");
        ManualClock clock = ManualClock.at("2024-01-15T10:00:00Z");
        SourceHarness harness = SourceHarness.create("in", ObjectKind.STREAM, CLICKS,
                Map.of("connector", "file", "path", dir().toString(), "watch", "true", "watch.interval", "1 s"),
                Files.createDirectories(tempDir.resolve("state")), clock);
        OffsetReading reading = reading(harness);
        SplitOffsets checkpointed = SplitOffsets.of(Map.of(a.toString(), (long) "{\"user_id\": 1}\n".length()));
        try (OffsetReader reader = reading.createReader(checkpointed)) {
            assertThat(reader.offsets()).as("before the first listing").isEqualTo(checkpointed);
            assertThat(ids(poll(reader, 1, 10, new ArrayList<>()))).containsExactly(2L);
            Files.writeString(dir().resolve("b.json"), "{\"user_id\": 3}\n");
            assertThat(poll(reader, 1, 10, new ArrayList<>())).as("not listed again before the interval").isEmpty();
            clock.advance(Duration.ofSeconds(1));
            assertThat(ids(poll(reader, 1, 10, new ArrayList<>()))).containsExactly(3L);
            assertThat(reader.isFinished()).isFalse();
            assertThat(reader.offsets().offsets()).containsOnlyKeys(a.toString(), dir().resolve("b.json").toString());
        }
    }
}
