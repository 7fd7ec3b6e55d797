package io.weir.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmHeapPressureMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.weir.engine.exec.RunningQueries;
import io.weir.engine.source.SourceStatistics;
import io.weir.spi.connector.SinkCounters;
import io.weir.spi.connector.SinkStatistics;
import io.weir.spi.error.SourceCounters;
import io.weir.server.http.RequestObserver;
import io.weir.server.ingest.IngestCounts;

import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

import static java.util.Objects.requireNonNull;

/**
 * One server's meters, in a registry of its own (two servers in one JVM export their own figures):
 * the JVM's (memory, GC, threads, CPU), the server's (open connections, statements at work, requests
 * per route with their durations, failed statements by SQLSTATE class) and, read when scraped, each
 * running query's and each source's. {@link #scrape()} gives them in the Prometheus text format.
 */
public final class ServerMetrics implements RequestObserver, IngestCounts, AutoCloseable {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final JvmHeapPressureMetrics heapPressure = new JvmHeapPressureMetrics();
    private final QueryMeters queries;
    private final ObjectCounterMeters<SourceCounters.Snapshot> sources;
    private final ObjectCounterMeters<SinkCounters.Snapshot> sinks;

    /**
     * Micrometer keeps gauges' objects weakly; the suppliers here would be collected: held strongly.
     *
     * @param connections the open client connections
     * @param statements the statements planning or running now
     */
    public ServerMetrics(RunningQueries runningQueries, SourceStatistics sourceStatistics, SinkStatistics sinkStatistics,
                         IntSupplier connections, IntSupplier statements, InstantSource clock) {
        requireNonNull(connections, "connections is null");
        requireNonNull(statements, "statements is null");
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        heapPressure.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        Gauge.builder("weir.connections", connections, IntSupplier::getAsInt)
                .description("Open client connections (sessions)").strongReference(true).register(registry);
        Gauge.builder("weir.statements.executing", statements, IntSupplier::getAsInt)
                .description("Statements planning or running now").strongReference(true).register(registry);
        this.queries = new QueryMeters(registry, requireNonNull(runningQueries, "runningQueries is null"), clock);
        requireNonNull(sourceStatistics, "sourceStatistics is null");
        this.sources = new ObjectCounterMeters<>(registry, sourceStatistics::snapshot, "source", List.of(
                new ObjectCounterMeters.Counted<>("weir.source.records.read", "Records read from the stream or table",
                        SourceCounters.Snapshot::read),
                new ObjectCounterMeters.Counted<>("weir.source.bytes.read", "Bytes of the records read (Kafka keys and values,"
                        + " Kinesis data, Flume event bodies, file and posted records, Parquet files once read through; text records"
                        + " from sockets and ZeroMQ in characters)", SourceCounters.Snapshot::bytes),
                new ObjectCounterMeters.Counted<>("weir.source.records.skipped",
                        "Records that could not be decoded and were dropped ('on-error' = 'skip')", SourceCounters.Snapshot::skipped),
                new ObjectCounterMeters.Counted<>("weir.source.records.dead.lettered",
                        "Records that could not be decoded and went to sys.dead_letters", SourceCounters.Snapshot::deadLettered)));
        requireNonNull(sinkStatistics, "sinkStatistics is null");
        this.sinks = new ObjectCounterMeters<>(registry, sinkStatistics::snapshot, "sink", List.of(
                new ObjectCounterMeters.Counted<>("weir.sink.rows.written", "Rows handed to the sink's writers (INSERT INTO)",
                        SinkCounters.Snapshot::rows),
                new ObjectCounterMeters.Counted<>("weir.sink.bytes.sent",
                        "Bytes the sink's connector sent (Kafka keys and values, webhook request bodies)", SinkCounters.Snapshot::bytes),
                new ObjectCounterMeters.Counted<>("weir.sink.retries",
                        "Attempts the sink's connector repeated after a failure (webhook requests)", SinkCounters.Snapshot::retries)));
    }

    @Override
    public void answered(String method, String route, int status, long nanos) {
        Timer.builder("weir.http.requests")
                .description("HTTP requests answered, by route, method and status; a fetch's time includes waiting for rows")
                .tag("route", route).tag("method", method).tag("status", Integer.toString(status))
                .publishPercentileHistogram(false)
                .register(registry)
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void counted(String stream, int accepted, int rejected) {
        if (accepted > 0) {
            Counter.builder("weir.ingest.records").description("Records posted to /ingest, by stream and outcome")
                    .tag("stream", stream).tag("outcome", "accepted").register(registry).increment(accepted);
        }
        if (rejected > 0) {
            Counter.builder("weir.ingest.records").description("Records posted to /ingest, by stream and outcome")
                    .tag("stream", stream).tag("outcome", "rejected").register(registry).increment(rejected);
        }
    }

    /** A statement failed with this SQLSTATE; counted by its class (the first two characters: 42, 22, 57, ...). */
    public void statementFailed(String sqlState) {
        String sqlStateClass = sqlState == null || sqlState.length() < 2 ? "unknown" : sqlState.substring(0, 2).toUpperCase(Locale.ROOT);
        Counter.builder("weir.statement.errors").description("Statements that failed, by SQLSTATE class")
                .tag("sqlstate_class", sqlStateClass).register(registry).increment();
    }

    /** Every meter now, in the Prometheus text exposition format (version 0.0.4). */
    public String scrape() {
        queries.refresh();
        sources.refresh();
        sinks.refresh();
        return registry.scrape();
    }

    /** How long answering a scrape may take before it is worth a look; logged by {@link MetricsEndpoint}. */
    static final Duration SLOW_SCRAPE = Duration.ofMillis(50);

    @Override
    public void close() {
        gc.close();
        heapPressure.close();
        registry.close();
    }
}
