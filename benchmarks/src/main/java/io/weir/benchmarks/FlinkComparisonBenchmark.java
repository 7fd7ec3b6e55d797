package io.weir.benchmarks;

import org.apache.kafka.common.test.KafkaClusterTestKit;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Flink and Weir side by side on the same input: the first N Nexmark events as JSON-lines files (one
 * per event type) and as Kafka topics (an in-process broker, JSON values, 4 partitions per topic), each
 * query run by Flink 2.3 SQL (a MiniCluster, Nexmark's DDL and SQL, collected) and by Weir (a server,
 * read over JDBC), each run in a JVM of its own, parallelism 1, 4 s watermark. Checks that both engines
 * return the same rows, and prints per query the marginal events per CPU-second of each engine between
 * two input sizes (the CPU time of the larger input minus that of the smaller, which cancels JVM
 * start-up and planning), their ratio, and the peak resident set of each engine's process.
 *
 * <p>The Flink side lives in the module {@code benchmarks/flink} (built with {@code -Pflink}), whose
 * {@code target/classpath.txt} is the Flink child's classpath: Flink's Calcite, Scala and Jackson never
 * share a class loader with Weir's. The Weir child runs on this process's classpath.
 *
 * <p>Usage: {@code FlinkComparisonBenchmark [--source files|kafka|both] [--query tumble,q5,...] [--runs R]
 * [--events LOW,HIGH] [--rate events-per-second] [--heap SIZE] [--batch-interval-ms N] [--work-dir DIR]
 * [--flink-module DIR]}. Exits with status 1 if any query's results differed or a run failed.
 */
public final class FlinkComparisonBenchmark {
    private static final Duration CHILD_TIMEOUT = Duration.ofMinutes(15);
    /** As Flink's distribution starts its JVMs on Java 17 (env.java.opts.all of its config.yaml). */
    private static final List<String> FLINK_JVM_OPTIONS = List.of(
            "--add-exports=java.base/sun.net.util=ALL-UNNAMED",
            "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
            "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
            "--add-opens=java.base/java.lang=ALL-UNNAMED",
            "--add-opens=java.base/java.net=ALL-UNNAMED",
            "--add-opens=java.base/java.io=ALL-UNNAMED",
            "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens=java.base/java.text=ALL-UNNAMED",
            "--add-opens=java.base/java.time=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED");

    enum Engine {
        FLINK("Flink 2.3"), WEIR("Weir");

        private final String label;

        Engine(String label) {
            this.label = label;
        }
    }

    private final Path workDir;
    private final String heap;
    private final long batchMillis;
    private final String flinkClasspath;
    private final PrintStream out;
    private final Set<Engine> engines;
    private final List<String> childJvmOptions;
    private final List<Double> loadAverages = new ArrayList<>();
    private boolean failed;

    private FlinkComparisonBenchmark(Path workDir, String heap, long batchMillis, String flinkClasspath, Set<Engine> engines,
                                     List<String> childJvmOptions, PrintStream out) {
        this.workDir = workDir;
        this.heap = heap;
        this.batchMillis = batchMillis;
        this.flinkClasspath = flinkClasspath;
        this.engines = engines;
        this.childJvmOptions = childJvmOptions;
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        // The in-process broker logs every step through java.util.logging; the table should stand out.
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
        Set<String> sources = new LinkedHashSet<>(List.of("files", "kafka"));
        List<ComparedQuery> queries = List.of(ComparedQuery.values());
        int runs = 3;
        int low = 1_000_000;
        int high = 3_000_000;
        long rate = 100_000;
        String heap = "4g";
        long batchMillis = 100;
        Path workDir = null;
        Path flinkModule = null;
        Set<Engine> engines = EnumSet.allOf(Engine.class);
        List<String> childJvmOptions = List.of();
        for (int i = 0; i < args.length; i += 2) {
            String value = i + 1 < args.length ? args[i + 1] : "";
            switch (args[i]) {
                case "--source" -> sources = new LinkedHashSet<>(value.equals("both") ? List.of("files", "kafka") : List.of(value));
                case "--query" -> queries = Arrays.stream(value.split(",")).map(ComparedQuery::of).toList();
                case "--runs" -> runs = Integer.parseInt(value);
                case "--events" -> {
                    String[] sizes = value.split(",");
                    low = Integer.parseInt(sizes[0].strip());
                    high = Integer.parseInt(sizes[1].strip());
                }
                case "--rate" -> rate = Long.parseLong(value);
                case "--heap" -> heap = value;
                case "--batch-interval-ms" -> batchMillis = Long.parseLong(value);
                case "--work-dir" -> workDir = Path.of(value);
                case "--flink-module" -> flinkModule = Path.of(value);
                // One engine alone (e.g. to profile it); the comparison table then has no ratios.
                case "--engines" -> engines = value.equals("both") ? EnumSet.allOf(Engine.class)
                        : EnumSet.of(Engine.valueOf(value.toUpperCase(Locale.ROOT)));
                // Extra options for every run's JVM, "{run}" replaced by the run's name, e.g. "-XX:StartFlightRecording=filename=/tmp/{run}.jfr".
                case "--child-jvm-options" -> childJvmOptions = Arrays.stream(value.strip().split("\\s+")).filter(o -> !o.isEmpty()).toList();
                default -> throw new IllegalArgumentException("unknown argument " + args[i] + "; use --source, --query, --runs,"
                        + " --events LOW,HIGH, --rate, --heap, --batch-interval-ms, --work-dir, --flink-module, --engines,"
                        + " --child-jvm-options");
            }
        }
        for (String source : sources) {
            if (!source.equals("files") && !source.equals("kafka")) {
                throw new IllegalArgumentException("--source is files, kafka or both, not " + source);
            }
        }
        if (low <= 0 || high <= low) {
            throw new IllegalArgumentException("--events LOW,HIGH needs 0 < LOW < HIGH");
        }
        workDir = workDir != null ? Files.createDirectories(workDir) : ScratchDirectories.create("weir-flink-comparison");
        String flinkClasspath = engines.contains(Engine.FLINK)
                ? flinkClasspath(flinkModule != null ? flinkModule : defaultFlinkModule()) : null;
        PrintStream out = System.out;
        out.printf(Locale.ROOT, "Writing the first %,d and %,d Nexmark events (%,d events/s of event time) as JSON lines under %s ...%n",
                low, high, rate, workDir);
        NexmarkInput input = NexmarkInput.write(workDir.resolve("input"), List.of(low, high), rate);
        FlinkComparisonBenchmark benchmark = new FlinkComparisonBenchmark(workDir, heap, batchMillis, flinkClasspath, engines,
                childJvmOptions, out);
        List<String> tables = new ArrayList<>();
        for (String source : sources) {
            if (source.equals("files")) {
                tables.add(benchmark.compare("JSON-lines files", input, null, queries, runs, low, high));
            } else {
                try (KafkaClusterTestKit broker = KafkaBenchmark.startBroker()) {
                    long start = System.nanoTime();
                    input.produce(broker.bootstrapServers());
                    out.printf(Locale.ROOT, "Produced the events to Kafka topics nexmark-<N>-person/auction/bid (%d partitions each)"
                            + " in %.1f s%n", NexmarkInput.PARTITIONS, (System.nanoTime() - start) / 1e9);
                    tables.add(benchmark.compare("Kafka topics (in-process broker, " + NexmarkInput.PARTITIONS
                            + " partitions, JSON values)", input, broker.bootstrapServers(), queries, runs, low, high));
                }
            }
        }
        out.println();
        tables.forEach(out::println);
        if (benchmark.failed) {
            out.println("FAILED: results differed or a run failed (see above).");
            System.exit(1);
        }
    }

    /** Runs every query on both engines {@code runs} times over both sizes; returns the table. */
    private String compare(String sourceLabel, NexmarkInput input, String bootstrap, List<ComparedQuery> queries, int runs,
                           int low, int high) throws IOException, InterruptedException {
        String source = bootstrap == null ? "files" : "kafka";
        double loadBefore = loadAverage();
        Map<ComparedQuery, Map<Engine, List<ChildReport[]>>> reports = new EnumMap<>(ComparedQuery.class);
        Map<String, Path> reference = new HashMap<>();
        Map<ComparedQuery, String> verdicts = new EnumMap<>(ComparedQuery.class);
        loadAverages.clear();
        for (int run = 1; run <= runs; run++) {
            for (ComparedQuery query : queries) {
                // Alternate which engine goes first, so neither always runs right after the other's load.
                List<Engine> order = (run + query.ordinal()) % 2 == 0 ? List.of(Engine.FLINK, Engine.WEIR) : List.of(Engine.WEIR, Engine.FLINK);
                for (Engine engine : order.stream().filter(engines::contains).toList()) {
                    ChildReport[] pair = new ChildReport[2];
                    int[] sizes = {low, high};
                    for (int s = 0; s < 2; s++) {
                        Path outPath = Files.createDirectories(workDir.resolve(source).resolve(query.id()))
                                .resolve(engine.name().toLowerCase(Locale.ROOT) + "-" + sizes[s] + "-run" + run);
                        List<String> where = bootstrap == null
                                ? List.of("--files", input.files(sizes[s]).toString())
                                : List.of("--kafka", bootstrap, "--topic-prefix", NexmarkInput.topicPrefix(sizes[s]));
                        try {
                            pair[s] = runChild(engine, query, where, outPath);
                        } catch (IOException | RuntimeException e) {
                            out.printf(Locale.ROOT, "%s %s %,d events run %d FAILED: %s%n", engine.label, query.id(), sizes[s], run,
                                    e.getMessage());
                            failed = true;
                            verdicts.put(query, "run failed");
                            continue;
                        }
                        String key = query.id() + "-" + sizes[s];
                        Path rows = Path.of(outPath + ChildReport.ROWS);
                        Path first = reference.putIfAbsent(key, rows);
                        if (first != null && Files.mismatch(first, rows) != -1) {
                            failed = true;
                            verdicts.put(query, "DIFFERENT");
                            printDifference(query, sizes[s], first, rows);
                        }
                        out.printf(Locale.ROOT, "%-7s %-9s %,10d events run %d: %,9d rows, %7.2f CPU-s, %6.2f s wall, peak RSS %,6d MB%n",
                                query.id(), engine.label, sizes[s], run, pair[s].rows(), pair[s].cpuNanos() / 1e9,
                                pair[s].wallNanos() / 1e9, pair[s].peakRssKb() / 1024);
                        out.println("        CPU-s by thread: " + largest(pair[s].threadCpuSeconds(), 6));
                    }
                    if (pair[0] != null && pair[1] != null) {
                        reports.computeIfAbsent(query, q -> new EnumMap<>(Engine.class))
                                .computeIfAbsent(engine, e -> new ArrayList<>()).add(pair);
                    }
                }
            }
        }
        double loadAfter = loadAverage();
        return table(sourceLabel, queries, reports, verdicts, reference, runs, low, high, loadBefore, loadAfter)
                + "\n" + marginalByThread(queries, reports, low, high);
    }

    /**
     * Where each engine's marginal CPU went: per query and engine, the CPU seconds of each thread group in
     * the larger run minus those in the smaller (median of the runs), the largest groups first.
     */
    private static String marginalByThread(List<ComparedQuery> queries, Map<ComparedQuery, Map<Engine, List<ChildReport[]>>> reports,
                                           int low, int high) {
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT,
                "Marginal CPU-s by thread (the %,d-event run's minus the %,d-event run's, median of runs):%n", high, low));
        for (ComparedQuery query : queries) {
            for (Map.Entry<Engine, List<ChildReport[]>> engine : reports.getOrDefault(query, Map.of()).entrySet()) {
                Map<String, List<Double>> byGroup = new HashMap<>();
                for (ChildReport[] pair : engine.getValue()) {
                    Set<String> groups = new LinkedHashSet<>(pair[1].threadCpuSeconds().keySet());
                    groups.addAll(pair[0].threadCpuSeconds().keySet());
                    for (String group : groups) {
                        byGroup.computeIfAbsent(group, g -> new ArrayList<>()).add(pair[1].threadCpuSeconds().getOrDefault(group, 0.0)
                                - pair[0].threadCpuSeconds().getOrDefault(group, 0.0));
                    }
                }
                Map<String, Double> medians = new HashMap<>();
                byGroup.forEach((group, values) -> medians.put(group, median(values)));
                // the same marginal without the JIT compiler threads: what is left once the code is compiled
                double withoutJit = median(engine.getValue().stream().map(pair -> (high - low)
                        / ((pair[1].cpuNanos() - pair[0].cpuNanos()) / 1e9 - jitSeconds(pair[1]) + jitSeconds(pair[0]))).toList());
                text.append(String.format(Locale.ROOT, "  %-7s %-9s %s; without the JIT compiler %,.0f events/CPU-s%n", query.id(),
                        engine.getKey().label, largest(medians, 6), withoutJit));
            }
        }
        return text.toString();
    }

    private static double jitSeconds(ChildReport report) {
        return report.threadCpuSeconds().getOrDefault(ThreadCpu.JIT_COMPILER, 0.0);
    }

    /** The {@code count} largest values as "name 1.23, ...", the rest summed as "other". */
    private static String largest(Map<String, Double> seconds, int count) {
        if (seconds.isEmpty()) {
            return "-";
        }
        List<Map.Entry<String, Double>> sorted = seconds.entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed()).toList();
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < Math.min(count, sorted.size()); i++) {
            text.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%s %.2f", sorted.get(i).getKey(), sorted.get(i).getValue()));
        }
        double rest = sorted.stream().skip(count).mapToDouble(Map.Entry::getValue).sum();
        if (sorted.size() > count) {
            text.append(String.format(Locale.ROOT, ", other %.2f", rest));
        }
        return text.toString();
    }

    private String table(String sourceLabel, List<ComparedQuery> queries, Map<ComparedQuery, Map<Engine, List<ChildReport[]>>> reports,
                         Map<ComparedQuery, String> verdicts, Map<String, Path> reference, int runs, int low, int high,
                         double loadBefore, double loadAfter) throws IOException {
        StringBuilder table = new StringBuilder();
        double minLoad = loadAverages.stream().mapToDouble(Double::doubleValue).min().orElse(loadBefore);
        double maxLoad = loadAverages.stream().mapToDouble(Double::doubleValue).max().orElse(loadBefore);
        table.append(String.format(Locale.ROOT, "Flink 2.3 vs Weir on %s, %s: marginal events per CPU-second between %,d and %,d"
                        + " events (median of %d runs), parallelism 1; peak RSS of the process with %,d events (median);"
                        + " %d cores, 1-minute load average %.2f before, %.2f-%.2f during, %.2f after%n%n",
                sourceLabel, LocalDate.now(ZoneOffset.UTC), low, high, runs, high, Runtime.getRuntime().availableProcessors(),
                loadBefore, minLoad, maxLoad, loadAfter));
        table.append("| query | Flink 2.3 events/CPU-s | Weir events/CPU-s | Weir / Flink (min-max of runs) | peak RSS Flink / Weir | results |\n");
        table.append("|---|---|---|---|---|---|\n");
        for (ComparedQuery query : queries) {
            Map<Engine, List<ChildReport[]>> byEngine = reports.getOrDefault(query, Map.of());
            List<ChildReport[]> flink = byEngine.getOrDefault(Engine.FLINK, List.of());
            List<ChildReport[]> weir = byEngine.getOrDefault(Engine.WEIR, List.of());
            String verdict = verdicts.getOrDefault(query, "equal");
            if (verdict.equals("equal")) {
                Path rows = reference.get(query.id() + "-" + high);
                verdict = rows == null ? "-" : String.format(Locale.ROOT, "equal (%,d rows)", lineCount(rows));
            }
            if (flink.isEmpty() || weir.isEmpty()) {
                // One engine ran alone (--engines): its own figures, no ratio.
                table.append(String.format(Locale.ROOT, "| %s | %s | %s | - | - | %s |%n", query.description(), alone(flink, low, high),
                        alone(weir, low, high), verdict));
                continue;
            }
            double flinkRate = median(flink.stream().map(pair -> marginal(pair, low, high)).toList());
            double weirRate = median(weir.stream().map(pair -> marginal(pair, low, high)).toList());
            List<Double> ratios = new ArrayList<>();
            for (int i = 0; i < Math.min(flink.size(), weir.size()); i++) {
                ratios.add(marginal(weir.get(i), low, high) / marginal(flink.get(i), low, high));
            }
            table.append(String.format(Locale.ROOT, "| %s | %,.0f | %,.0f | %.2f (%.2f-%.2f) | %,d / %,d MB | %s |%n",
                    query.description(), flinkRate, weirRate, weirRate / flinkRate,
                    ratios.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN),
                    ratios.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN),
                    Math.round(median(flink.stream().map(pair -> (double) pair[1].peakRssKb()).toList()) / 1024),
                    Math.round(median(weir.stream().map(pair -> (double) pair[1].peakRssKb()).toList()) / 1024), verdict));
        }
        return table.toString();
    }

    private static String alone(List<ChildReport[]> runs, int low, int high) {
        return runs.isEmpty() ? "-" : String.format(Locale.ROOT, "%,.0f", median(runs.stream().map(pair -> marginal(pair, low, high)).toList()));
    }

    /** Events per CPU-second between the two sizes: the extra events over the extra CPU time. */
    private static double marginal(ChildReport[] pair, int low, int high) {
        return (high - low) / ((pair[1].cpuNanos() - pair[0].cpuNanos()) / 1e9);
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private ChildReport runChild(Engine engine, ComparedQuery query, List<String> where, Path outPath)
            throws IOException, InterruptedException {
        loadAverages.add(loadAverage());
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx" + heap);
        command.add("-Duser.timezone=UTC");
        childJvmOptions.forEach(option -> command.add(option.replace("{run}", outPath.getFileName().toString())));
        if (engine == Engine.FLINK) {
            command.addAll(FLINK_JVM_OPTIONS);
            command.addAll(List.of("-cp", flinkClasspath, "io.weir.benchmarks.flink.FlinkQueryProcess"));
        } else {
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), WeirQueryProcess.class.getName()));
        }
        command.addAll(List.of("--query", query.id(), "--out", outPath.toString(), "--batch-interval-ms", Long.toString(batchMillis)));
        command.addAll(where);
        Path log = Path.of(outPath + ".log");
        Files.deleteIfExists(Path.of(outPath + ChildReport.REPORT));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try (ThreadCpu threads = ThreadCpu.watch(process.pid())) {
            if (!process.waitFor(CHILD_TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
                throw new IOException("did not finish within " + CHILD_TIMEOUT + "; log " + log);
            }
            if (process.exitValue() != 0 || !Files.exists(Path.of(outPath + ChildReport.REPORT))) {
                throw new IOException("exit status " + process.exitValue() + "; log " + log + ":\n" + tail(log));
            }
            threads.close();
            return ChildReport.read(outPath).withThreadCpu(threads.secondsByGroup());
        }
    }

    private void printDifference(ComparedQuery query, int size, Path expected, Path actual) throws IOException {
        Set<String> expectedRows = new LinkedHashSet<>(Files.readAllLines(expected, StandardCharsets.UTF_8));
        Set<String> actualRows = new LinkedHashSet<>(Files.readAllLines(actual, StandardCharsets.UTF_8));
        List<String> missing = expectedRows.stream().filter(row -> !actualRows.contains(row)).limit(10).toList();
        List<String> extra = actualRows.stream().filter(row -> !expectedRows.contains(row)).limit(10).toList();
        out.printf(Locale.ROOT, "RESULTS DIFFER for %s over %,d events: %s has %,d rows, %s has %,d%n", query.id(), size, expected,
                lineCount(expected), actual, lineCount(actual));
        missing.forEach(row -> out.println("  only in the first:  " + row));
        extra.forEach(row -> out.println("  only in the second: " + row));
    }

    private static long lineCount(Path file) throws IOException {
        try (var lines = Files.lines(file, StandardCharsets.UTF_8)) {
            return lines.count();
        }
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }

    /** The 1-minute load average (other work on the machine), or -1 where /proc/loadavg is missing. */
    private static double loadAverage() throws IOException {
        Path loadavg = Path.of("/proc/loadavg");
        return Files.exists(loadavg) ? Double.parseDouble(Files.readString(loadavg).split(" ")[0]) : -1;
    }

    /** {@code benchmarks/flink} next to the {@code benchmarks} module this class was loaded from. */
    private static Path defaultFlinkModule() {
        try {
            Path location = Path.of(FlinkComparisonBenchmark.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            // benchmarks/target/classes or benchmarks/target/weir-benchmarks-*.jar
            return location.getParent().getParent().resolve("flink").normalize();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String flinkClasspath(Path module) throws IOException {
        Path classpath = module.resolve("target/classpath.txt");
        Path jar = module.resolve("target/weir-benchmarks-flink-0.1.0-SNAPSHOT.jar");
        if (!Files.exists(classpath) || !Files.exists(jar)) {
            throw new IllegalStateException("the Flink side is not built: " + classpath + " or " + jar + " is missing; build it with"
                    + " mvn -B -ntp -Pflink -pl benchmarks,benchmarks/flink -am package -DskipTests (or pass --flink-module DIR)");
        }
        return jar + java.io.File.pathSeparator + Files.readString(classpath).strip();
    }
}
