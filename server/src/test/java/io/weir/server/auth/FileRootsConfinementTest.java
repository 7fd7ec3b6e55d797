package io.weir.server.auth;

import io.weir.server.testing.RunningServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The file connector and file sink over a real server: by default only the data directory's files/
 * (created at start), relative paths under it; paths outside, {@code ..} and links leading out are
 * refused with 42501 at CREATE, and a link planted later in a watched directory fails the query that
 * meets it, not the server.
 */
class FileRootsConfinementTest {
    @TempDir
    Path dataDir;
    @TempDir
    Path outside;

    private static final String REFUSED = "is outside the directories the server may read and write";

    private RunningServer defaultServer() throws Exception {
        return RunningServer.start(dataDir, builder -> builder.fileRoots(List.of()));
    }

    @Test
    void byDefaultOnlyTheDataDirectorysFilesAreReachable() throws Exception {
        Files.writeString(outside.resolve("secret.json"), "{\"n\": 42}\n");
        try (RunningServer server = defaultServer();
             Connection connection = DriverManager.getConnection(server.jdbcUrl());
             Statement statement = connection.createStatement()) {
            Path files = dataDir.resolve("files");
            assertThat(files).isDirectory();
            Files.writeString(files.resolve("in.json"), "{\"n\": 1}\n{\"n\": 2}\n");
            statement.execute("CREATE STREAM relative_in (n INT) WITH ('connector' = 'file', 'path' = 'in.json')");
            statement.execute("CREATE STREAM absolute_in (n INT) WITH ('connector' = 'file', 'path' = '" + files.resolve("in.json") + "')");
            assertThat(count(statement, "relative_in")).isEqualTo(2);
            assertThat(count(statement, "absolute_in")).isEqualTo(2);

            assertRefused(statement, "CREATE STREAM secret (n INT) WITH ('connector' = 'file', 'path' = '" + outside.resolve("secret.json") + "')");
            assertRefused(statement, "CREATE STREAM climb (n INT) WITH ('connector' = 'file', 'path' = '../../" + outside.getFileName() + "/secret.json')");
            assertRefused(statement, "CREATE TABLE passwd (line VARCHAR) WITH ('connector' = 'file', 'path' = '/etc/passwd', 'format' = 'raw')");
            Files.createSymbolicLink(files.resolve("link.json"), outside.resolve("secret.json"));
            assertRefused(statement, "CREATE STREAM linked (n INT) WITH ('connector' = 'file', 'path' = 'link.json')");
            // a sink cannot write outside either
            assertRefused(statement, "CREATE STREAM out_sink (n INT) WITH ('connector' = 'file', 'path' = '" + outside.resolve("out") + "')");
            assertThat(outside.resolve("out")).doesNotExist();
            try (ResultSet streams = statement.executeQuery("SHOW STREAMS")) {
                int named = 0;
                while (streams.next()) {
                    named++;
                }
                assertThat(named).as("only the two allowed streams were created").isEqualTo(2);
            }
        }
    }

    @Test
    void aLinkOutPlantedInAWatchedDirectoryFailsTheQueryNotTheServer() throws Exception {
        Files.writeString(outside.resolve("secret.json"), "{\"n\": 42}\n");
        try (RunningServer server = defaultServer();
             Connection connection = DriverManager.getConnection(server.jdbcUrl());
             Statement statement = connection.createStatement()) {
            Path watched = Files.createDirectories(dataDir.resolve("files").resolve("incoming"));
            Files.writeString(watched.resolve("a.json"), "{\"n\": 1}\n");
            statement.execute("CREATE STREAM incoming (n INT) WITH ('connector' = 'file', 'path' = 'incoming')");
            // created while the path was clean; by the time a query reads it, a link leads out
            Files.createSymbolicLink(watched.resolve("b.json"), outside.resolve("secret.json"));
            assertThatThrownBy(() -> count(statement, "incoming"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42501"))
                    .hasMessageContaining(REFUSED);
            Files.delete(watched.resolve("b.json"));
            assertThat(count(statement, "incoming")).isEqualTo(1);
        }
    }

    @Test
    void listedRootsReplaceTheDefault() throws Exception {
        Files.writeString(outside.resolve("listed.json"), "{\"n\": 7}\n");
        try (RunningServer server = RunningServer.start(dataDir, builder -> builder.fileRoots(List.of(outside)));
             Connection connection = DriverManager.getConnection(server.jdbcUrl());
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE STREAM listed (n INT) WITH ('connector' = 'file', 'path' = 'listed.json')");
            assertThat(count(statement, "listed")).isEqualTo(1);
            assertRefused(statement, "CREATE STREAM data_files (n INT) WITH ('connector' = 'file', 'path' = '"
                    + dataDir.resolve("files").resolve("x.json") + "')");
        }
    }

    private static long count(Statement statement, String stream) throws SQLException {
        try (ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM " + stream)) {
            assertThat(rows.next()).isTrue();
            return rows.getLong(1);
        }
    }

    private static void assertRefused(Statement statement, String sql) {
        assertThatThrownBy(() -> statement.execute(sql))
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42501"))
                .hasMessageContaining(REFUSED);
    }
}
