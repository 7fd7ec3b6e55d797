package io.weir.connector.file;

import io.weir.spi.connector.ConnectorConformanceTest;
import io.weir.spi.type.DataType;
import io.weir.spi.type.TypeKind;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The file source with {@code 'format' = 'parquet'} through the conformance base, over files DuckDB wrote (an
 * independent writer); a bad record is a damaged file: one that is not Parquet, and one cut short.
 */
class FileParquetSourceConformanceTest extends ConnectorConformanceTest {
    private static final long TS = Instant.parse("2024-01-15T10:30:00Z").toEpochMilli();

    @Override
    protected String connectorName() {
        return "file";
    }

    @Override
    protected List<DataType.Field> schema() {
        return List.of(new DataType.Field("user_id", DataType.of(TypeKind.BIGINT)), new DataType.Field("url", DataType.varchar()),
                new DataType.Field("ts", DataType.timestamp(3)));
    }

    private static void duckdbWrite(Path file, String select) throws IOException {
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:");
             Statement statement = connection.createStatement()) {
            statement.execute("COPY (" + select + ") TO '" + file + "' (FORMAT parquet)");
        } catch (SQLException e) {
            throw new IOException(e);
        }
    }

    @Override
    protected Map<String, String> fixtureOptions(Path dir) throws IOException {
        duckdbWrite(dir.resolve("b.parquet"), "SELECT 3::BIGINT AS user_id, '/c' AS url, TIMESTAMP '2024-01-15 10:30:00.002' AS ts");
        duckdbWrite(dir.resolve("a.parquet"), "SELECT * FROM (VALUES (1::BIGINT, '/a', TIMESTAMP '2024-01-15 10:30:00'),"
                + " (2::BIGINT, '/b', TIMESTAMP '2024-01-15 10:30:00.001')) AS t(user_id, url, ts)");
        duckdbWrite(dir.resolve(".hidden.parquet"), "SELECT 100::BIGINT AS user_id");
        duckdbWrite(dir.resolve("_in_progress.parquet"), "SELECT 101::BIGINT AS user_id");
        return Map.of("connector", "file", "path", dir.toString(), "format", "parquet");
    }

    @Override
    protected List<Object[]> expectedRows() {
        return List.of(new Object[] {1L, "/a", TS}, new Object[] {2L, "/b", TS + 1}, new Object[] {3L, "/c", TS + 2});
    }

    @Override
    protected Map<String, String> badRecordFixtureOptions(Path dir) throws IOException {
        duckdbWrite(dir.resolve("a.parquet"), "SELECT * FROM (VALUES (1::BIGINT, '/a'), (2::BIGINT, '/b')) AS t(user_id, url)");
        Files.writeString(dir.resolve("b.parquet"), "{\"user_id\": 3}\n");
        duckdbWrite(dir.resolve("c.parquet"), "SELECT 5::BIGINT AS user_id, '/e' AS url");
        byte[] whole = Files.readAllBytes(dir.resolve("c.parquet"));
        Files.write(dir.resolve("c.parquet"), Arrays.copyOf(whole, whole.length - 12));
        duckdbWrite(dir.resolve("d.parquet"), "SELECT 4::BIGINT AS user_id");
        return Map.of("connector", "file", "path", dir.toString(), "format", "parquet");
    }

    @Override
    protected List<Object[]> expectedRowsWithoutBadRecords() {
        return List.of(new Object[] {1L, "/a", null}, new Object[] {2L, "/b", null}, new Object[] {4L, null, null});
    }

    @Override
    protected int badRecordCount() {
        return 2;
    }
}
