package io.weir.server.meta;

import io.weir.engine.exec.MicroBatchQueryEngine;
import io.weir.server.config.ServerConfig;
import io.weir.server.launcher.WeirServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** A continuous query on the micro-batch engine over an unbounded datagen stream, through JDBC. */
class EngineJdbcTest {
    @TempDir
    Path dataDir;
    private final AtomicReference<MicroBatchQueryEngine> engine = new AtomicReference<>();
    private WeirMeta meta;
    private WeirServer server;

    @BeforeEach
    void start() throws Exception {
        meta = new WeirMeta(ServerContext.open(dataDir, Map.of(), directory -> {
            engine.set(new MicroBatchQueryEngine());
            return engine.get();
        }), Duration.ofMinutes(5));
        server = WeirServer.start(ServerConfig.builder().bindAddress("127.0.0.1").port(0).pgPort(0).dataDir(dataDir).build(), meta);
    }

    @AfterEach
    void stop() {
        server.close();
        meta.close();
    }

    @Test
    void windowsKeepComingUntilTheStatementIsClosedThenNothingIsLeft() throws Exception {
        try (Connection connection = DriverManager.getConnection(server.jdbcUrl());
             Statement setup = connection.createStatement()) {
            setup.execute("CREATE STREAM ticks (id BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '0' SECOND)"
                    + " WITH ('connector' = 'datagen', 'rows-per-second' = '200')");
            setup.execute("SET 'batch.interval' = '50 ms'");
            Statement statement = connection.createStatement();
            ResultSet rows = statement.executeQuery("SELECT STREAM window_start, window_end, COUNT(*) AS n"
                    + " FROM TABLE(TUMBLE(TABLE ticks, DESCRIPTOR(ts), INTERVAL '1' SECOND)) GROUP BY window_start, window_end");
            Timestamp previous = null;
            for (int i = 0; i < 2; i++) {
                assertThat(rows.next()).isTrue();
                Timestamp start = rows.getTimestamp("window_start");
                assertThat(rows.getTimestamp("window_end").getTime() - start.getTime()).isEqualTo(1000);
                assertThat(rows.getLong("n")).isBetween(1L, 1000L);
                if (previous != null) {
                    assertThat(start).isAfter(previous);
                }
                previous = start;
            }
            assertThat(engine.get().runningQueries()).hasSize(1);
            statement.close();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while ((!engine.get().runningQueries().isEmpty() || meta.context().queries().size() > 0)
                    && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(engine.get().runningQueries()).isEmpty();
            assertThat(meta.context().queries().size()).isZero();
        }
    }
}
