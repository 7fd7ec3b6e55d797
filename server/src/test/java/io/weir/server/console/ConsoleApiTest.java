package io.weir.server.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.weir.server.config.Secret;
import io.weir.server.testing.RunningServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The web console's page and JSON API over a real server, as the page's script calls them: the page beside the
 * Avatica protocol on {@code /}, statements run through the server's statement runner (rows, counts, errors,
 * continuous queries read by long polling and stopped by closing them), and, on a server with users, each
 * request run as its user.
 */
class ConsoleApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dataDir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private HttpResponse<String> get(RunningServer server, String path, Optional<String> user) throws Exception {
        return send(server, HttpRequest.newBuilder(uri(server, path)).GET(), user);
    }

    private HttpResponse<String> send(RunningServer server, HttpRequest.Builder request, Optional<String> user) throws Exception {
        user.ifPresent(credentials -> request.header("Authorization",
                "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8))));
        return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(RunningServer server, String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    private HttpResponse<String> sql(RunningServer server, String statement, Optional<String> user) throws Exception {
        String body = JSON.writeValueAsString(Map.of("sql", statement));
        return send(server, HttpRequest.newBuilder(uri(server, "/api/sql")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)), user);
    }

    private JsonNode sqlOk(RunningServer server, String statement, Optional<String> user) throws Exception {
        HttpResponse<String> response = sql(server, statement, user);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    @Test
    void thePageIsServedAtTheRootBesideTheAvaticaProtocol() throws Exception {
        try (RunningServer server = RunningServer.start(dataDir)) {
            HttpResponse<String> page = get(server, "/", Optional.empty());
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
            assertThat(page.body()).contains("<title>Weir console</title>").contains("src=\"/console/console.js\"")
                    .doesNotContain("<script>").doesNotContain("http://").doesNotContain("https://");
            assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(policy ->
                    assertThat(policy).contains("script-src 'self'").contains("frame-ancestors 'none'").doesNotContain("unsafe"));
            assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");

            HttpResponse<String> script = get(server, "/console/console.js", Optional.empty());
            assertThat(script.statusCode()).isEqualTo(200);
            assertThat(script.headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
            assertThat(script.body()).contains("/api/sql").doesNotContain("innerHTML");
            assertThat(get(server, "/console/console.css", Optional.empty()).statusCode()).isEqualTo(200);
            assertThat(get(server, "/console/favicon.svg", Optional.empty()).statusCode()).isEqualTo(200);
            assertThat(get(server, "/console/../pom.xml", Optional.empty()).statusCode()).isEqualTo(404);
            assertThat(get(server, "/console/secret.properties", Optional.empty()).statusCode()).isEqualTo(404);

            // the JDBC drivers still POST to "/"
            try (Connection weir = DriverManager.getConnection(server.jdbcUrl());
                 Statement statement = weir.createStatement();
                 ResultSet rows = statement.executeQuery("SELECT 1 + 1")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getInt(1)).isEqualTo(2);
            }
            try (Connection stock = DriverManager.getConnection(server.avaticaUrl());
                 Statement statement = stock.createStatement();
                 ResultSet rows = statement.executeQuery("SELECT 40 + 2")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getInt(1)).isEqualTo(42);
            }
        }
    }

    @Test
    void statementsAnswerCountsRowsAndErrors() throws Exception {
        try (RunningServer server = RunningServer.start(dataDir)) {
            JsonNode created = sqlOk(server, "CREATE STREAM ticks (id BIGINT, label VARCHAR, ts TIMESTAMP(3),"
                    + " WATERMARK FOR ts AS ts - INTERVAL '1' SECOND) WITH ('connector' = 'datagen', 'rows-per-second' = '100',"
                    + " 'fields.id.kind' = 'sequence')", Optional.empty());
            assertThat(created.get("kind").asText()).isEqualTo("count");
            assertThat(created.get("message").asText()).contains("ticks");

            JsonNode streams = sqlOk(server, "SHOW STREAMS", Optional.empty());
            assertThat(streams.get("kind").asText()).isEqualTo("rows");
            assertThat(streams.get("columns").get(0).get("name").asText()).isEqualTo("name");
            assertThat(streams.get("rows").get(0).get(0).asText()).isEqualTo("ticks");
            assertThat(streams.get("rows").get(0).get(1).asText()).isEqualTo("datagen");

            JsonNode values = sqlOk(server, "SELECT '<img src=x onerror=alert(1)>' AS html, 9007199254740993 AS big, 1.5e0 AS d,"
                    + " TIMESTAMP '2024-01-15 10:00:00.250' AS t, CAST(NULL AS INTEGER) AS nothing", Optional.empty());
            JsonNode row = values.get("rows").get(0);
            assertThat(row.get(0).asText()).isEqualTo("<img src=x onerror=alert(1)>");
            assertThat(row.get(1).isTextual()).as("integers JavaScript cannot hold come as text").isTrue();
            assertThat(row.get(1).asText()).isEqualTo("9007199254740993");
            assertThat(row.get(2).asDouble()).isEqualTo(1.5);
            assertThat(row.get(3).asText()).isEqualTo("2024-01-15 10:00:00.250");
            assertThat(row.get(4).isNull()).isTrue();
            assertThat(values.get("columns").get(3).get("type").asText()).isEqualTo("TIMESTAMP");

            JsonNode many = sqlOk(server, "SELECT id FROM (VALUES " + "(1),".repeat(SqlEndpoint.MAX_ROWS + 4) + "(1)) AS v(id)",
                    Optional.empty());
            assertThat(many.get("rows").size()).isEqualTo(SqlEndpoint.MAX_ROWS);
            assertThat(many.get("truncated").asBoolean()).isTrue();

            HttpResponse<String> wrong = sql(server, "SELECT nope FROM ticks", Optional.empty());
            assertThat(wrong.statusCode()).isEqualTo(400);
            JsonNode error = JSON.readTree(wrong.body());
            assertThat(error.get("error").asText()).contains("nope");
            assertThat(error.get("sqlstate").asText()).startsWith("42");
            assertThat(get(server, "/metrics", Optional.empty()).body()).as("counted as a failed statement")
                    .containsPattern("(?m)^weir_statement_errors_total\\{sqlstate_class=\"42\"\\} 1\\.0$");
            assertThat(sql(server, "", Optional.empty()).statusCode()).isEqualTo(400);
            assertThat(send(server, HttpRequest.newBuilder(uri(server, "/api/sql")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("not json")), Optional.empty()).body()).contains("{\\\"sql\\\"");
        }
    }

    @Test
    void pagesOfOtherOriginsCannotUseTheApi() throws Exception {
        try (RunningServer server = RunningServer.start(dataDir)) {
            String body = JSON.writeValueAsString(Map.of("sql", "CREATE STREAM planted (id BIGINT) WITH ('connector' = 'datagen')"));
            // what a form or a simple cross-site fetch can send without asking the server first
            HttpResponse<String> plain = send(server, HttpRequest.newBuilder(uri(server, "/api/sql"))
                    .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString(body)), Optional.empty());
            assertThat(plain.statusCode()).isEqualTo(415);
            HttpResponse<String> foreign = send(server, HttpRequest.newBuilder(uri(server, "/api/sql"))
                    .header("Content-Type", "application/json").header("Origin", "http://attacker.example")
                    .POST(HttpRequest.BodyPublishers.ofString(body)), Optional.empty());
            assertThat(foreign.statusCode()).isEqualTo(403);
            assertThat(sqlOk(server, "SHOW STREAMS", Optional.empty()).get("rows").size()).isZero();

            HttpResponse<String> own = send(server, HttpRequest.newBuilder(uri(server, "/api/sql"))
                    .header("Content-Type", "application/json; charset=utf-8").header("Origin", "http://127.0.0.1:" + server.port())
                    .POST(HttpRequest.BodyPublishers.ofString(body)), Optional.empty());
            assertThat(own.statusCode()).as(own.body()).isEqualTo(200);
        }
    }

    @Test
    void aContinuousQueryIsReadByLongPollingAndStopsWhenClosed() throws Exception {
        try (RunningServer server = RunningServer.start(dataDir)) {
            sqlOk(server, "CREATE STREAM ticks (id BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)"
                    + " WITH ('connector' = 'datagen', 'rows-per-second' = '200', 'fields.id.kind' = 'sequence')", Optional.empty());
            JsonNode started = sqlOk(server, "SELECT STREAM id, ts FROM ticks", Optional.empty());
            assertThat(started.get("kind").asText()).isEqualTo("continuous");
            String cursor = started.get("cursor").asText();
            String queryId = started.get("queryId").asText();
            assertThat(server.context().queries().list()).extracting(query -> query.id()).containsExactly(queryId);

            JsonNode first = readUntilRows(server, cursor, 0);
            long offset = first.get("offset").asLong();
            assertThat(first.get("rows").size()).isEqualTo((int) offset);
            long firstId = first.get("rows").get(0).get(0).asLong();
            // the same offset again (a retry after a lost reply) answers the same rows
            JsonNode again = JSON.readTree(get(server, "/api/cursors/" + cursor + "?offset=0", Optional.empty()).body());
            assertThat(again.get("rows")).isEqualTo(first.get("rows"));
            JsonNode next = readUntilRows(server, cursor, offset);
            assertThat(next.get("rows").get(0).get(0).asLong()).as("the row after the first frame's").isEqualTo(firstId + offset);

            HttpResponse<String> closed = send(server, HttpRequest.newBuilder(uri(server, "/api/cursors/" + cursor)).DELETE(),
                    Optional.empty());
            assertThat(closed.statusCode()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(20)).until(() -> server.context().queries().size() == 0);
            assertThat(get(server, "/api/cursors/" + cursor + "?offset=0", Optional.empty()).statusCode()).isEqualTo(404);
        }
    }

    @Test
    void stopQueryEndsTheConsolesReadWithTheReason() throws Exception {
        try (RunningServer server = RunningServer.start(dataDir)) {
            sqlOk(server, "CREATE STREAM ticks (id BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)"
                    + " WITH ('connector' = 'datagen', 'rows-per-second' = '50')", Optional.empty());
            JsonNode started = sqlOk(server, "SELECT STREAM id FROM ticks", Optional.empty());
            String cursor = started.get("cursor").asText();
            sqlOk(server, "STOP QUERY '" + started.get("queryId").asText() + "'", Optional.empty());
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                HttpResponse<String> read = get(server, "/api/cursors/" + cursor + "?offset=0", Optional.empty());
                assertThat(read.statusCode()).isIn(404, 409);
                if (read.statusCode() == 409) {
                    assertThat(read.body()).contains("was stopped");
                }
            });
            assertThat(server.context().queries().size()).isZero();
        }
    }

    @Test
    void aFailedQuerysErrorReachesTheConsoleAndSysQueries() throws Exception {
        Path file = dataDir.resolve("bad.json");
        java.nio.file.Files.writeString(file, "{\"n\": 1}\n{\"n\": \"x<b>y</b>\"}\n");
        try (RunningServer server = RunningServer.start(dataDir)) {
            sqlOk(server, "CREATE STREAM bad (n INT) WITH ('connector' = 'file', 'path' = '" + file + "')", Optional.empty());
            JsonNode started = sqlOk(server, "SELECT STREAM n FROM bad", Optional.empty());
            String queryId = started.get("queryId").asText();
            long[] offset = {0};
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                HttpResponse<String> read = get(server, "/api/cursors/" + started.get("cursor").asText() + "?offset=" + offset[0],
                        Optional.empty());
                if (read.statusCode() == 200) {
                    offset[0] = JSON.readTree(read.body()).get("offset").asLong();
                    return false;
                }
                assertThat(read.statusCode()).isEqualTo(409);
                assertThat(JSON.readTree(read.body()).get("error").asText()).contains("cannot parse 'x<b>y</b>'");
                return true;
            });
            JsonNode failed = sqlOk(server, "SELECT state, error FROM sys.queries WHERE query_id = '" + queryId + "'", Optional.empty());
            assertThat(failed.get("rows").get(0).get(0).asText()).isEqualTo("FAILED");
            assertThat(failed.get("rows").get(0).get(1).asText()).contains("cannot parse 'x<b>y</b>'");
        }
    }

    private JsonNode readUntilRows(RunningServer server, String cursor, long offset) throws Exception {
        JsonNode[] answer = new JsonNode[1];
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            HttpResponse<String> read = get(server, "/api/cursors/" + cursor + "?offset=" + offset, Optional.empty());
            assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
            answer[0] = JSON.readTree(read.body());
            return answer[0].get("rows").size() > 0;
        });
        return answer[0];
    }

    @Test
    void onAServerWithUsersEachRequestRunsAsItsUser() throws Exception {
        Optional<String> admin = Optional.of("admin:s3cret-pass");
        Optional<String> viewer = Optional.of("viewer:viewer-pass-1");
        try (RunningServer server = RunningServer.start(dataDir, builder -> builder.adminPassword(Optional.of(new Secret("s3cret-pass"))))) {
            // the page and its files are open; asking who is signed in without credentials is no failure
            assertThat(get(server, "/", Optional.empty()).statusCode()).isEqualTo(200);
            HttpResponse<String> nobody = get(server, "/api/session", Optional.empty());
            assertThat(nobody.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(nobody.body()).get("user").isNull()).isTrue();
            assertThat(JSON.readTree(nobody.body()).get("authentication").asBoolean()).isTrue();

            HttpResponse<String> wrong = get(server, "/api/session", Optional.of("admin:wrong"));
            assertThat(wrong.statusCode()).isEqualTo(401);
            assertThat(wrong.headers().firstValue("WWW-Authenticate")).as("no Basic challenge: browsers would prompt")
                    .hasValueSatisfying(challenge -> assertThat(challenge).doesNotContainIgnoringCase("basic"));
            HttpResponse<String> anonymous = sql(server, "SHOW STREAMS", Optional.empty());
            assertThat(anonymous.statusCode()).isEqualTo(401);
            assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(challenge ->
                    assertThat(challenge).doesNotContainIgnoringCase("basic"));

            assertThat(JSON.readTree(get(server, "/api/session", admin).body()).get("user").asText()).isEqualTo("admin");
            sqlOk(server, "CREATE USER viewer WITH PASSWORD 'viewer-pass-1'", admin);
            sqlOk(server, "CREATE STREAM secret_ticks (id BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)"
                    + " WITH ('connector' = 'datagen', 'rows-per-second' = '50')", admin);
            assertThat(JSON.readTree(get(server, "/api/session", viewer).body()).get("user").asText()).isEqualTo("viewer");

            // the viewer sees only what it may select, and may not read the stream
            assertThat(sqlOk(server, "SHOW STREAMS", viewer).get("rows").size()).isZero();
            HttpResponse<String> refused = sql(server, "SELECT STREAM id FROM secret_ticks", viewer);
            assertThat(refused.statusCode()).isEqualTo(403);
            assertThat(JSON.readTree(refused.body()).get("sqlstate").asText()).isEqualTo("42501");

            // a query's rows are its user's alone
            JsonNode started = sqlOk(server, "SELECT STREAM id FROM secret_ticks", admin);
            String cursor = started.get("cursor").asText();
            assertThat(get(server, "/api/cursors/" + cursor + "?offset=0", viewer).statusCode()).isEqualTo(404);
            assertThat(send(server, HttpRequest.newBuilder(uri(server, "/api/cursors/" + cursor)).DELETE(), viewer).statusCode())
                    .isEqualTo(404);
            assertThat(server.context().queries().list()).singleElement()
                    .satisfies(query -> assertThat(query.owner()).hasValue("admin"));
            assertThat(get(server, "/api/cursors/" + cursor + "?offset=0", admin).statusCode()).isEqualTo(200);
            assertThat(send(server, HttpRequest.newBuilder(uri(server, "/api/cursors/" + cursor)).DELETE(), admin).statusCode())
                    .isEqualTo(200);
            await().atMost(Duration.ofSeconds(20)).until(() -> server.context().queries().size() == 0);
        }
    }
}
