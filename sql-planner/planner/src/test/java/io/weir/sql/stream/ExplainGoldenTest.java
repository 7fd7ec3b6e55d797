package io.weir.sql.stream;

import io.weir.spi.connector.memory.InMemoryData;
import io.weir.sql.catalog.Catalog;
import io.weir.sql.catalog.CatalogStore;
import io.weir.sql.session.SessionProperties;
import io.weir.sql.statement.StatementExecutor;
import io.weir.sql.statement.StatementResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Golden files for EXPLAIN of continuous queries: each {@code src/test/resources/explain/NAME.txt}
 * starts with {@code -- query}, followed by the expected EXPLAIN output. The actual output is written
 * to {@code target/explain/NAME.txt}, so a plan change is a reviewable diff (copy the file over the
 * expected one once the new plan is right).
 */
class ExplainGoldenTest {
    private static final Path EXPECTED = Path.of("src/test/resources/explain");
    private static final Path ACTUAL = Path.of("target/explain");

    @TempDir
    static Path dataDir;

    private static StatementExecutor executor;
    private static final SessionProperties SESSION = new SessionProperties(Map.of());

    @BeforeAll
    static void setUp() {
        InMemoryData.register("continuous-bids", List.of(), false);
        InMemoryData.register("golden-products", List.of(), true);
        executor = new StatementExecutor(Catalog.open(new CatalogStore(dataDir.resolve("catalog"))), dataDir);
        executor.execute(SESSION, ContinuousQueryPlannerTest.BIDS);
        executor.execute(SESSION, "CREATE STREAM untimed (id BIGINT, ts TIMESTAMP(3))"
                + " WITH ('connector' = 'memory', 'data' = 'continuous-bids')");
        executor.execute(SESSION, "CREATE STREAM computed_bids (auction BIGINT, price BIGINT, \"dateTime\" TIMESTAMP(3),"
                + " ts AS \"dateTime\" + INTERVAL '1' HOUR, cents AS price * 100, WATERMARK FOR ts AS ts - INTERVAL '4' SECOND)"
                + " WITH ('connector' = 'memory', 'data' = 'continuous-bids')");
        // computed columns read physical ones: the scan reads those (projection_computed_column)
        executor.execute(SESSION, "CREATE STREAM orders (id BIGINT, amount DOUBLE, note VARCHAR, ts TIMESTAMP(3),"
                + " total AS amount * 2, WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)"
                + " WITH ('connector' = 'memory', 'data' = 'continuous-bids')");
        // a reference table, for lookups (lookup_semi_join, lookup_anti_join)
        executor.execute(SESSION, "CREATE TABLE products (id BIGINT, name VARCHAR, category VARCHAR)"
                + " WITH ('connector' = 'memory', 'data' = 'golden-products')");
    }

    @AfterAll
    static void tearDown() {
        InMemoryData.unregister("continuous-bids");
        InMemoryData.unregister("golden-products");
    }

    static Stream<String> cases() throws IOException {
        try (Stream<Path> files = Files.list(EXPECTED)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".txt"))
                    .map(n -> n.substring(0, n.length() - 4)).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void explainMatchesTheGoldenFile(String name) throws IOException {
        List<String> expected = Files.readAllLines(EXPECTED.resolve(name + ".txt"), StandardCharsets.UTF_8);
        String query = expected.get(0).substring("-- ".length());
        List<String> actual = new ArrayList<>();
        actual.add(expected.get(0));
        StatementResult.Rows rows = (StatementResult.Rows) executor.execute(SESSION, "EXPLAIN PLAN FOR " + query);
        rows.rows().forEachRemaining(row -> actual.add((String) row[0]));
        Files.createDirectories(ACTUAL);
        Files.write(ACTUAL.resolve(name + ".txt"), actual, StandardCharsets.UTF_8);
        assertThat(actual).as("EXPLAIN of %s; compare %s with %s", name, ACTUAL.resolve(name + ".txt"),
                EXPECTED.resolve(name + ".txt")).containsExactlyElementsOf(expected);
    }
}
