package io.weir.sql.statement;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.connector.memory.InMemoryData;
import io.weir.spi.type.TypeKind;
import io.weir.sql.auth.SessionUser;
import io.weir.sql.catalog.Catalog;
import io.weir.sql.catalog.CatalogStore;
import io.weir.sql.parameter.StatementParameter;
import io.weir.sql.session.SessionProperties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code ?} parameters: their types inferred when prepared, values bound as the plan runs or written into its text. */
class StatementParametersTest {
    @TempDir
    Path dataDir;

    private StatementExecutor executor;
    private SessionProperties session;

    @BeforeEach
    void setUp() {
        executor = new StatementExecutor(Catalog.open(new CatalogStore(dataDir.resolve("catalog"))), dataDir);
        session = new SessionProperties(Map.of());
        InMemoryData.register("parameters-bounded", List.of(
                new Object[] {1L, "a b", new BigDecimal("1.50"), 1_000L, 19_000},
                new Object[] {2L, "it's", new BigDecimal("2.25"), 2_000L, 19_001},
                new Object[] {3L, "日本", null, 3_000L, null}), true);
        InMemoryData.register("parameters-unbounded", List.of(), false);
        executor.execute(session, "CREATE STREAM t (id BIGINT, name VARCHAR(4), price DECIMAL(6, 2), ts TIMESTAMP(3), d DATE)"
                + " WITH ('connector' = 'memory', 'data' = 'parameters-bounded')");
        executor.execute(session, "CREATE STREAM s (id BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts)"
                + " WITH ('connector' = 'memory', 'data' = 'parameters-unbounded')");
    }

    @AfterEach
    void tearDown() {
        InMemoryData.unregister("parameters-bounded");
        InMemoryData.unregister("parameters-unbounded");
    }

    private List<List<Object>> run(PreparedPlan plan, Object... values) {
        StatementResult.Rows result = (StatementResult.Rows) executor.execute(session, SessionUser.ANONYMOUS, plan,
                Arrays.asList(values), new StatementCancel());
        List<List<Object>> rows = new ArrayList<>();
        result.rows().forEachRemaining(row -> rows.add(Arrays.asList(row)));
        return rows;
    }

    private static List<TypeKind> kinds(PreparedPlan plan) {
        return plan.parameters().stream().map(p -> p.type().kind()).toList();
    }

    @Test
    void plainQueryInfersTypesFromWhereEachStandsAndRunsWithEachSetOfValues() {
        PreparedPlan plan = executor.prepare(session, "SELECT id FROM t WHERE name <> ? AND price >= ? AND ts > ? AND d = ?\n"
                + "\tORDER BY id LIMIT ?");
        assertThat(kinds(plan)).containsExactly(TypeKind.VARCHAR, TypeKind.DECIMAL, TypeKind.TIMESTAMP, TypeKind.DATE,
                TypeKind.INTEGER);
        assertThat(plan.parameters().get(1).type().scale()).isEqualTo(2);
        assertThat(plan.columns()).extracting(ResultColumn::name).containsExactly("id");
        assertThat(run(plan, "x", new BigDecimal("1"), LocalDateTime.of(1970, 1, 1, 0, 0), LocalDate.of(2022, 1, 8), 5))
                .containsExactly(List.of(1L));
        // text for every type, read as the parameter's type; an exact decimal not rounded to the column's scale
        assertThat(run(plan, "a b", "2.249", "1970-01-01 00:00:01", "2022-01-09", "1")).containsExactly(List.of(2L));
        assertThat(run(plan, null, 1, 0L, 19_000, 10)).isEmpty();
    }

    @Test
    void valuesOfTheWrongCountOrKindAreRefusedWithTheirSqlState() {
        PreparedPlan plan = executor.prepare(session, "SELECT id FROM t WHERE id = ?");
        assertThatThrownBy(() -> run(plan)).isInstanceOfSatisfying(WeirException.class, e -> {
            assertThat(e.errorCode()).isEqualTo(ErrorCode.PARAMETER_COUNT_MISMATCH);
            assertThat(e.errorCode().sqlState()).isEqualTo("07001");
        }).hasMessageContaining("has 1 parameter (?) but no values were given");
        assertThatThrownBy(() -> run(plan, 1, 2)).hasMessageContaining("has 1 parameter (?) but 2 values were given");
        assertThatThrownBy(() -> executor.execute(session, plan)).isInstanceOfSatisfying(WeirException.class,
                e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.PARAMETER_COUNT_MISMATCH));
        assertThatThrownBy(() -> run(plan, "x1")).isInstanceOfSatisfying(WeirException.class,
                e -> assertThat(e.errorCode().sqlState()).isEqualTo("22018")).hasMessageContaining("Parameter 1 (BIGINT)");
        assertThatThrownBy(() -> run(plan, true)).isInstanceOfSatisfying(WeirException.class,
                e -> assertThat(e.errorCode().sqlState()).isEqualTo("07006"));
        assertThatThrownBy(() -> run(plan, new BigDecimal("1e30"))).isInstanceOfSatisfying(WeirException.class,
                e -> assertThat(e.errorCode().sqlState()).isEqualTo("22003"));
        assertThat(run(plan, 3)).containsExactly(List.of(3L));
        assertThatThrownBy(() -> executor.prepare(session, "SELECT ? FROM t")).isInstanceOf(WeirException.class)
                .hasMessageContaining("dynamic parameter");
    }

    @Test
    void continuousQueriesAndInsertsBindByWritingTypedLiteralsIntoTheirText() {
        PreparedPlan plan = executor.prepare(session, "SELECT STREAM id, CAST(? AS VARCHAR) AS tag FROM s WHERE id > ? AND ts >= ?");
        assertThat(plan.parameters()).hasSize(3);
        PreparedPlan bound = executor.bind(session, executor.prepare(session,
                "SELECT STREAM id FROM s WHERE id > ?\r\n  AND ts >= ? AND CAST(id AS VARCHAR) <> ? LIMIT ?"),
                List.of(5, LocalDateTime.of(2026, 1, 2, 3, 4, 5, 6_000_000), "it's 日本", 3));
        assertThat(bound.sql()).isEqualTo("SELECT STREAM id FROM s WHERE id > CAST(5 AS BIGINT)\r\n"
                + "  AND ts >= CAST(TIMESTAMP '2026-01-02 03:04:05.006' AS TIMESTAMP(3))"
                + " AND CAST(id AS VARCHAR) <> CAST('it''s 日本' AS VARCHAR) LIMIT 3");
        assertThat(bound.parameters()).isEmpty();
        assertThat(executor.execute(session, bound)).isInstanceOf(StatementResult.Continuous.class);
    }

    @Test
    void placesWithoutParametersSayWhichStatementsTakeThem() {
        assertThatThrownBy(() -> executor.prepare(session, "DROP STREAM ?")).isInstanceOf(WeirException.class);
        PreparedPlan view = executor.prepare(session, "CREATE VIEW cheap AS SELECT id FROM t WHERE price < ?");
        assertThat(kinds(view)).containsExactly(TypeKind.DECIMAL);
        executor.execute(session, SessionUser.ANONYMOUS, view, List.of("2"), new StatementCancel());
        assertThat(executor.catalog().get("cheap").orElseThrow().ddl())
                .isEqualTo("CREATE VIEW cheap AS SELECT id FROM t WHERE price < CAST(2 AS DECIMAL(1, 0))");
        StatementResult.Rows rows = (StatementResult.Rows) executor.execute(session, "SELECT id FROM cheap");
        assertThat(rows.rows().next()).containsExactly(1L);
    }

    @Test
    void parameterTypesAreNullableAndCastAsWeirWritesThem() {
        PreparedPlan plan = executor.prepare(session, "SELECT id FROM t WHERE id = ? AND ts < ?");
        assertThat(plan.parameters()).extracting(StatementParameter::castType).containsExactly("BIGINT", "TIMESTAMP(3)");
        assertThat(plan.parameters()).allSatisfy(p -> assertThat(p.type().nullable()).isTrue());
    }
}
