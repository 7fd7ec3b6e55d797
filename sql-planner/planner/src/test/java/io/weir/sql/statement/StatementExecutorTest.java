package io.weir.sql.statement;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.connector.memory.InMemoryData;
import io.weir.sql.catalog.Catalog;
import io.weir.sql.catalog.CatalogStore;
import io.weir.sql.session.SessionProperties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StatementExecutorTest {
    @TempDir
    Path dataDir;

    private StatementExecutor executor;
    private SessionProperties session;

    @BeforeEach
    void setUp() {
        executor = new StatementExecutor(Catalog.open(new CatalogStore(dataDir.resolve("catalog"))), dataDir);
        session = new SessionProperties(Map.of());
        List<Object[]> bounded = List.of(
                new Object[] {1L, "a", 1_000L},
                new Object[] {2L, "b", 2_000L},
                new Object[] {3L, "c", 3_000L});
        InMemoryData.register("planner-test-bounded", bounded, true);
        List<Object[]> unbounded = List.<Object[]>of(new Object[] {1L, "a", 1_000L});
        InMemoryData.register("planner-test-unbounded", unbounded, false);
    }

    @AfterEach
    void tearDown() {
        InMemoryData.unregister("planner-test-bounded");
        InMemoryData.unregister("planner-test-unbounded");
    }

    private List<Object[]> rows(String sql) {
        StatementResult.Rows result = (StatementResult.Rows) executor.execute(session, sql);
        List<Object[]> rows = new ArrayList<>();
        result.rows().forEachRemaining(rows::add);
        return rows;
    }

    @Test
    void createsDescribesQueriesAndDropsAStream() {
        executor.execute(session, "CREATE STREAM clicks (user_id BIGINT NOT NULL, url VARCHAR, ts TIMESTAMP(3), "
                + "pt AS PROCTIME(), doubled AS user_id * 2, WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) "
                + "WITH ('connector' = 'memory', 'data' = 'planner-test-bounded')");

        assertThat(rows("SHOW STREAMS")).extracting(r -> r[0]).containsExactly("clicks");
        List<Object[]> described = rows("DESCRIBE clicks");
        assertThat(described).extracting(r -> r[1]).contains("user_id", "url", "ts", "pt", "connector", "data");
        assertThat(described.get(0)[2]).isEqualTo("BIGINT");
        assertThat(described.get(0)[3]).isEqualTo("NO");

        List<Object[]> rows = rows("SELECT USER_ID, url FROM clicks WHERE user_id > 1 ORDER BY user_id");
        assertThat(rows).extracting(r -> r[0]).containsExactly(2L, 3L);
        assertThat(rows).extracting(r -> r[1]).containsExactly("b", "c");

        List<Object[]> computed = rows("SELECT doubled, pt, ts FROM clicks WHERE doubled > 2 ORDER BY doubled");
        assertThat(computed).extracting(r -> r[0]).containsExactly(4L, 6L);
        assertThat(computed).extracting(r -> r[1]).allSatisfy(pt -> assertThat((Long) pt).isGreaterThan(1_700_000_000_000L));
        assertThat(computed).extracting(r -> r[2]).containsExactly(2_000L, 3_000L);

        executor.execute(session, "DROP STREAM clicks");
        assertThat(rows("SHOW STREAMS")).isEmpty();
    }

    @Test
    void aQueryRunAgainReadsWhatTheCatalogHoldsNowNotTheObjectItWasFirstPlannedOver() {
        executor.execute(session, "CREATE TABLE t (id BIGINT, name VARCHAR, ts TIMESTAMP(3)) "
                + "WITH ('connector' = 'memory', 'data' = 'planner-test-bounded')");
        assertThat(rows("SELECT * FROM t WHERE id > 1")).extracting(r -> r[1]).containsExactly("b", "c");
        assertThat(rows("SELECT * FROM t WHERE id > 1")).extracting(r -> r[1]).containsExactly("b", "c");

        executor.execute(session, "DROP TABLE t");
        executor.execute(session, "CREATE TABLE t (id BIGINT, label VARCHAR) "
                + "WITH ('connector' = 'memory', 'data' = 'planner-test-bounded')");

        StatementResult.Rows replaced = (StatementResult.Rows) executor.execute(session, "SELECT * FROM t WHERE id > 1");
        assertThat(replaced.columns()).extracting(ResultColumn::name).containsExactly("id", "label");
        executor.execute(session, "DROP TABLE t");
        assertThatThrownBy(() -> executor.execute(session, "SELECT * FROM t WHERE id > 1"))
                .isInstanceOfSatisfying(WeirException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.UNKNOWN_OBJECT));
    }

    @Test
    void probeQueriesOnUnboundedStreamsReturnColumnsAndNoRows() {
        executor.execute(session, "CREATE STREAM live (id BIGINT, name VARCHAR, ts TIMESTAMP(3)) "
                + "WITH ('connector' = 'memory', 'data' = 'planner-test-unbounded')");
        for (String probe : List.of("SELECT * FROM live WHERE 1 <> 1 LIMIT 0", "SELECT * FROM live WHERE 1 = 0",
                "SELECT * FROM live LIMIT 0", "SELECT TRUE FROM weir.live WHERE 1 <> 1 LIMIT 0")) {
            StatementResult.Rows result = (StatementResult.Rows) executor.execute(session, probe);
            assertThat(result.rows().hasNext()).as(probe).isFalse();
            assertThat(result.columns()).as(probe).isNotEmpty();
        }
        assertThatThrownBy(() -> rows("SELECT * FROM live"))
                .isInstanceOfSatisfying(WeirException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.UNBOUNDED_QUERY_NOT_SUPPORTED));
    }

    @Test
    void reportsErrorsWithCodesAndPositions() {
        assertThatThrownBy(() -> executor.execute(session, "CREAT STREAM x"))
                .isInstanceOfSatisfying(WeirException.class, e -> {
                    assertThat(e.errorCode().sqlState()).isEqualTo("42000");
                    assertThat(e.getMessage()).contains("line 1, column 1");
                });
        assertThatThrownBy(() -> executor.execute(session, "CREATE STREAM s (a INT) WITH ('connector' = 'nope')"))
                .isInstanceOfSatisfying(WeirException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.UNKNOWN_CONNECTOR);
                    assertThat(e.getMessage()).contains("nope");
                });
        assertThatThrownBy(() -> executor.execute(session,
                "CREATE STREAM s (a INT) WITH ('connector' = 'memory', 'data' = 'x', 'colour' = 'red')"))
                .isInstanceOfSatisfying(WeirException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.UNKNOWN_OPTION);
                    assertThat(e.getMessage()).contains("colour").contains("line 1, column 69");
                });
        assertThatThrownBy(() -> executor.execute(session, "CREATE STREAM s (a INT) WITH ('connector' = 'memory')"))
                .isInstanceOfSatisfying(WeirException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.MISSING_OPTION);
                    assertThat(e.getMessage()).contains("'data'");
                });
        assertThatThrownBy(() -> executor.execute(session, "SELECT * FROM missing"))
                .isInstanceOfSatisfying(WeirException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.UNKNOWN_OBJECT);
                    assertThat(e.getMessage()).contains("line 1, column 15");
                });
    }

    @Test
    void catalogSurvivesReopening() {
        executor.execute(session, "CREATE TABLE users (id BIGINT, name VARCHAR, PRIMARY KEY (id)) "
                + "WITH ('connector' = 'memory', 'data' = 'planner-test-bounded')");
        StatementExecutor reopened = new StatementExecutor(Catalog.open(new CatalogStore(dataDir.resolve("catalog"))), dataDir);
        StatementResult.Rows tables = (StatementResult.Rows) reopened.execute(session, "SHOW TABLES");
        assertThat(tables.rows().next()).containsExactly("users", "memory", null, "id");
    }

    @Test
    void setValidatesSessionProperties() {
        executor.execute(session, "SET 'batch.interval' = '100 ms'");
        assertThat(session.get(io.weir.sql.session.SessionOptions.BATCH_INTERVAL)).isEqualTo("100 ms");
        assertThatThrownBy(() -> executor.execute(session, "SET 'batch.interval' = '1 ms'"))
                .isInstanceOf(WeirException.class).hasMessageContaining("at least 10 ms");
        executor.execute(session, "RESET");
        assertThat(session.get(io.weir.sql.session.SessionOptions.BATCH_INTERVAL)).isEqualTo("1 s");
    }
}
