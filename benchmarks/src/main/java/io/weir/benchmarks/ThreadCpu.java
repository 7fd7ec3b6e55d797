package io.weir.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The CPU time of each thread of another process, from {@code /proc/<pid>/task/<tid>/stat} read every
 * 50 ms until it exits, summed by thread name: where a child of {@link FlinkComparisonBenchmark} spent
 * its CPU (the JIT compilers, GC, Kafka's consumer thread, the query's thread, ...). Read from outside so
 * that both engines are measured alike and neither carries the sampling. A thread that ends between two
 * reads loses at most its last 50 ms; on a system without {@code /proc} the result is empty.
 */
final class ThreadCpu implements AutoCloseable {
    private static final long PERIOD_MILLIS = 50;
    /** Linux's clock ticks per second (USER_HZ), which /proc's times count in. */
    private static final double TICKS_PER_SECOND = 100;
    static final String JIT_COMPILER = "JIT compiler";
    private static final Pattern DIGITS = Pattern.compile("\\d+");

    private final Path tasks;
    /** Per thread id, its name and CPU ticks at the last read. */
    private final Map<String, Map.Entry<String, Long>> threads = new HashMap<>();
    private final Thread sampler;
    private volatile boolean stopped;

    private ThreadCpu(long pid) {
        this.tasks = Path.of("/proc", Long.toString(pid), "task");
        this.sampler = new Thread(this::sample, "thread-cpu-" + pid);
        sampler.setDaemon(true);
    }

    /** Starts reading the threads of process {@code pid}. */
    static ThreadCpu watch(long pid) {
        ThreadCpu watch = new ThreadCpu(pid);
        watch.sampler.start();
        return watch;
    }

    private void sample() {
        while (!stopped && Files.isDirectory(tasks)) {
            read();
            try {
                Thread.sleep(PERIOD_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void read() {
        try (Stream<Path> list = Files.list(tasks)) {
            for (Path task : (Iterable<Path>) list::iterator) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    // pid (comm) state ... : comm may hold spaces and parentheses, the fields follow its last ')'
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime + stime
                    synchronized (threads) {
                        threads.put(task.getFileName().toString(), Map.entry(name, ticks));
                    }
                } catch (IOException | RuntimeException e) {
                    // the thread ended while being read
                }
            }
        } catch (IOException | RuntimeException e) {
            // the process ended
        }
    }

    /** Stops reading; call once the process has ended. */
    @Override
    public void close() throws InterruptedException {
        stopped = true;
        sampler.interrupt();
        sampler.join();
    }

    /** CPU seconds per group of threads (unordered: the benchmark's printing sorts them). */
    Map<String, Double> secondsByGroup() {
        Map<String, Double> groups = new HashMap<>();
        synchronized (threads) {
            threads.values().forEach(thread -> groups.merge(group(thread.getKey()), thread.getValue() / TICKS_PER_SECOND, Double::sum));
        }
        return groups;
    }

    /** A thread's group: its name (as Linux keeps it, 15 characters) with numbers as '#', a few known names joined. */
    static String group(String name) {
        if (name.contains("CompilerThre")) {
            return JIT_COMPILER;
        }
        if (name.startsWith("GC Thread") || name.startsWith("G1 ") || name.equals("VM Thread")) {
            return "GC";
        }
        if (name.startsWith("weir-query-")) {
            return "weir-query"; // named by the query's id
        }
        return DIGITS.matcher(name).replaceAll("#");
    }
}
