package io.weir.server.ingest;

import io.netty.handler.codec.http.HttpMethod;
import io.weir.server.auth.Authenticator;
import io.weir.server.http.AuthenticatedEndpoint;
import io.weir.server.http.HttpRouter;
import io.weir.server.meta.ServerContext;
import io.weir.spi.connector.ConnectorServices;
import io.weir.spi.connector.ingest.IngestLogs;
import io.weir.sql.catalog.Catalog;

import java.time.InstantSource;

/**
 * Wires HTTP ingest into a server: the {@code POST /ingest/} route, and forgetting the records of dropped
 * streams (their in-memory channel and their write-ahead log).
 */
public final class IngestRoutes {
    private IngestRoutes() {
    }

    /**
     * Adds {@code POST /ingest/<stream>} for the streams of {@code context}'s catalog, for clients that
     * {@code authenticator} lets in (a user's password or a token, once the server has users).
     */
    public static HttpRouter.Builder addTo(HttpRouter.Builder router, ServerContext context, Authenticator authenticator) {
        return addTo(router, context, authenticator, IngestCounts.NONE);
    }

    /** As {@link #addTo(HttpRouter.Builder, ServerContext, Authenticator)}, telling {@code counts} each request's records. */
    public static HttpRouter.Builder addTo(HttpRouter.Builder router, ServerContext context, Authenticator authenticator,
                                           IngestCounts counts) {
        ConnectorServices services = context.connectorServices();
        IngestEndpoint endpoint = new IngestEndpoint(context.catalog(), context.dataDir(), services, context.executor().statistics(),
                context.executor().deadLetters(), InstantSource.system(), IngestEndpoint.MAX_BODY_BYTES,
                context.executor().authorizer(), counts);
        // A dropped or replaced stream's buffered records must not reappear in a new stream of that name.
        context.catalog().addListener(change -> {
            if (change.kind() != Catalog.CatalogChange.Kind.CREATED) {
                services.ingestChannels().remove(change.object().name());
                IngestLogs.delete(services.writeAheadLogs(), context.dataDir(), change.object().name());
            }
        });
        return router.prefix(HttpMethod.POST, IngestEndpoint.PATH_PREFIX, new AuthenticatedEndpoint(endpoint, authenticator));
    }
}
