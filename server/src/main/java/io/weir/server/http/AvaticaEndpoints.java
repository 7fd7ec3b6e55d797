package io.weir.server.http;

import io.netty.handler.codec.http.HttpMethod;
import io.weir.server.auth.AvaticaAuthentication;
import org.apache.calcite.avatica.remote.Service;

/**
 * The routes of the Avatica protocol: protobuf at {@code POST /} and {@code POST /protobuf}
 * (what {@code jdbc:weir://host:port} and {@code jdbc:avatica:remote:url=http://host:port;serialization=PROTOBUF}
 * post to), JSON at {@code POST /json}. The stock client sends the same content type for both
 * serializations, so each needs its own path.
 */
public final class AvaticaEndpoints {
    private AvaticaEndpoints() {
    }

    /** Adds the Avatica routes for {@code service} to {@code router}, open to anyone. */
    public static HttpRouter.Builder addTo(HttpRouter.Builder router, Service service) {
        return addTo(router, service, AvaticaAuthentication.none());
    }

    /**
     * Adds the Avatica routes for {@code service} to {@code router}, for the users {@code authentication}
     * admits; fetches hold their request thread.
     */
    public static HttpRouter.Builder addTo(HttpRouter.Builder router, Service service, AvaticaAuthentication authentication) {
        return addTo(router, service, authentication, AvaticaFetches.blocking(service));
    }

    /**
     * Adds the Avatica routes for {@code service} to {@code router}, for the users {@code authentication}
     * admits, with fetches answered by {@code fetches} (possibly later, holding no thread meanwhile).
     */
    public static HttpRouter.Builder addTo(HttpRouter.Builder router, Service service, AvaticaAuthentication authentication,
                                           AvaticaFetches fetches) {
        HttpEndpoint protobuf = new AvaticaProtobufEndpoint(service, authentication, fetches);
        return router
                .exact(HttpMethod.POST, "/", protobuf)
                .exact(HttpMethod.POST, "/protobuf", protobuf)
                .exact(HttpMethod.POST, "/json", new AvaticaJsonEndpoint(service, authentication, fetches));
    }
}
