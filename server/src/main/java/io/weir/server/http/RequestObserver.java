package io.weir.server.http;

/** Told of every request the server answered, for its metrics. Called on request threads: must be quick and thread-safe. */
@FunctionalInterface
public interface RequestObserver {
    RequestObserver NONE = (method, route, status, nanos) -> {
    };

    /**
     * @param route the route that took the request ({@code /json}, {@code /ingest/*}), {@code unmatched} when none
     *        did, or {@code malformed} for a request that could not be decoded
     * @param nanos from the request's arrival to its reply being ready (a fetch waiting for rows included)
     */
    void answered(String method, String route, int status, long nanos);
}
