package io.weir.server.meta;

import io.weir.spi.connector.memory.InMemoryData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Keep-last deduplication and Top-N of a stream written by INSERT INTO a sink with a primary key through a real
 * server: each row replaces the row of its key, so the sink's last row per key is the current one. The memory
 * sink records every write; the test folds them by key as an upserting sink would.
 */
@Timeout(120)
class TopNUpsertTest {
    @TempDir
    Path dataDir;
    private EngineServer server;
    private String bids;
    private String out;

    @BeforeEach
    void start() throws IOException, SQLException {
        server = EngineServer.start(dataDir, "20 ms");
        bids = "topn_bids_" + System.nanoTime();
        out = bids + "_out";
        InMemoryData.register(bids, List.of(), false);
        InMemoryData.register(out, List.of(), true);
        try (Connection connection = server.connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE STREAM bids (auction BIGINT, price BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts)"
                    + " WITH ('connector' = 'memory', 'data' = '" + bids + "')");
        }
    }

    @AfterEach
    void stop() {
        server.close();
        InMemoryData.unregister(bids);
        InMemoryData.unregister(out);
    }

    private void bid(long auction, long price, long ts) {
        InMemoryData.append(bids, List.<Object[]>of(new Object[] {auction, price, ts}));
    }

    /** The last row written per key (the first {@code keyColumns} columns). */
    private Map<List<Object>, List<Object>> upserted(int keyColumns) {
        Map<List<Object>, List<Object>> rows = new LinkedHashMap<>();
        for (Object[] row : InMemoryData.rows(out)) {
            rows.put(Arrays.asList(row).subList(0, keyColumns), Arrays.asList(row));
        }
        return rows;
    }

    @Test
    void keepLastReplacesEachAuctionsRowWithItsLatestBid() throws Exception {
        try (Connection connection = server.connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE last_bids (auction BIGINT, price BIGINT, PRIMARY KEY (auction))"
                    + " WITH ('connector' = 'memory', 'data' = '" + out + "')");
            statement.execute("INSERT INTO last_bids SELECT STREAM auction, price FROM (SELECT *, ROW_NUMBER() OVER"
                    + " (PARTITION BY auction ORDER BY ts DESC) AS rn FROM bids) WHERE rn = 1");
            bid(1, 10, 1_000);
            bid(2, 20, 1_000);
            EngineServer.await(() -> upserted(1).size() == 2);
            bid(1, 5, 2_000);
            bid(2, 99, 500); // older than auction 2's row: ignored
            bid(2, 30, 3_000);
            EngineServer.await(() -> upserted(1).get(List.of(2L)).equals(List.of(2L, 30L)));
            assertThat(upserted(1).values()).containsExactly(List.of(1L, 5L), List.of(2L, 30L));
            assertThat(InMemoryData.rows(out)).noneMatch(row -> row[1].equals(99L));
        }
    }

    @Test
    void topNWritesEachRankOfEachAuction() throws Exception {
        try (Connection connection = server.connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE top_bids (auction BIGINT, rn BIGINT, price BIGINT, PRIMARY KEY (auction, rn))"
                    + " WITH ('connector' = 'memory', 'data' = '" + out + "')");
            statement.execute("INSERT INTO top_bids SELECT STREAM auction, rn, price FROM (SELECT *, ROW_NUMBER() OVER"
                    + " (PARTITION BY auction ORDER BY price DESC) AS rn FROM bids) WHERE rn <= 2");
            bid(1, 10, 1_000);
            bid(1, 30, 1_000);
            bid(1, 20, 1_000);
            bid(1, 5, 1_000);
            EngineServer.await(() -> upserted(2).size() == 2 && upserted(2).get(List.of(1L, 2L)).equals(List.of(1L, 2L, 20L)));
            assertThat(upserted(2).values()).containsExactlyInAnyOrder(List.of(1L, 1L, 30L), List.of(1L, 2L, 20L));
        }
    }

    @Test
    void aPrimaryKeyOtherThanThePartitionIsRefused() throws Exception {
        try (Connection connection = server.connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE by_price (auction BIGINT, price BIGINT, PRIMARY KEY (price))"
                    + " WITH ('connector' = 'memory', 'data' = '" + out + "')");
            assertThatThrownBy(() -> statement.execute("INSERT INTO by_price SELECT STREAM auction, price FROM (SELECT *,"
                    + " ROW_NUMBER() OVER (PARTITION BY auction ORDER BY ts DESC) AS rn FROM bids) WHERE rn = 1"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("must be filled by exactly those columns");
            statement.execute("CREATE STREAM appended (auction BIGINT, price BIGINT)"
                    + " WITH ('connector' = 'memory', 'data' = '" + out + "')");
            assertThatThrownBy(() -> statement.execute("INSERT INTO appended SELECT STREAM auction, price FROM (SELECT *,"
                    + " ROW_NUMBER() OVER (PARTITION BY auction ORDER BY ts DESC) AS rn FROM bids) WHERE rn = 1"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("INSERT INTO a sink with a PRIMARY KEY on its PARTITION BY columns");
        }
    }
}
