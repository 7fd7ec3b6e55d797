package io.weir.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * The Nexmark queries of {@code src/main/resources/nexmark/q*.sql}, with the events per CPU-second
 * Flink 2.3 SQL reached on the same 2-core machine kind (figures of the author; none for q12).
 */
enum NexmarkQuery {
    Q5(188_000), Q7(94_000), Q8(295_000), Q11(227_000), Q12(-1);

    private final long flinkEventsPerCpuSecond;

    NexmarkQuery(long flinkEventsPerCpuSecond) {
        this.flinkEventsPerCpuSecond = flinkEventsPerCpuSecond;
    }

    String fileName() {
        return name().toLowerCase(Locale.ROOT) + ".sql";
    }

    OptionalLong flinkEventsPerCpuSecond() {
        return flinkEventsPerCpuSecond < 0 ? OptionalLong.empty() : OptionalLong.of(flinkEventsPerCpuSecond);
    }

    /** Processing-time windows fire with the clock, not with the end of the input. */
    boolean processingTime() {
        return this == Q12;
    }

    String sql() {
        return withoutComments(resource(fileName()));
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
