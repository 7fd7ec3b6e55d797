package io.weir.server.meta;

import org.apache.calcite.avatica.Meta;
import org.apache.calcite.avatica.MissingResultsException;
import org.apache.calcite.avatica.NoSuchStatementException;
import org.apache.calcite.avatica.remote.LocalService;
import org.apache.calcite.avatica.remote.Service;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import static java.util.Objects.requireNonNull;

/**
 * Avatica's fetch request answered by {@link WeirMeta#fetchAsync}: the response completes when the
 * rows are there, so a fetch waiting for a continuous query's rows holds no request thread. Answers
 * as {@link LocalService} does for a fetch (a missing statement or result is a flag of the response).
 */
public final class DeferredFetches {
    private final WeirMeta meta;

    public DeferredFetches(WeirMeta meta) {
        this.meta = requireNonNull(meta, "meta is null");
    }

    /** The response; fails with the error to send (an Avatica runtime exception, or a missing connection). */
    public CompletableFuture<Service.FetchResponse> fetch(Service.FetchRequest request) {
        Meta.StatementHandle handle = new Meta.StatementHandle(request.connectionId, request.statementId, null);
        return meta.fetchAsync(handle, request.offset, request.fetchMaxRowCount).handle((frame, failure) -> {
            if (failure == null) {
                return new Service.FetchResponse(frame, false, false, null);
            }
            Throwable cause = failure instanceof CompletionException wrapped && wrapped.getCause() != null ? wrapped.getCause() : failure;
            if (cause instanceof NoSuchStatementException) {
                return new Service.FetchResponse(null, true, true, null);
            }
            if (cause instanceof MissingResultsException) {
                return new Service.FetchResponse(null, false, true, null);
            }
            throw cause instanceof RuntimeException runtime ? runtime : new CompletionException(cause);
        });
    }
}
