package io.weir.connector.webhook;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.connector.ConnectorContext;
import io.weir.spi.option.ConfigOption;
import io.weir.spi.option.OptionValues;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static io.weir.connector.webhook.WebhookConnectorFactory.BATCH_MAX_ROWS;
import static io.weir.connector.webhook.WebhookConnectorFactory.HEADERS;
import static io.weir.connector.webhook.WebhookConnectorFactory.METHOD;
import static io.weir.connector.webhook.WebhookConnectorFactory.QUEUE_MAX_ROWS;
import static io.weir.connector.webhook.WebhookConnectorFactory.REQUEST_TIMEOUT;
import static io.weir.connector.webhook.WebhookConnectorFactory.RETRY_INITIAL_BACKOFF;
import static io.weir.connector.webhook.WebhookConnectorFactory.RETRY_MAX_ATTEMPTS;
import static io.weir.connector.webhook.WebhookConnectorFactory.RETRY_MAX_BACKOFF;
import static io.weir.connector.webhook.WebhookConnectorFactory.URL;
import static java.util.Objects.requireNonNull;

/**
 * The webhook connector's options, checked and parsed.
 *
 * @param headers extra request headers, names lower-cased (option keys are case-insensitive; so are HTTP header names)
 */
record WebhookSettings(URI url, HttpMethod method, Map<String, String> headers, int batchMaxRows,
                       Duration requestTimeout, int maxAttempts, Duration initialBackoff, Duration maxBackoff,
                       int queueMaxRows) {
    /** Headers java.net.http sets itself and refuses from callers. */
    private static final Set<String> RESTRICTED_HEADERS = Set.of("connection", "content-length", "expect", "host", "upgrade");

    WebhookSettings {
        requireNonNull(url, "url is null");
        requireNonNull(method, "method is null");
        headers = Map.copyOf(requireNonNull(headers, "headers is null"));
        requireNonNull(requestTimeout, "requestTimeout is null");
        requireNonNull(initialBackoff, "initialBackoff is null");
        requireNonNull(maxBackoff, "maxBackoff is null");
    }

    static WebhookSettings of(ConnectorContext context) {
        OptionValues options = context.options();
        URI url = url(options);
        HttpMethod method = HttpMethod.valueOf(options.string(METHOD));
        Map<String, String> headers = headers(options, url);
        int batchMaxRows = atLeastOne(options, BATCH_MAX_ROWS);
        int queueMaxRows = atLeastOne(options, QUEUE_MAX_ROWS);
        if (queueMaxRows < batchMaxRows) {
            // A full queue must always hold a full request, or the sender would wait for rows the query cannot add.
            throw new WeirException(ErrorCode.INVALID_OPTION_VALUE, context.describe() + ": 'queue.max-rows' ("
                    + queueMaxRows + ") is smaller than 'batch.max-rows' (" + batchMaxRows + "); raise it or lower the batch size");
        }
        Duration requestTimeout = positive(options, REQUEST_TIMEOUT);
        Duration initialBackoff = positive(options, RETRY_INITIAL_BACKOFF);
        Duration maxBackoff = positive(options, RETRY_MAX_BACKOFF);
        if (initialBackoff.compareTo(maxBackoff) > 0) {
            throw new WeirException(ErrorCode.INVALID_OPTION_VALUE, context.describe() + ": 'retry.initial-backoff' ("
                    + initialBackoff + ") is longer than 'retry.max-backoff' (" + maxBackoff + "); lower it or raise the maximum");
        }
        return new WebhookSettings(url, method, headers, batchMaxRows, requestTimeout,
                atLeastOne(options, RETRY_MAX_ATTEMPTS), initialBackoff, maxBackoff, queueMaxRows);
    }

    /**
     * The URL for logs and messages: scheme, host, port and path, without user info and query, which
     * may carry credentials.
     */
    String displayUrl() {
        return displayUrl(url);
    }

    static String displayUrl(URI url) {
        return url.getScheme() + "://" + url.getHost() + (url.getPort() >= 0 ? ":" + url.getPort() : "")
                + (url.getRawPath() == null ? "" : url.getRawPath())
                + (url.getRawQuery() == null ? "" : "?...");
    }

    private static URI url(OptionValues options) {
        String text = options.string(URL).trim();
        URI url;
        try {
            url = new URI(text);
        } catch (URISyntaxException e) {
            throw invalid(URL, "<not shown>", "not a URL (" + e.getReason() + "); write e.g. 'https://alerts.example.com/hook'");
        }
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || url.getHost() == null) {
            throw invalid(URL, url.getScheme() == null ? "<not shown>" : displayUrl(url),
                    "needs an http:// or https:// URL with a host, e.g. 'https://alerts.example.com/hook'");
        }
        return url;
    }

    private static Map<String, String> headers(OptionValues options, URI url) {
        Map<String, String> headers = new LinkedHashMap<>(options.withPrefix(HEADERS));
        HttpRequest.Builder probe = HttpRequest.newBuilder(url);
        for (Map.Entry<String, String> header : headers.entrySet()) {
            String key = HEADERS.key() + header.getKey();
            if (RESTRICTED_HEADERS.contains(header.getKey())) {
                throw new WeirException(ErrorCode.INVALID_OPTION_VALUE, "Option '" + key
                        + "': this header is set by the HTTP client itself and cannot be given; remove it");
            }
            if (header.getKey().equalsIgnoreCase(IdempotencyKeys.HEADER)) {
                throw new WeirException(ErrorCode.INVALID_OPTION_VALUE, "Option '" + key + "': the connector sets "
                        + IdempotencyKeys.HEADER + " itself, a key per request for receivers to drop repeats; remove it");
            }
            try {
                probe.header(header.getKey(), header.getValue());
            } catch (IllegalArgumentException e) {
                // The value is not shown: header values are secret.
                throw new WeirException(ErrorCode.INVALID_OPTION_VALUE, "Option '" + key
                        + "': not a valid HTTP header name and value (no spaces or colons in the name, no line breaks in the value)");
            }
        }
        return headers;
    }

    private static Duration positive(OptionValues options, ConfigOption option) {
        Duration value = options.duration(option);
        if (value.isZero() || value.isNegative()) {
            throw invalid(option, shown(options, option), "must be positive");
        }
        return value;
    }

    private static int atLeastOne(OptionValues options, ConfigOption option) {
        int value = options.integer(option);
        if (value < 1) {
            throw invalid(option, shown(options, option), "must be at least 1");
        }
        return value;
    }

    private static String shown(OptionValues options, ConfigOption option) {
        return options.raw().getOrDefault(option.key(), option.defaultValueText().orElse(""));
    }

    private static WeirException invalid(ConfigOption option, String value, String problem) {
        return new WeirException(ErrorCode.INVALID_OPTION_VALUE, "Invalid value '" + value + "' for option '"
                + option.key() + "': " + problem);
    }
}
