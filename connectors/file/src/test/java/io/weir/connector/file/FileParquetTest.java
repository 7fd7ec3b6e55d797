package io.weir.connector.file;

import io.weir.spi.WeirException;
import io.weir.spi.batch.Batch;
import io.weir.spi.batch.BatchBuilder;
import io.weir.spi.connector.ConnectorContext;
import io.weir.spi.connector.ConnectorResolver;
import io.weir.spi.connector.ManualClock;
import io.weir.spi.connector.ObjectKind;
import io.weir.spi.connector.OffsetReader;
import io.weir.spi.connector.ResolvedConnector;
import io.weir.spi.connector.SinkWriter;
import io.weir.spi.connector.SourceHarness;
import io.weir.spi.connector.SourceReader;
import io.weir.spi.connector.SplitOffsets;
import io.weir.spi.error.RecordErrorHandler;
import io.weir.spi.type.DataType;
import io.weir.spi.type.Projection;
import io.weir.spi.type.TypeKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The file connector with {@code 'format' = 'parquet'}: part files written whole and committed, directories read back. */
class FileParquetTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final List<DataType.Field> ORDERS = List.of(
            new DataType.Field("id", DataType.of(TypeKind.BIGINT)),
            new DataType.Field("customer", DataType.varchar()),
            new DataType.Field("amount", DataType.decimal(10, 2)),
            new DataType.Field("ts", DataType.timestamp(3)));

    @TempDir
    Path tempDir;

    private Map<String, String> options(Path path, Object... extra) {
        Map<String, String> options = new HashMap<>(Map.of("connector", "file", "format", "parquet", "path", path.toString()));
        for (int i = 0; i < extra.length; i += 2) {
            options.put((String) extra[i], String.valueOf(extra[i + 1]));
        }
        return options;
    }

    private ConnectorContext context(Map<String, String> options, Optional<String> consumerId) {
        ResolvedConnector resolved = ConnectorResolver.resolve(options);
        ConnectorContext context = resolved.context("orders", ObjectKind.STREAM, ORDERS,
                RecordErrorHandler.failing("orders", ObjectKind.STREAM), tempDir.resolve("state"), InstantSource.system())
                .withReading(List.of(), consumerId);
        resolved.validate(context);
        return context;
    }

    private SinkWriter writer(Path out, Optional<String> consumerId, Object... extra) {
        ConnectorContext context = context(options(out, extra), consumerId);
        return ConnectorResolver.resolve(options(out, extra)).connector().createSink(context).createWriter();
    }

    private static List<Object[]> rows(int first, int count) {
        List<Object[]> rows = new ArrayList<>();
        for (int i = first; i < first + count; i++) {
            rows.add(new Object[] {(long) i, "customer-" + (i % 7), new BigDecimal(i + ".25"), 1_700_000_000_000L + i * 1000L});
        }
        return rows;
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(file -> file.getFileName().toString()).sorted().toList();
        }
    }

    private static List<String> duckdb(String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:");
             Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery(sql)) {
            List<String> rows = new ArrayList<>();
            while (result.next()) {
                List<String> row = new ArrayList<>();
                for (int column = 1; column <= result.getMetaData().getColumnCount(); column++) {
                    row.add(result.getString(column));
                }
                rows.add(String.join("|", row));
            }
            return rows;
        }
    }

    @Test
    void partFilesAreHiddenUntilTheCheckpointCommitsAndDuckDbReadsThem() throws Exception {
        Path out = tempDir.resolve("out");
        try (SinkWriter writer = writer(out, Optional.of("q1.orders"))) {
            assertThat(writer.recover(Optional.empty())).isTrue();
            writer.write(Batch.of(ORDERS, rows(0, 3)));
            writer.flush();
            assertThat(names(out)).singleElement().satisfies(name ->
                    assertThat(name).startsWith(".part-q1.orders-000000.parquet"));
            writer.prepareCommit(1);
            assertThat(names(out)).noneMatch(name -> name.endsWith(".parquet") && !name.startsWith("."));
            writer.commit(1);
        }
        List<String> visible = names(out).stream().filter(name -> name.endsWith(".parquet") && !name.startsWith(".")).toList();
        assertThat(visible).singleElement().satisfies(name -> assertThat(name).isEqualTo("part-q1.orders-000000.parquet"));
        assertThat(duckdb("SELECT id, customer, amount, ts, typeof(amount), typeof(ts) FROM read_parquet('" + out
                + "/*.parquet') ORDER BY id")).containsExactly(
                "0|customer-0|0.25|2023-11-14 22:13:20.0|DECIMAL(10,2)|TIMESTAMP",
                "1|customer-1|1.25|2023-11-14 22:13:21.0|DECIMAL(10,2)|TIMESTAMP",
                "2|customer-2|2.25|2023-11-14 22:13:22.0|DECIMAL(10,2)|TIMESTAMP");
    }

    @Test
    void rollsBySizeIntoWholeFilesAndReadsTheDirectoryBack() throws Exception {
        Path out = tempDir.resolve("out");
        try (SinkWriter writer = writer(out, Optional.empty(), "sink.rolling-policy.file-size", "4 KB",
                "parquet.compression", "zstd")) {
            for (int b = 0; b < 20; b++) {
                writer.write(Batch.of(ORDERS, rows(b * 100, 100)));
                writer.flush();
            }
        }
        List<String> files = names(out);
        assertThat(files).hasSizeGreaterThan(2).allSatisfy(name -> assertThat(name).matches("part-[0-9a-f]{8}-\\d{6}\\.parquet"));
        assertThat(duckdb("SELECT count(*), sum(id), count(DISTINCT filename) FROM read_parquet('" + out + "/*.parquet', filename = true)"))
                .containsExactly("2000|1999000|" + files.size());
        List<Object[]> read = SourceHarness.create("in", ORDERS, options(out), tempDir.resolve("read")).readAll(TIMEOUT);
        assertThat(read).hasSize(2000);
        assertThat(read.stream().map(row -> (Long) row[0]).sorted().toList())
                .isEqualTo(rows(0, 2000).stream().map(row -> (Long) row[0]).toList());
    }

    @Test
    void readsOnlyTheQueryColumnsAndResumesFromRowPositions() throws Exception {
        Path out = tempDir.resolve("out");
        try (SinkWriter writer = writer(out, Optional.empty())) {
            writer.write(Batch.of(ORDERS, rows(0, 10)));
        }
        ConnectorContext context = context(options(out), Optional.empty()).withProjection(Projection.of(0, 2));
        var source = ConnectorResolver.resolve(options(out)).connector().createSource(context);
        BatchBuilder builder = new BatchBuilder(ORDERS);
        SplitOffsets after4;
        try (SourceReader reader = source.createReader()) {
            assertThat(reader.poll(builder, 4)).isEqualTo(4);
            after4 = ((OffsetReader) reader).offsets();
        }
        Batch first = builder.build();
        assertThat(first.row(3)).containsExactly(3L, null, new BigDecimal("3.25"), null);
        assertThat(first.offset(3)).isEqualTo(3);
        assertThat(after4.offsets().values()).containsExactly(4L);
        try (OffsetReader resumed = source.offsetReading().orElseThrow().createReader(after4)) {
            List<Object[]> rest = SourceHarness.read(ORDERS, resumed, 100, TIMEOUT);
            assertThat(rest).hasSize(6);
            assertThat(rest.get(0)[0]).isEqualTo(4L);
        }
    }

    @Test
    void aCorruptFileFailsTheReadNamingIt() throws Exception {
        Path dir = Files.createDirectories(tempDir.resolve("in"));
        Files.writeString(dir.resolve("bad.parquet"), "this is not parquet\n");
        SourceHarness harness = SourceHarness.create("in", ORDERS, options(dir), tempDir.resolve("read"));
        assertThatThrownBy(() -> harness.readAll(TIMEOUT))
                .isInstanceOf(WeirException.class)
                .hasMessageContaining("Stream 'in'")
                .hasMessageContaining("bad.parquet' is not a readable Parquet file");
    }

    @Test
    void damagedFilesGoToTheStreamsOnErrorPolicy() throws Exception {
        Path dir = Files.createDirectories(tempDir.resolve("in"));
        try (SinkWriter writer = writer(tempDir.resolve("out"), Optional.empty())) {
            writer.write(Batch.of(ORDERS, rows(0, 5)));
        }
        Path good = names(tempDir.resolve("out")).stream().map(name -> tempDir.resolve("out").resolve(name)).findFirst().orElseThrow();
        Files.copy(good, dir.resolve("a-good.parquet"));
        byte[] bytes = Files.readAllBytes(good);
        Files.write(dir.resolve("b-truncated.parquet"), java.util.Arrays.copyOf(bytes, bytes.length / 2));
        Files.writeString(dir.resolve("c-text.parquet"), "this is not parquet\n");
        Files.copy(good, dir.resolve("d-good.parquet"));

        SourceHarness skipping = SourceHarness.create("in", ORDERS, options(dir, "on-error", "skip"), tempDir.resolve("read1"));
        assertThat(skipping.readAll(TIMEOUT)).hasSize(10);
        assertThat(skipping.counters().skipped()).isEqualTo(2);
        // the two good files' bytes, each counted once read through; the damaged ones were not read through
        assertThat(skipping.counters().bytes()).isEqualTo(2L * bytes.length);

        SourceHarness dead = SourceHarness.create("in", ORDERS, options(dir, "on-error", "dead-letter"), tempDir.resolve("read2"));
        assertThat(dead.readAll(TIMEOUT)).hasSize(10);
        assertThat(dead.deadLetters().letters()).extracting(letter -> letter.source())
                .containsExactly("file " + dir.resolve("b-truncated.parquet"), "file " + dir.resolve("c-text.parquet"));
        assertThat(dead.deadLetters().letters().get(1).raw()).isEqualTo("this is not parquet\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(dead.deadLetters().letters().get(0).reason()).contains("b-truncated.parquet' is not a readable Parquet file");

        // a persistent query resuming from its checkpoint does not read (nor dead-letter) a damaged file again
        var source = dead.createSource();
        SplitOffsets done;
        try (SourceReader reader = source.createReader()) {
            assertThat(SourceHarness.read(ORDERS, reader, 100, TIMEOUT)).hasSize(10);
            done = ((OffsetReader) reader).offsets();
        }
        dead.deadLetters().clear();
        try (OffsetReader resumed = source.offsetReading().orElseThrow().createReader(done)) {
            assertThat(SourceHarness.read(ORDERS, resumed, 100, TIMEOUT)).isEmpty();
        }
        assertThat(dead.deadLetters().letters()).isEmpty();

        SourceHarness failing = SourceHarness.create("in", ORDERS, options(dir), tempDir.resolve("read3"));
        assertThatThrownBy(() -> failing.readAll(TIMEOUT))
                .isInstanceOf(WeirException.class)
                .hasMessageStartingWith("Stream 'in': cannot decode record at file " + dir.resolve("b-truncated.parquet"))
                .hasMessageContaining("Set 'on-error' = 'skip' or 'dead-letter'");
    }

    @Test
    void aWatchedDirectoryReadsParquetFilesMovedIntoIt() throws Exception {
        Path out = tempDir.resolve("out");
        try (SinkWriter writer = writer(out, Optional.empty(), "sink.rolling-policy.file-size", "4 KB")) {
            for (int b = 0; b < 6; b++) {
                writer.write(Batch.of(ORDERS, rows(b * 100, 100)));
                writer.flush();
            }
        }
        List<String> parts = names(out);
        assertThat(parts).hasSizeGreaterThan(1);
        Path landing = Files.createDirectories(tempDir.resolve("landing"));
        Files.move(out.resolve(parts.get(0)), landing.resolve(parts.get(0)));
        ManualClock clock = ManualClock.at("2026-12-07T10:00:00Z");
        SourceHarness harness = SourceHarness.create("in", ObjectKind.STREAM, ORDERS,
                options(landing, "watch", "true", "watch.interval", "5 s"), tempDir.resolve("read"), clock);
        var source = harness.createSource();
        assertThat(source.isBounded()).isFalse();
        try (SourceReader reader = source.createReader()) {
            List<Object[]> first = SourceHarness.read(ORDERS, reader, 1, TIMEOUT);
            BatchBuilder rest = new BatchBuilder(ORDERS);
            while (reader.poll(rest, 1000) > 0) {
                // the rest of the first file
            }
            long firstFileRows = first.size() + rest.build().rowCount();
            assertThat(reader.isFinished()).as("a watched directory stays open").isFalse();

            // a file still being written (hidden, as writers name them) and the next complete file, moved in
            Files.writeString(landing.resolve(".copying.parquet"), "PAR1 half");
            Files.move(out.resolve(parts.get(1)), landing.resolve(parts.get(1)));
            assertThat(reader.poll(new BatchBuilder(ORDERS), 1000)).as("not listed again before 'watch.interval'").isZero();
            clock.advance(Duration.ofSeconds(5));
            List<Object[]> second = SourceHarness.read(ORDERS, reader, 1, TIMEOUT);
            BatchBuilder more = new BatchBuilder(ORDERS);
            while (reader.poll(more, 1000) > 0) {
                // the rest of the second file
            }
            long secondFileRows = second.size() + more.build().rowCount();
            assertThat(firstFileRows + secondFileRows).isEqualTo(
                    Long.parseLong(duckdb("SELECT count(*) FROM read_parquet(['" + landing.resolve(parts.get(0)) + "', '"
                            + landing.resolve(parts.get(1)) + "'])").get(0)));
            assertThat(((OffsetReader) reader).offsets().offsets()).containsOnlyKeys(landing.resolve(parts.get(0)).toString(),
                    landing.resolve(parts.get(1)).toString());
        }
        assertThat(harness.counters().skipped() + harness.counters().deadLettered()).isZero();
    }
}
