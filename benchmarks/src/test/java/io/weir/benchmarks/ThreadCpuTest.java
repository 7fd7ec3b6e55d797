package io.weir.benchmarks;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class ThreadCpuTest {
    private static volatile long sink;

    @Test
    void groupsThreadsByNameWithNumbersFolded() {
        assertThat(ThreadCpu.group("C2 CompilerThre")).isEqualTo(ThreadCpu.JIT_COMPILER);
        assertThat(ThreadCpu.group("C1 CompilerThre")).isEqualTo(ThreadCpu.JIT_COMPILER);
        assertThat(ThreadCpu.group("GC Thread#3")).isEqualTo("GC");
        assertThat(ThreadCpu.group("G1 Conc#0")).isEqualTo("GC");
        assertThat(ThreadCpu.group("weir-query-ae5c")).isEqualTo("weir-query");
        assertThat(ThreadCpu.group("weir-bid-12")).isEqualTo("weir-bid-#");
        assertThat(ThreadCpu.group("Source: KafkaSo")).isEqualTo("Source: KafkaSo");
    }

    @Test
    void measuresTheCpuOfAThreadOfAProcess() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "needs Linux's /proc");
        Thread burner = new Thread(() -> {
            var threads = ManagementFactory.getThreadMXBean();
            while (threads.getCurrentThreadCpuTime() < 400_000_000L) {
                sink += System.nanoTime() % 7;
            }
        }, "cpu-burner-7");
        ThreadCpu watch = ThreadCpu.watch(ProcessHandle.current().pid());
        burner.start();
        burner.join();
        watch.close();
        // /proc counts in 10 ms ticks, and the last read before the thread ended may be up to one period (50 ms) earlier
        assertThat(watch.secondsByGroup().get("cpu-burner-#")).isBetween(0.3, 0.6);
    }
}
