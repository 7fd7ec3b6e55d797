package io.weir.server.meta;

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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Fifty clients connecting at once, each doing DDL, metadata calls and a failing statement. */
class ConcurrentClientsTest {
    private static final int CLIENTS = 50;

    @TempDir
    Path temp;

    @Test
    void fiftyClientsAtOnceAllSucceed() throws Exception {
        Path data = temp.resolve("events.json");
        Files.writeString(data, "{\"id\": 1}\n");
        try (RunningServer server = RunningServer.start(temp.resolve("data"))) {
            ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                int client = i;
                results.add(pool.submit(() -> {
                    start.await();
                    return client(server.jdbcUrl(), client, data);
                }));
            }
            start.countDown();
            for (Future<Integer> result : results) {
                assertThat(result.get(2, TimeUnit.MINUTES)).isGreaterThanOrEqualTo(1);
            }
            pool.shutdown();
            try (Connection connection = DriverManager.getConnection(server.jdbcUrl());
                 ResultSet tables = connection.getMetaData().getTables(null, "weir", "s%", null)) {
                int count = 0;
                while (tables.next()) {
                    count++;
                }
                assertThat(count).isEqualTo(CLIENTS);
            }
        }
    }

    private static int client(String url, int client, Path data) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url);
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE STREAM s" + client + " (id BIGINT) WITH ('connector' = 'file', 'path' = '" + data
                    + "', 'format' = 'json')");
            try {
                statement.execute("CREAT STREAM broken");
                throw new AssertionError("a syntax error was accepted");
            } catch (SQLException expected) {
                assertThat(expected.getSQLState()).isEqualTo("42000");
            }
            int seen = 0;
            try (ResultSet tables = connection.getMetaData().getTables(null, null, "%", null)) {
                while (tables.next()) {
                    if (tables.getString("TABLE_NAME").equals("s" + client)) {
                        seen++;
                    }
                }
            }
            try (ResultSet columns = connection.getMetaData().getColumns(null, null, "s" + client, null)) {
                assertThat(columns.next()).isTrue();
                assertThat(columns.getString("COLUMN_NAME")).isEqualTo("id");
            }
            try (ResultSet rows = statement.executeQuery("SELECT * FROM s" + client + " WHERE 1 <> 1 LIMIT 0")) {
                assertThat(rows.next()).isFalse();
            }
            return seen;
        }
    }
}
