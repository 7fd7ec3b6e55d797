package io.weir.server.crash;

/**
 * Crash recovery of HTTP ingest → materialized view (issue 9): records are posted to
 * {@code POST /ingest/<stream>} in steps, each body retried until the server answers that it accepted it
 * ({@link IngestStepWriter}), while the server is killed and started again; see
 * {@link RetriedDeliveryCrashTest} for what is checked.
 */
class HttpIngestCrashTest extends RetriedDeliveryCrashTest {
    HttpIngestCrashTest() {
        super("crash_ingest");
    }

    @Override
    String streamOptions() {
        return "'connector' = 'http', 'format' = 'json'";
    }

    @Override
    RetryingStepWriter client(ServerProcess server, String stream, int records) {
        return new IngestStepWriter(server::port, stream, records); // the port changes at every restart
    }

    @Override
    String deliveryName() {
        return "HTTP ingest";
    }
}
