package io.weir.benchmarks;

import java.util.Locale;

/**
 * The queries {@link FlinkComparisonBenchmark} runs on both engines. Weir's SQL is in
 * {@code src/main/resources/nexmark/}, Flink's in the Flink child's {@code nexmark-flink/<id>.sql}
 * (module {@code benchmarks/flink}); both select the same columns in the same order.
 */
enum ComparedQuery {
    TUMBLE("tumble.sql", "TUMBLE 10 s count per auction"),
    Q5("q5.sql", "q5 (HOP 10 s/2 s, the auctions with most bids)"),
    Q7("q7.sql", "q7 (TUMBLE 10 s max price, joined back)"),
    Q8("q8.sql", "q8 (window join person-auction)"),
    Q11("q11.sql", "q11 (SESSION 10 s per bidder)"),
    Q12("q12_event_time.sql", "q12 (TUMBLE 10 s per bidder, on event time)");

    private final String weirFile;
    private final String description;

    ComparedQuery(String weirFile, String description) {
        this.weirFile = weirFile;
        this.description = description;
    }

    /** The name on the command line and of the Flink child's SQL file. */
    String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    String description() {
        return description;
    }

    String weirSql() {
        return NexmarkQuery.sql(weirFile);
    }

    static ComparedQuery of(String id) {
        try {
            return valueOf(id.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown query '" + id + "'; use tumble, q5, q7, q8, q11, q12", e);
        }
    }
}
