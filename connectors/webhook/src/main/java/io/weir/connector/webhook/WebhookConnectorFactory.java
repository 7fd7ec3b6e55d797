package io.weir.connector.webhook;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.connector.Capability;
import io.weir.spi.connector.ConnectorContext;
import io.weir.spi.connector.ConnectorFactory;
import io.weir.spi.connector.FormatUsage;
import io.weir.spi.connector.Sink;
import io.weir.spi.connector.Source;
import io.weir.spi.option.ConfigOption;

import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * {@code 'connector' = 'webhook'}: a sink for alerting endpoints. A persistent query's rows are sent
 * to {@code 'url'} as JSON arrays of row objects (field names are the column names, values encoded as
 * format {@code json} encodes them), up to {@code 'batch.max-rows'} rows per request, with retries and
 * exponential back-off, each with an {@code Idempotency-Key} ({@link IdempotencyKeys}) so receivers can
 * drop what a replay sends again. Sink only: a webhook stream cannot be read.
 */
public final class WebhookConnectorFactory implements ConnectorFactory {
    public static final String NAME = "webhook";

    public static final ConfigOption URL = ConfigOption.string("url",
            "The http:// or https:// endpoint the rows are sent to").asRequired();
    public static final ConfigOption METHOD = ConfigOption.oneOf("method", HttpMethod.optionValues(),
            "The HTTP method of each request").withDefault(HttpMethod.POST.name());
    /** Secret: headers typically carry credentials ('headers.Authorization' = 'Bearer ...'). */
    public static final ConfigOption HEADERS = ConfigOption.prefix("headers.",
            "Extra request headers, e.g. 'headers.Authorization' = 'Bearer ...'; Content-Type is application/json "
                    + "unless set here; Idempotency-Key is always set by the connector").asSecret();
    public static final ConfigOption BATCH_MAX_ROWS = ConfigOption.integer("batch.max-rows",
            "The most rows one request carries; fewer are sent at the end of each micro-batch").withDefault("500");
    public static final ConfigOption REQUEST_TIMEOUT = ConfigOption.duration("request.timeout",
            "How long one request (connecting and waiting for the response) may take before it is retried")
            .withDefault("10 s");
    public static final ConfigOption RETRY_MAX_ATTEMPTS = ConfigOption.integer("retry.max-attempts",
            "Attempts per request (the first one included) for 5xx and 429 responses and network errors "
                    + "before the query fails").withDefault("5");
    public static final ConfigOption RETRY_INITIAL_BACKOFF = ConfigOption.duration("retry.initial-backoff",
            "The wait before the first retry; it doubles after every failed attempt").withDefault("200 ms");
    public static final ConfigOption RETRY_MAX_BACKOFF = ConfigOption.duration("retry.max-backoff",
            "The longest wait between attempts, also for a longer Retry-After").withDefault("10 s");
    public static final ConfigOption QUEUE_MAX_ROWS = ConfigOption.integer("queue.max-rows",
            "Rows buffered for sending; when full, the query waits (back-pressure) instead of buffering more; "
                    + "at least 'batch.max-rows'").withDefault("10000");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Sends result rows to an HTTP endpoint as JSON arrays (alerting webhooks), batched, with retries";
    }

    @Override
    public List<ConfigOption> options() {
        return List.of(URL, METHOD, HEADERS, BATCH_MAX_ROWS, REQUEST_TIMEOUT, RETRY_MAX_ATTEMPTS, RETRY_INITIAL_BACKOFF,
                RETRY_MAX_BACKOFF, QUEUE_MAX_ROWS);
    }

    /** The body is always JSON; there is nothing to choose. */
    @Override
    public FormatUsage usesFormat() {
        return FormatUsage.none();
    }

    @Override
    public Set<Capability> capabilities() {
        return Set.of(Capability.SINK);
    }

    @Override
    public void validate(ConnectorContext context) {
        WebhookSettings.of(context);
        // Fails here, at CREATE, rather than when the first INSERT INTO starts, for a column JSON cannot carry.
        JsonRows.check(context);
    }

    @Override
    public Source createSource(ConnectorContext context) {
        throw new WeirException(ErrorCode.NOT_SUPPORTED, context.describe() + ": connector 'webhook' only sends rows "
                + "and cannot be read; use it as the target of INSERT INTO ... SELECT STREAM ...");
    }

    @Override
    public Sink createSink(ConnectorContext context) {
        WebhookSettings settings = WebhookSettings.of(context);
        return () -> new WebhookSinkWriter(context.describe(), settings, JsonRows.encoder(context),
                new IdempotencyKeys(writerId(context)), context.sinkCounters());
    }

    /**
     * The writer id of a persistent query's sink, the same after restarts; a query that does not
     * persist never replays, and gets an id of its own run so its keys cannot repeat another run's.
     */
    private static String writerId(ConnectorContext context) {
        return context.consumerId().orElseGet(() -> "run-" + UUID.randomUUID());
    }
}
