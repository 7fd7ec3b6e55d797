package io.weir.formats.parquet;

import io.weir.spi.WeirException;
import io.weir.spi.batch.Batch;
import io.weir.spi.batch.BatchBuilder;
import io.weir.spi.format.DamagedFileException;
import io.weir.spi.format.FileFormat;
import io.weir.spi.format.FormatFactory;
import io.weir.spi.format.Formats;
import io.weir.spi.option.OptionValidator;
import io.weir.spi.option.OptionValues;
import io.weir.spi.type.DataType;
import io.weir.spi.type.Projection;
import io.weir.spi.type.TypeKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Files written by the parquet format, read back by DuckDB (an independent reader) and by the format itself. */
class ParquetFormatTest {
    private static final List<DataType.Field> SCHEMA = List.of(
            new DataType.Field("flag", DataType.of(TypeKind.BOOLEAN)),
            new DataType.Field("small", DataType.of(TypeKind.SMALLINT)),
            new DataType.Field("id", DataType.of(TypeKind.INTEGER)),
            new DataType.Field("big", DataType.of(TypeKind.BIGINT)),
            new DataType.Field("ratio", DataType.of(TypeKind.DOUBLE)),
            new DataType.Field("price", DataType.decimal(10, 2)),
            new DataType.Field("huge", DataType.decimal(30, 4)),
            new DataType.Field("name", DataType.varchar()),
            new DataType.Field("day", DataType.of(TypeKind.DATE)),
            new DataType.Field("ts", DataType.timestamp(3)),
            new DataType.Field("tags", DataType.map(DataType.varchar(), DataType.of(TypeKind.BIGINT))),
            new DataType.Field("items", DataType.array(DataType.varchar())));

    private static final long TS = 1_765_000_000_123L; // 2025-12-06T05:46:40.123Z
    private static final long DAY = LocalDate.of(2026, 12, 7).toEpochDay();

    private static FormatFactory format() {
        return Formats.find("parquet");
    }

    private static FileFormat fileFormat(Map<String, String> options) {
        OptionValues values = OptionValidator.validate("format 'parquet'", format().options(), options);
        format().validate(SCHEMA, values);
        return format().fileFormat(SCHEMA, values).orElseThrow();
    }

    private static List<Object[]> rows() {
        Map<String, Long> tags = new LinkedHashMap<>();
        tags.put("a", 1L);
        tags.put("b", null);
        List<String> items = new ArrayList<>();
        items.add("x");
        items.add(null);
        items.add("z");
        return List.of(
                new Object[] {true, 7L, 42L, 9_000_000_000L, 0.25, new BigDecimal("1234.56"),
                        new BigDecimal("12345678901234567890.1234"), "héllo", DAY, TS, tags, items},
                new Object[] {false, -3L, -1L, Long.MIN_VALUE, -1.5, new BigDecimal("-0.01"),
                        new BigDecimal("-1.0000"), "", 0L, -1L, Map.of(), List.of()},
                new Object[] {null, null, null, null, null, null, null, null, null, null, null, null});
    }

    private static Path write(Path dir, Map<String, String> options, List<Object[]> rows) throws IOException {
        Path file = dir.resolve("part.parquet");
        Batch batch = Batch.of(SCHEMA, rows);
        try (OutputStream out = Files.newOutputStream(file);
             FileFormat.FileWriter writer = fileFormat(options).createWriter(out, file.toString())) {
            for (int row = 0; row < batch.rowCount(); row++) {
                writer.write(batch, row);
            }
        }
        return file;
    }

    private static void duckdbExecute(String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:");
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static List<List<Object>> duckdb(String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:");
             Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery(sql)) {
            List<List<Object>> rows = new ArrayList<>();
            int columns = result.getMetaData().getColumnCount();
            while (result.next()) {
                List<Object> row = new ArrayList<>();
                for (int column = 1; column <= columns; column++) {
                    row.add(result.getString(column));
                }
                rows.add(row);
            }
            return rows;
        }
    }

    @Test
    void duckDbReadsEveryMappedTypeExactly(@TempDir Path dir) throws Exception {
        Path file = write(dir, Map.of(), rows());
        List<List<Object>> rows = duckdb("SELECT flag, small, id, big, ratio, price, huge, name, day, ts, "
                + "tags['a'], cardinality(tags), items, typeof(small), typeof(price), typeof(huge), typeof(day), typeof(ts), "
                + "typeof(tags), typeof(name) FROM read_parquet('" + file + "') ORDER BY id NULLS LAST");
        assertThat(rows).hasSize(3);
        assertThat(rows.get(0)).containsExactly("false", "-3", "-1", String.valueOf(Long.MIN_VALUE), "-1.5", "-0.01",
                "-1.0000", "", "1970-01-01", "1969-12-31 23:59:59.999", null, "0", "[]",
                "SMALLINT", "DECIMAL(10,2)", "DECIMAL(30,4)", "DATE", "TIMESTAMP", "MAP(VARCHAR, BIGINT)", "VARCHAR");
        assertThat(rows.get(1)).containsExactly("true", "7", "42", "9000000000", "0.25", "1234.56",
                "12345678901234567890.1234", "héllo", "2026-12-07", "2025-12-06 05:46:40.123", "1", "2", "[x, NULL, z]",
                "SMALLINT", "DECIMAL(10,2)", "DECIMAL(30,4)", "DATE", "TIMESTAMP", "MAP(VARCHAR, BIGINT)", "VARCHAR");
        assertThat(rows.get(2).subList(0, 13)).containsOnlyNulls();
    }

    @Test
    void readsBackWhatItWrote(@TempDir Path dir) throws Exception {
        Path file = write(dir, Map.of(), rows());
        List<Object[]> read = read(file, Projection.all(), 0);
        assertThat(read).hasSize(3);
        List<Object[]> expected = rows();
        for (int row = 0; row < 3; row++) {
            assertThat(read.get(row)).containsExactly(expected.get(row));
        }
    }

    @Test
    void readsOnlyTheProjectedColumnsAndResumesAtARow(@TempDir Path dir) throws Exception {
        Path file = write(dir, Map.of(), rows());
        List<Object[]> read = read(file, Projection.of(2, 7), 1);
        assertThat(read).hasSize(2);
        assertThat(read.get(0)[2]).isEqualTo(-1L);
        assertThat(read.get(0)[7]).isEqualTo("");
        assertThat(read.get(0)[0]).isNull(); // not projected
        assertThat(read.get(0)[9]).isNull();
        assertThat(read.get(1)[2]).isNull();
        assertThat(read(file, Projection.of(), 0)).hasSize(3); // no column at all: the row count
    }

    @ParameterizedTest
    @ValueSource(strings = {"snappy", "zstd", "gzip", "none"})
    void compressesPagesWithTheChosenCodec(String codec, @TempDir Path dir) throws Exception {
        List<Object[]> many = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            many.add(new Object[] {i % 2 == 0, 1L, (long) i, (long) i * 3, i / 4.0, new BigDecimal("1.50"),
                    new BigDecimal("2.0000"), "name-" + (i % 10), DAY, TS + i, Map.of("k", (long) i), List.of("a")});
        }
        Path file = write(dir, Map.of("parquet.compression", codec, "parquet.row-group-size", "64 KB"), many);
        String expected = switch (codec) {
            case "snappy" -> "SNAPPY";
            case "zstd" -> "ZSTD";
            case "gzip" -> "GZIP";
            default -> "UNCOMPRESSED";
        };
        assertThat(duckdb("SELECT DISTINCT compression FROM parquet_metadata('" + file + "')"))
                .containsExactly(List.of(expected));
        assertThat(Integer.parseInt((String) duckdb("SELECT count(DISTINCT row_group_id) FROM parquet_metadata('" + file + "')")
                .get(0).get(0))).as("row groups of at most 64 KB").isGreaterThan(1);
        assertThat(duckdb("SELECT count(*), sum(id), sum(big) FROM read_parquet('" + file + "')"))
                .containsExactly(List.of("5000", "12497500", "37492500"));
        assertThat(read(file, Projection.of(2), 0)).hasSize(5000);
        assertThat(read(file, Projection.of(2), 4321).get(0)[2]).isEqualTo(4321L);
    }

    @Test
    void readsFilesDuckDbWrote(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("duck.parquet");
        duckdbExecute("COPY (SELECT true AS flag, 5::SMALLINT AS small, 1 AS id, 2::BIGINT AS big, 0.5::DOUBLE AS ratio, "
                + "12.34::DECIMAL(10,2) AS price, 1.5::DECIMAL(30,4) AS huge, 'duck' AS name, DATE '2026-12-07' AS day, "
                + "TIMESTAMP '2025-12-06 05:46:40.123456' AS ts, MAP {'a': 1::BIGINT} AS tags, ['p', 'q'] AS items) "
                + "TO '" + file + "' (FORMAT parquet, COMPRESSION zstd)");
        List<Object[]> read = read(file, Projection.all(), 0);
        assertThat(read).hasSize(1);
        assertThat(read.get(0)).containsExactly(true, 5L, 1L, 2L, 0.5, new BigDecimal("12.34"), new BigDecimal("1.5000"),
                "duck", DAY, TS, Map.of("a", 1L), List.of("p", "q"));
    }

    @Test
    void aFileThatIsNotParquetGetsAClearError(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad.parquet");
        Files.writeString(file, "{\"id\": 1}\n{\"id\": 2}\n");
        assertThatThrownBy(() -> read(file, Projection.all(), 0))
                .isInstanceOf(DamagedFileException.class)
                .hasMessageContaining("'" + file + "' is not a readable Parquet file");
        Path truncated = write(dir, Map.of(), rows());
        byte[] bytes = Files.readAllBytes(truncated);
        Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        assertThatThrownBy(() -> read(truncated, Projection.all(), 0))
                .isInstanceOf(DamagedFileException.class)
                .hasMessageContaining("is not a readable Parquet file");
    }

    /** Hive, Impala and older Spark write timestamps as INT96 (nanoseconds of the day, Julian day); DuckDB reads them too. */
    @Test
    void readsLegacyInt96Timestamps(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("int96.parquet");
        org.apache.parquet.schema.MessageType type = org.apache.parquet.schema.MessageTypeParser.parseMessageType(
                "message spark_schema { optional int96 ts; }");
        long[][] values = {{2_440_588, 0}, {2_461_017, 3_723_456_789_123L}, {2_440_587, 86_399_999_000_000L}};
        try (org.apache.parquet.hadoop.ParquetWriter<org.apache.parquet.example.data.Group> writer =
                     org.apache.parquet.hadoop.example.ExampleParquetWriter.builder(new org.apache.parquet.io.LocalOutputFile(file))
                             .withConf(new org.apache.parquet.conf.PlainParquetConfiguration()).withType(type)
                             .withCodecFactory(Codecs.INSTANCE).build()) {
            for (long[] value : values) {
                org.apache.parquet.example.data.Group group = new org.apache.parquet.example.data.simple.SimpleGroupFactory(type).newGroup();
                group.add(0, new org.apache.parquet.example.data.simple.NanoTime((int) value[0], value[1]));
                writer.write(group);
            }
        }
        List<DataType.Field> schema = List.of(new DataType.Field("ts", DataType.timestamp(3)));
        BatchBuilder out = new BatchBuilder(schema, 4);
        List<Object> read = new ArrayList<>();
        try (FileFormat.FileReader reader = new ParquetFormatFactory().fileFormat(schema, OptionValidator.validate("f",
                new ParquetFormatFactory().options(), Map.of())).orElseThrow().openReader(file, Projection.all(), 0)) {
            while (reader.next(out)) {
                out.commitRow();
            }
        }
        Batch batch = out.build();
        for (int row = 0; row < batch.rowCount(); row++) {
            read.add(batch.value(0, row));
        }
        // 1970-01-01T00:00, 2025-12-07T01:02:03.456 (the nanoseconds below a millisecond dropped), 1969-12-31T23:59:59.999
        assertThat(read).containsExactly(0L, 1_765_069_323_456L, -1L);
        assertThat(duckdb("SELECT floor(epoch_us(ts) / 1000)::BIGINT FROM read_parquet('" + file + "')"))
                .containsExactly(List.of("0"), List.of("1765069323456"), List.of("-1"));
    }

    @Test
    void aColumnOfAnotherTypeInTheFileIsNamed(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("other.parquet");
        duckdbExecute("COPY (SELECT 'text' AS id) TO '" + file + "' (FORMAT parquet)");
        assertThatThrownBy(() -> read(file, Projection.all(), 0))
                .isInstanceOf(WeirException.class)
                .hasMessageContaining("Parquet column 'id'")
                .hasMessageContaining("cannot be read as INTEGER");
    }

    @Test
    void rejectsUnknownCompressionAndTinyRowGroups() {
        assertThatThrownBy(() -> fileFormat(Map.of("parquet.compression", "lz4")))
                .isInstanceOf(WeirException.class).hasMessageContaining("parquet.compression");
        assertThatThrownBy(() -> fileFormat(Map.of("parquet.row-group-size", "12")))
                .isInstanceOf(WeirException.class).hasMessageContaining("'parquet.row-group-size'");
        assertThatThrownBy(() -> format().createDecoder(SCHEMA, OptionValidator.validate("f", format().options(), Map.of())))
                .isInstanceOf(WeirException.class).hasMessageContaining("'connector' = 'file'");
    }

    private static List<Object[]> read(Path file, Projection projection, long startRow) throws IOException {
        BatchBuilder out = new BatchBuilder(SCHEMA, 4);
        try (FileFormat.FileReader reader = fileFormat(Map.of()).openReader(file, projection, startRow)) {
            assertThat(reader.position()).isEqualTo(startRow);
            while (reader.next(out)) {
                out.commitRow();
            }
        }
        return out.build().rows();
    }
}
