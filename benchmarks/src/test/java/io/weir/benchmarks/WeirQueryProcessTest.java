package io.weir.benchmarks;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Weir side of {@link FlinkComparisonBenchmark}: the child process's main, run here in the test's
 * JVM, over JSON files written by {@link NexmarkInput}, through a real server and JDBC; its rows are
 * checked against counts computed directly from the generated events, in the canonical form the
 * comparison with Flink's rows relies on.
 */
class WeirQueryProcessTest {
    private static final int EVENTS = 5_000;
    private static final long RATE = 200;
    private static final long WINDOW = 10_000;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

    @TempDir
    static Path dir;
    private static NexmarkInput input;
    private static final NexmarkData DATA = NexmarkData.generate(EVENTS, RATE, 42);

    @BeforeAll
    static void writeInput() throws Exception {
        input = NexmarkInput.write(dir.resolve("input"), List.of(EVENTS / 2, EVENTS), RATE);
    }

    private static List<String> run(ComparedQuery query) throws Exception {
        Path out = dir.resolve(query.id());
        WeirQueryProcess.main(new String[] {"--query", query.id(), "--out", out.toString(), "--files", input.files(EVENTS).toString(),
            "--batch-interval-ms", "20"});
        ChildReport report = ChildReport.read(out);
        List<String> rows = Files.readAllLines(Path.of(out + ChildReport.ROWS));
        assertThat(report.rows()).isEqualTo(rows.size());
        assertThat(report.cpuNanos()).isPositive();
        return rows;
    }

    /** "key|count|window start|window end" per 10 s window and value of the bid column {@code keyColumn}, sorted. */
    private static List<String> countsPerWindow(int keyColumn) {
        Map<String, Long> counts = new TreeMap<>();
        for (Object[] bid : DATA.bids()) {
            long start = Math.floorDiv((Long) bid[5], WINDOW) * WINDOW;
            counts.merge(bid[keyColumn] + "|" + TIME.format(Instant.ofEpochMilli(start)) + "|"
                    + TIME.format(Instant.ofEpochMilli(start + WINDOW)), 1L, Long::sum);
        }
        return counts.entrySet().stream().map(entry -> {
            String[] key = entry.getKey().split("\\|");
            return key[0] + "|" + entry.getValue() + "|" + key[1] + "|" + key[2];
        }).sorted().toList();
    }

    @Test
    void tumbleCountsTheBidsOfEachAuctionPerWindow() throws Exception {
        assertThat(run(ComparedQuery.TUMBLE)).isEqualTo(countsPerWindow(0)).hasSizeGreaterThan(100);
    }

    @Test
    void q12OnEventTimeCountsTheBidsOfEachBidderPerWindow() throws Exception {
        assertThat(run(ComparedQuery.Q12)).isEqualTo(countsPerWindow(1)).hasSizeGreaterThan(100);
    }

    @Test
    void smallerInputIsAPrefixOfTheLarger() throws Exception {
        for (String stream : NexmarkInput.STREAMS) {
            List<String> small = Files.readAllLines(input.files(EVENTS / 2).resolve(stream + ".json"));
            List<String> large = Files.readAllLines(input.files(EVENTS).resolve(stream + ".json"));
            assertThat(small).isNotEmpty();
            assertThat(large.subList(0, small.size())).isEqualTo(small);
        }
        assertThat(Files.readAllLines(input.files(EVENTS).resolve("bid.json"))).hasSize(DATA.bids().size());
    }
}
