package io.weir.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The Nexmark queries of {@code src/main/resources/nexmark/q*.sql} (Flink's Nexmark queries in Weir's
 * dialect). How they compare with Flink on the same input is measured by {@link FlinkComparisonBenchmark}.
 */
enum NexmarkQuery {
    Q5, Q7, Q8, Q11, Q12;

    String fileName() {
        return name().toLowerCase(Locale.ROOT) + ".sql";
    }

    /** Processing-time windows fire with the clock, not with the end of the input. */
    boolean processingTime() {
        return this == Q12;
    }

    String sql() {
        return sql(fileName());
    }

    /** The statement in {@code nexmark/<fileName>}, without its comment lines. */
    static String sql(String fileName) {
        return withoutComments(resource(fileName));
    }

    /** The CREATE STREAM statements, with each stream's {@code WITH} options filled in. */
    static String[] ddl(String personOptions, String auctionOptions, String bidOptions) {
        return withoutComments(resource("ddl.sql")).replace("${person}", personOptions).replace("${auction}", auctionOptions)
                .replace("${bid}", bidOptions).split(";");
    }

    private static String resource(String name) {
        try (InputStream in = NexmarkQuery.class.getResourceAsStream("/nexmark/" + name)) {
            if (in == null) {
                throw new IllegalStateException("resource nexmark/" + name + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String withoutComments(String sql) {
        StringBuilder out = new StringBuilder();
        for (String line : sql.split("\n")) {
            if (!line.strip().startsWith("--")) {
                out.append(line).append('\n');
            }
        }
        return out.toString().strip();
    }
}
