package io.weir.server.metrics;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.weir.server.http.HttpCall;
import io.weir.server.http.HttpEndpoint;
import io.weir.server.http.HttpReply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;

import static java.util.Objects.requireNonNull;

/** {@code GET /metrics}: the server's meters in the Prometheus text format, for Prometheus to scrape. */
public final class MetricsEndpoint implements HttpEndpoint {
    private static final Logger LOG = LoggerFactory.getLogger(MetricsEndpoint.class);
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final ServerMetrics metrics;

    public MetricsEndpoint(ServerMetrics metrics) {
        this.metrics = requireNonNull(metrics, "metrics is null");
    }

    @Override
    public HttpReply handle(HttpCall call) {
        long started = System.nanoTime();
        String text = metrics.scrape();
        long millis = (System.nanoTime() - started) / 1_000_000;
        if (millis > ServerMetrics.SLOW_SCRAPE.toMillis()) {
            LOG.info("Answering GET /metrics took {} ms", millis);
        }
        return new HttpReply(HttpResponseStatus.OK, CONTENT_TYPE, text.getBytes(StandardCharsets.UTF_8));
    }
}
