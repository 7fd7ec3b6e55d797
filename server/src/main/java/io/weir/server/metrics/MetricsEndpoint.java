package io.weir.server.metrics;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.weir.server.http.HttpCall;
import io.weir.server.http.HttpReply;
import io.weir.server.http.UserEndpoint;
import io.weir.sql.auth.Authorizer;
import io.weir.sql.auth.SessionUser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;

import static java.util.Objects.requireNonNull;

/**
 * {@code GET /metrics}: the server's meters in the Prometheus text format, for Prometheus to scrape. On a
 * server with users only admins and users granted METRICS may scrape: the figures name every query and stream.
 */
public final class MetricsEndpoint implements UserEndpoint {
    private static final Logger LOG = LoggerFactory.getLogger(MetricsEndpoint.class);
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final ServerMetrics metrics;
    private final Authorizer authorizer;

    public MetricsEndpoint(ServerMetrics metrics, Authorizer authorizer) {
        this.metrics = requireNonNull(metrics, "metrics is null");
        this.authorizer = requireNonNull(authorizer, "authorizer is null");
    }

    @Override
    public HttpReply handle(HttpCall call, SessionUser user) {
        if (!authorizer.mayReadMetrics(user)) {
            return HttpReply.text(HttpResponseStatus.FORBIDDEN, "User '" + user.name() + "' may not read the server's metrics:"
                    + " they name every query and stream, so only admins and users granted METRICS may (an admin runs GRANT"
                    + " METRICS TO " + user.name() + ")");
        }
        long started = System.nanoTime();
        String text = metrics.scrape();
        long millis = (System.nanoTime() - started) / 1_000_000;
        if (millis > ServerMetrics.SLOW_SCRAPE.toMillis()) {
            LOG.info("Answering GET /metrics took {} ms", millis);
        }
        return new HttpReply(HttpResponseStatus.OK, CONTENT_TYPE, text.getBytes(StandardCharsets.UTF_8));
    }
}
