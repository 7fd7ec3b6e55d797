package io.weir.server.pg;

import com.fasterxml.jackson.databind.JsonNode;
import io.weir.server.config.ServerConfig;
import io.weir.server.testing.RunningServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * SQLAlchemy with psycopg2 (Debian's python3-sqlalchemy and python3-psycopg2, which {@code .ci/run} installs),
 * as Superset and pandas reach PostgreSQL: its inspector lists schemas, tables and views and describes a
 * table (columns, primary key, foreign keys, indexes, constraints), reflects it and queries it with bound
 * parameters, all through PostgreSQL's catalog as SQLAlchemy's dialect reads it.
 */
class SqlAlchemyTest {

    @TempDir
    static Path temp;
    private static RunningServer server;
    private static String python;

    @BeforeAll
    static void start() throws Exception {
        python = pythonWithSqlAlchemy().orElse(null);
        assumeTrue(python != null, "no Python with SQLAlchemy and psycopg2 (Debian: apt-get install python3-sqlalchemy"
                + " python3-psycopg2); .ci/run installs them");
        server = RunningServer.start(temp.resolve("data"), builder -> builder.pgPort(ServerConfig.FREE_PORT)
                .batchInterval(Duration.ofMillis(50)).parallelism(1));
        Path csv = Files.writeString(temp.resolve("sa-users.csv"), "1,ann\n2,bob\n3,bea\n");
        try (Connection connection = DriverManager.getConnection(server.pgUrl(), "tester", "");
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE sa_users (id BIGINT, name VARCHAR, PRIMARY KEY (id)) WITH ('connector' = 'file',"
                    + " 'path' = '" + csv + "', 'format' = 'csv')");
            statement.execute("CREATE VIEW sa_names AS SELECT name FROM sa_users");
        }
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** Debian's Python first (a Python of one's own, e.g. pyenv's, may lack the packages). */
    private static Optional<String> pythonWithSqlAlchemy() throws Exception {
        for (String candidate : List.of("/usr/bin/python3", "python3")) {
            try {
                Process probe = new ProcessBuilder(candidate, "-c", "import sqlalchemy, psycopg2").redirectErrorStream(true).start();
                probe.getInputStream().readAllBytes();
                if (probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0) {
                    return Optional.of(candidate);
                }
            } catch (java.io.IOException notThere) {
                // try the next one
            }
        }
        return Optional.empty();
    }

    @Test
    void sqlAlchemyInspectsReflectsAndQueries() throws Exception {
        Map<String, JsonNode> checks = ClientChecks.run(List.of(python, "src/test/python/sqlalchemy_client.py", Integer.toString(server.pgPort())));
        assertThat(checks.get("schemas").toString()).contains("\"weir\"");
        assertThat(checks.get("tables").toString()).contains("\"sa_users\"");
        assertThat(checks.get("views").toString()).contains("\"sa_names\"");
        assertThat(checks.get("columns").toString()).isEqualTo("[[\"id\",\"BIGINT\",false],[\"name\",\"VARCHAR\",true]]");
        assertThat(checks.get("primary key").toString()).isEqualTo("[\"id\"]");
        assertThat(checks.get("foreign keys").toString()).isEqualTo("[]");
        assertThat(checks.get("indexes").toString()).isEqualTo("[]");
        assertThat(checks.get("unique").toString()).isEqualTo("[]");
        assertThat(checks.get("checks").toString()).isEqualTo("[]");
        assertThat(checks.get("reflected").toString()).isEqualTo("[\"id\",\"name\"]");
        assertThat(checks.get("select").toString()).isEqualTo("[[2,\"bob\"],[3,\"bea\"]]");
        assertThat(checks.get("text").toString()).isEqualTo("[[\"bea\"],[\"bob\"]]");
    }
}
