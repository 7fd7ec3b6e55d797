package io.weir.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Measures one run: process CPU time, CPU time of the engine's query threads, wall time, and bytes
 * allocated by all threads (sampled every few milliseconds so that threads ending during the run are
 * counted up to their last sample).
 */
final class ResourceMeter implements AutoCloseable {
    private static final long SAMPLE_MILLIS = 5;
    /** The micro-batch engine names each query's thread so. */
    private static final String QUERY_THREAD_PREFIX = "weir-query-";

    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private final Map<Long, Long> initialAllocated = new HashMap<>();
    private final Map<Long, Long> lastAllocated = new HashMap<>();
    private final Map<Long, Boolean> queryThreads = new HashMap<>();
    private final Map<Long, Long> initialQueryCpu = new HashMap<>();
    private final Map<Long, Long> lastQueryCpu = new HashMap<>();
    private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "benchmark-allocation-sampler");
        thread.setDaemon(true);
        return thread;
    });
    private final long startCpuNanos;
    private final long startWallNanos;
    private final Predicate<String> measuredThreads;

    /** Measures the query threads' CPU apart from the process's. */
    ResourceMeter() {
        this(name -> name.startsWith(QUERY_THREAD_PREFIX));
    }

    /** @param measuredThreads names of the threads whose CPU {@link Measurement#queryThreadCpuNanos()} sums */
    ResourceMeter(Predicate<String> measuredThreads) {
        this.measuredThreads = measuredThreads;
        threads.setThreadAllocatedMemoryEnabled(true);
        sample(initialAllocated);
        initialQueryCpu.putAll(lastQueryCpu);
        startCpuNanos = os.getProcessCpuTime();
        startWallNanos = System.nanoTime();
        sampler.scheduleAtFixedRate(() -> sample(null), SAMPLE_MILLIS, SAMPLE_MILLIS, TimeUnit.MILLISECONDS);
    }

    private synchronized void sample(Map<Long, Long> into) {
        long[] ids = threads.getAllThreadIds();
        long[] allocated = threads.getThreadAllocatedBytes(ids);
        for (int i = 0; i < ids.length; i++) {
            if (allocated[i] >= 0) {
                (into != null ? into : lastAllocated).put(ids[i], allocated[i]);
            }
            if (queryThreads.computeIfAbsent(ids[i], this::isQueryThread)) {
                long cpu = threads.getThreadCpuTime(ids[i]);
                if (cpu >= 0) {
                    lastQueryCpu.put(ids[i], cpu);
                }
            }
        }
    }

    private boolean isQueryThread(long id) {
        var info = threads.getThreadInfo(id);
        return info != null && measuredThreads.test(info.getThreadName());
    }

    /** The figures from construction until now. */
    synchronized Measurement stop() {
        sampler.shutdownNow();
        sample(null);
        long cpu = os.getProcessCpuTime() - startCpuNanos;
        long wall = System.nanoTime() - startWallNanos;
        long allocated = 0;
        for (Map.Entry<Long, Long> entry : lastAllocated.entrySet()) {
            allocated += entry.getValue() - initialAllocated.getOrDefault(entry.getKey(), 0L);
        }
        long queryCpu = 0;
        for (Map.Entry<Long, Long> entry : lastQueryCpu.entrySet()) {
            queryCpu += entry.getValue() - initialQueryCpu.getOrDefault(entry.getKey(), 0L);
        }
        return new Measurement(cpu, queryCpu, wall, allocated);
    }

    @Override
    public void close() {
        sampler.shutdownNow();
    }

    /** Heap in use after asking for full collections; an estimate of live data. */
    static long liveHeapBytes() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            System.gc();
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return memory.getHeapMemoryUsage().getUsed();
    }

    /**
     * @param cpuNanos process CPU time (all threads, including GC and JIT)
     * @param queryThreadCpuNanos CPU time of the engine's query threads (sources, operators, output)
     * @param allocatedBytes bytes allocated on the heap by all threads
     */
    record Measurement(long cpuNanos, long queryThreadCpuNanos, long wallNanos, long allocatedBytes) {
    }
}
