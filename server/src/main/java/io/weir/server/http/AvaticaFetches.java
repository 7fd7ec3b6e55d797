package io.weir.server.http;

import org.apache.calcite.avatica.remote.Service;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import static java.util.Objects.requireNonNull;

/**
 * Answers Avatica fetch requests, possibly later: a fetch of a continuous query's rows completes when
 * they come, without a request thread waiting for them. May fail with what {@link Service#apply} throws.
 */
@FunctionalInterface
public interface AvaticaFetches {
    CompletionStage<Service.FetchResponse> fetch(Service.FetchRequest request);

    /** Fetches answered by {@code service} on the request thread (a Meta whose fetches never wait). */
    static AvaticaFetches blocking(Service service) {
        requireNonNull(service, "service is null");
        return request -> CompletableFuture.completedFuture(service.apply(request));
    }
}
