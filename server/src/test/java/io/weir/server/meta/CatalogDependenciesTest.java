package io.weir.server.meta;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.weir.spi.connector.memory.InMemoryData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Objects, views and queries refer to each other by identity, through a real server and JDBC: a
 * client's continuous query holds off DROP until CASCADE stops it, and a server restarted on a data
 * directory whose catalog says a stream was dropped and created again (by an older Weir, or a crash
 * between two writes) does not attach the old stream's views and queries to the new one.
 */
class CatalogDependenciesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path dataDir;
    private EngineServer server;
    private final List<String> dataSets = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        server = EngineServer.start(dataDir, "20 ms");
    }

    @AfterEach
    void stop() {
        server.close();
        dataSets.forEach(InMemoryData::unregister);
    }

    /** A fresh in-memory data set (they are process-wide), removed after the test. */
    private String dataSet(boolean bounded, Object[]... rows) {
        String name = "deps_" + UUID.randomUUID().toString().substring(0, 8);
        InMemoryData.register(name, List.of(rows), bounded);
        dataSets.add(name);
        return name;
    }

    private void execute(String sql) throws SQLException {
        try (Connection connection = server.connect(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private List<List<Object>> query(String sql) throws SQLException {
        try (Connection connection = server.connect(); Statement statement = connection.createStatement();
             ResultSet resultSet = statement.executeQuery(sql)) {
            List<List<Object>> rows = new ArrayList<>();
            int columns = resultSet.getMetaData().getColumnCount();
            while (resultSet.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= columns; i++) {
                    row.add(resultSet.getObject(i));
                }
                rows.add(row);
            }
            return rows;
        }
    }

    /** {@code query_id, kind, state, error} of the listed queries. */
    private List<List<Object>> queries() throws SQLException {
        return query("SELECT query_id, kind, state, error FROM sys.queries WHERE ended IS NULL");
    }

    private List<Object> persistentQuery(String id) throws SQLException {
        return queries().stream().filter(row -> row.get(0).equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("query " + id + " is not listed: " + EngineServer.unchecked(this::queries)));
    }

    @Test
    void aClientsContinuousQueryHoldsOffDropUntilCascadeStopsIt() throws Exception {
        String ticks = dataSet(false, new Object[] {1L}, new Object[] {2L});
        execute("CREATE STREAM ticks (id BIGINT) WITH ('connector' = 'memory', 'data' = '" + ticks + "')");
        try (Connection client = server.connect(); Statement statement = client.createStatement();
             ResultSet rows = statement.executeQuery("SELECT STREAM id FROM ticks")) {
            assertThat(rows.next()).isTrue();
            String id = (String) queries().stream().filter(row -> row.get(1).equals("PUSH")).findFirst().orElseThrow().get(0);

            assertThatThrownBy(() -> execute("DROP STREAM ticks"))
                    .isInstanceOfSatisfying(SQLException.class, e -> {
                        assertThat(e.getSQLState()).isEqualTo("2BP01");
                        assertThat(e.getMessage()).contains("Cannot drop stream 'ticks': query '" + id
                                + "' (SELECT STREAM id FROM ticks) depends on it", "DROP STREAM ticks CASCADE");
                    });
            assertThatThrownBy(() -> execute("CREATE OR REPLACE STREAM ticks (id BIGINT) WITH ('connector' = 'memory',"
                    + " 'data' = '" + ticks + "')"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("2BP01"));

            assertThat(query("DROP STREAM ticks CASCADE")).containsExactly(
                    List.of("stopped", "query", id, "SELECT STREAM id FROM ticks"),
                    java.util.Arrays.asList("dropped", "stream", "ticks", null));

            // The client's query was stopped, and its next fetch says why.
            assertThatThrownBy(() -> {
                while (rows.next()) {
                    // rows fetched before the drop
                }
            }).isInstanceOfSatisfying(SQLException.class, e -> {
                assertThat(e.getSQLState()).isEqualTo("57014");
                assertThat(e.getMessage()).contains("stream 'ticks' was dropped");
            });
        }
        assertThat(queries()).isEmpty();
        assertThat(query("SHOW STREAMS")).isEmpty();
    }

    @Test
    void aRestartDoesNotAttachViewsAndQueriesOfAnOlderCatalogToAStreamCreatedAgainUnderTheSameName() throws Exception {
        String oldLogs = dataSet(false, new Object[] {1L}, new Object[] {2L});
        String newLogs = dataSet(false, new Object[] {100L}, new Object[] {200L});
        String out = dataSet(false);
        execute("CREATE STREAM weblogs (id BIGINT) WITH ('connector' = 'memory', 'data' = '" + oldLogs + "')");
        execute("CREATE STREAM copied (id BIGINT) WITH ('connector' = 'memory', 'data' = '" + out + "')");
        execute("CREATE VIEW positive AS SELECT STREAM id FROM weblogs WHERE id > 0");
        execute("CREATE MATERIALIZED VIEW biggest AS SELECT id, COUNT(*) AS n FROM weblogs GROUP BY id");
        String id = (String) query("INSERT INTO copied SELECT STREAM id FROM positive").get(0).get(0);
        await().atMost(TIMEOUT).until(() -> InMemoryData.rows(out).size() == 2);
        server.close();

        // What an older Weir left after DROP STREAM weblogs and CREATE STREAM weblogs over other data:
        // format 1 files, no identities, and the new stream registered after the views and the query.
        editCatalog(1, object -> {
            object.remove("id");
            object.remove("dependencies");
            if (object.get("name").asText().equals("weblogs")) {
                ((ObjectNode) object.get("options")).put("data", newLogs);
                object.put("createdAt", Instant.now().toString());
            }
        });
        editQueries(1, query -> query.remove("dependencies"));
        InMemoryData.register(out, List.of(), false);

        server.restart();
        String gone = "reads stream 'weblogs', which was dropped; the stream 'weblogs' registered since is another object,"
                + " and it is not attached to it";
        await().atMost(TIMEOUT).untilAsserted(() -> {
            assertThat(persistentQuery(id)).element(2).isEqualTo("FAILED");
            assertThat(persistentQuery(id).get(3).toString()).contains(gone);
            assertThat(persistentQuery("view:biggest").get(2)).isEqualTo("FAILED");
            assertThat(persistentQuery("view:biggest").get(3).toString()).contains(gone);
        });
        assertThatThrownBy(() -> query("SELECT STREAM id FROM positive LIMIT 1"))
                .isInstanceOfSatisfying(SQLException.class, e -> {
                    assertThat(e.getSQLState()).isEqualTo("42S02");
                    assertThat(e.getMessage()).contains("View 'positive' " + gone, "DROP VIEW positive");
                });
        // The new stream has rows, and nothing of the old one reads them.
        assertThat(query("SELECT STREAM id FROM weblogs LIMIT 2")).containsExactly(List.of(100L), List.of(200L));
        await().during(Duration.ofMillis(300)).atMost(TIMEOUT).until(() -> InMemoryData.rows(out).isEmpty());
        assertThat(persistentQuery(id)).element(2).isEqualTo("FAILED");

        // The files were upgraded, and the verdict stays the same at the next start.
        assertThat(JSON.readTree(catalogFile().toFile()).get("format-version").asInt()).isEqualTo(2);
        server.restart();
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(persistentQuery(id).get(3).toString()).contains(gone));
        assertThat(InMemoryData.rows(out)).isEmpty();

        // Nothing depends on the new stream: it is dropped without CASCADE. STOP QUERY removes the broken query.
        execute("DROP STREAM weblogs");
        execute("STOP QUERY '" + id + "'");
        execute("DROP MATERIALIZED VIEW biggest");
        execute("DROP VIEW positive");
        assertThat(queries()).isEmpty();
    }

    @Test
    void aQueryWhoseStreamWasReplacedBehindItsBackFailsToRestoreInsteadOfRebinding() throws Exception {
        String first = dataSet(false, new Object[] {1L});
        String second = dataSet(false, new Object[] {2L});
        String out = dataSet(false);
        execute("CREATE STREAM events (id BIGINT) WITH ('connector' = 'memory', 'data' = '" + first + "')");
        execute("CREATE STREAM copy (id BIGINT) WITH ('connector' = 'memory', 'data' = '" + out + "')");
        String id = (String) query("INSERT INTO copy SELECT STREAM id FROM events").get(0).get(0);
        await().atMost(TIMEOUT).until(() -> InMemoryData.rows(out).size() == 1);
        server.close();

        // A crash between two writes, or a hand-edited catalog: another stream under the name, with its own identity.
        editCatalog(2, object -> {
            if (object.get("name").asText().equals("events")) {
                object.put("id", UUID.randomUUID().toString());
                ((ObjectNode) object.get("options")).put("data", second);
            }
        });
        InMemoryData.register(out, List.of(), false);

        server.restart();
        await().atMost(TIMEOUT).untilAsserted(() -> {
            assertThat(persistentQuery(id)).element(2).isEqualTo("FAILED");
            assertThat(persistentQuery(id).get(3).toString()).contains("Persistent query '" + id
                    + "' reads stream 'events', which was dropped; the stream 'events' registered since is another object",
                    "STOP QUERY '" + id + "' removes it");
        });
        await().during(Duration.ofMillis(300)).atMost(TIMEOUT).until(() -> InMemoryData.rows(out).isEmpty());
        // FAILED for good, not RETRYING: no attempts counted, none to come, also past the first back-off (1 s)
        String retries = "SELECT state, attempts, next_attempt FROM sys.queries WHERE query_id = '" + id + "'";
        await().during(Duration.ofMillis(1500)).atMost(TIMEOUT)
                .until(() -> query(retries).equals(List.of(Arrays.asList("FAILED", 0L, null))));

        execute("STOP QUERY '" + id + "'");
        server.restart();
        assertThat(queries()).isEmpty();
        assertThat(InMemoryData.rows(out)).isEmpty();
    }

    private Path catalogFile() {
        return dataDir.resolve("catalog").resolve("catalog.json");
    }

    private void editCatalog(int formatVersion, Consumer<ObjectNode> edit) throws IOException {
        edit(catalogFile(), "objects", formatVersion, edit);
    }

    private void editQueries(int formatVersion, Consumer<ObjectNode> edit) throws IOException {
        edit(dataDir.resolve("catalog").resolve("queries.json"), "queries", formatVersion, edit);
    }

    private static void edit(Path file, String listField, int formatVersion, Consumer<ObjectNode> edit) throws IOException {
        ObjectNode root = (ObjectNode) JSON.readTree(file.toFile());
        root.put("format-version", formatVersion);
        for (JsonNode element : root.get(listField)) {
            edit.accept((ObjectNode) element);
        }
        Files.write(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
    }
}
