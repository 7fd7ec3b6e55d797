package io.weir.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * What a child process of {@link FlinkComparisonBenchmark} hands back: its result rows, one canonical
 * line each, sorted, in {@code <out>.rows}, and in {@code <out>.report} its process CPU time (all threads
 * since the JVM started: start-up, planning, reading, GC, JIT, the client), wall time and peak resident
 * set (VmHWM). The Flink child ({@code io.weir.benchmarks.flink.ChildReport}, another classpath) writes
 * the same two files the same way.
 */
record ChildReport(long cpuNanos, long wallNanos, long peakRssKb, long rows, Map<String, Double> threadCpuSeconds) {
    static final String ROWS = ".rows";
    static final String REPORT = ".report";

    private static final java.time.format.DateTimeFormatter TIME =
            java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

    /** One result row as a line: values joined by '|', timestamps as {@code yyyy-MM-dd HH:mm:ss.SSS}. */
    static String line(Object... values) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                line.append('|');
            }
            Object value = values[i];
            if (value instanceof java.sql.Timestamp timestamp) {
                value = timestamp.toLocalDateTime();
            }
            line.append(value instanceof java.time.LocalDateTime time ? TIME.format(time) : String.valueOf(value));
        }
        return line.toString();
    }

    /** Measures this process now; call once the last result row was read. */
    static ChildReport measure(long startNanos, long rows) throws IOException {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        return new ChildReport(os.getProcessCpuTime(), System.nanoTime() - startNanos, peakRssKb(Path.of("/proc/self/status")), rows,
                Map.of());
    }

    /** VmHWM of a /proc/.../status file, in kB; -1 where there is none (not Linux). */
    static long peakRssKb(Path status) throws IOException {
        if (!Files.exists(status)) {
            return -1;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.substring("VmHWM:".length()).replace("kB", "").strip());
            }
        }
        return -1;
    }

    void write(Path out, List<String> rows) throws IOException {
        List<String> sorted = new ArrayList<>(rows);
        Collections.sort(sorted);
        Files.write(Path.of(out + ROWS), sorted, StandardCharsets.UTF_8);
        Properties report = new Properties();
        report.setProperty("cpuNanos", Long.toString(cpuNanos));
        report.setProperty("wallNanos", Long.toString(wallNanos));
        report.setProperty("peakRssKb", Long.toString(peakRssKb));
        report.setProperty("rows", Long.toString(this.rows));
        try (var writer = Files.newBufferedWriter(Path.of(out + REPORT))) {
            report.store(writer, null);
        }
    }

    /** This report with the CPU seconds per thread group, as measured from outside the process ({@link ThreadCpu}). */
    ChildReport withThreadCpu(Map<String, Double> seconds) {
        return new ChildReport(cpuNanos, wallNanos, peakRssKb, rows, Map.copyOf(seconds));
    }

    static ChildReport read(Path out) throws IOException {
        Properties report = new Properties();
        try (var reader = Files.newBufferedReader(Path.of(out + REPORT))) {
            report.load(reader);
        }
        return new ChildReport(Long.parseLong(report.getProperty("cpuNanos")), Long.parseLong(report.getProperty("wallNanos")),
                Long.parseLong(report.getProperty("peakRssKb")), Long.parseLong(report.getProperty("rows")), Map.of());
    }
}
