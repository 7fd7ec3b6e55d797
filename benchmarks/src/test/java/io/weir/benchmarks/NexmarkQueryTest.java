package io.weir.benchmarks;

import io.weir.engine.exec.MicroBatchQueryEngine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The benchmark's Nexmark queries, planned from their SQL files and run on the engine, against
 * results computed directly from the generated events (the measurements are run by hand; the
 * comparison with Flink SQL is described in the README's Performance section).
 */
class NexmarkQueryTest {
    private static final long GAP = 10_000;
    private static final long WINDOW = 10_000;

    @TempDir
    static Path dataDir;

    private static MicroBatchQueryEngine engine;
    private static NexmarkQueryBenchmark benchmark;
    /** 20,000 events at 200 events/s: 100 s of event time, bidders with several sessions. */
    private static final NexmarkData DATA = NexmarkData.generate(20_000, 200, 3);

    @BeforeAll
    static void setUp() {
        engine = new MicroBatchQueryEngine();
        benchmark = new NexmarkQueryBenchmark(engine, dataDir, Duration.ofMillis(10), new PrintStream(OutputStream.nullOutputStream()));
    }

    @AfterAll
    static void tearDown() {
        engine.close();
    }

    private static List<List<Object>> run(NexmarkQuery query) throws InterruptedException {
        return benchmark.results(query, DATA).stream().map(List::of).toList();
    }

    @Test
    void q11CountsTheBidsOfEachSessionOfEachBidder() throws InterruptedException {
        // Sessions as Flink defines them: a bid more than the gap after the previous one starts a new session.
        Map<Long, List<Long>> times = new HashMap<>();
        for (Object[] bid : DATA.bids()) {
            times.computeIfAbsent((Long) bid[1], b -> new ArrayList<>()).add((Long) bid[5]);
        }
        List<List<Object>> expected = new ArrayList<>();
        times.forEach((bidder, list) -> {
            long start = list.get(0);
            long last = start;
            long count = 0;
            for (long time : list) {
                if (time - last > GAP) {
                    expected.add(List.of(bidder, count, start, last + GAP));
                    start = time;
                    count = 0;
                }
                last = time;
                count++;
            }
            expected.add(List.of(bidder, count, start, last + GAP));
        });
        assertThat(expected.size()).isGreaterThan(times.size());
        assertThat(run(NexmarkQuery.Q11)).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void q7FindsTheBidsWithTheHighestPriceOfTheirWindow() throws InterruptedException {
        Map<Long, Long> maxPrice = new HashMap<>();
        for (Object[] bid : DATA.bids()) {
            maxPrice.merge(Math.floorDiv((Long) bid[5], WINDOW), (Long) bid[2], Math::max);
        }
        List<List<Object>> expected = new ArrayList<>();
        for (Object[] bid : DATA.bids()) {
            if (maxPrice.get(Math.floorDiv((Long) bid[5], WINDOW)).equals(bid[2])) {
                expected.add(List.of(bid[0], bid[1], bid[2], bid[5], bid[6]));
            }
        }
        assertThat(expected).hasSizeGreaterThanOrEqualTo(2);
        assertThat(run(NexmarkQuery.Q7)).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void q12CountsEveryBidOnce() throws InterruptedException {
        long total = run(NexmarkQuery.Q12).stream().mapToLong(row -> (Long) row.get(1)).sum();
        assertThat(total).isEqualTo(DATA.bids().size());
    }
}
