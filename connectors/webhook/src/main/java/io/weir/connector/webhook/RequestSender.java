package io.weir.connector.webhook;

import io.weir.spi.connector.SinkCounters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static java.util.Objects.requireNonNull;

/**
 * Sends one request body to the webhook, retrying 5xx and 429 answers and network errors with
 * exponential back-off (or the server's {@code Retry-After}, capped by {@code 'retry.max-backoff'}).
 * Used by the sender thread only.
 */
final class RequestSender {
    private static final Logger log = LoggerFactory.getLogger(RequestSender.class);
    /** Enough of an error answer to show what the endpoint complained about. */
    private static final int MAX_BODY_CHARS = 300;

    /** How one request ended. */
    sealed interface Outcome permits Delivered, Failed {
    }

    record Delivered(int status) implements Outcome {
    }

    /**
     * @param status the last HTTP status, or -1 when the last attempt got no answer
     * @param problem what went wrong, for the user: {@code HTTP 400 (body: ...)}, {@code ConnectException: ...}
     * @param retryable whether the attempts ran out (true) or the answer was final (a 4xx)
     */
    record Failed(int status, String problem, boolean retryable, int attempts, Throwable cause) implements Outcome {
    }

    private final WebhookSettings settings;
    private final HttpClient client;
    private final AtomicLong retried;
    private final SinkCounters counters;

    RequestSender(WebhookSettings settings, AtomicLong retried, SinkCounters counters) {
        this.settings = requireNonNull(settings, "settings is null");
        this.retried = requireNonNull(retried, "retried is null");
        this.counters = requireNonNull(counters, "counters is null");
        this.client = HttpClient.newBuilder()
                .connectTimeout(settings.requestTimeout())
                // HTTP/1.1: no h2c upgrade attempt on plain http, which some webhook receivers mishandle.
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** Sends {@code body}, every attempt with the same {@code idempotencyKey}; returns when it is delivered or given up on. */
    Outcome send(byte[] body, String idempotencyKey) throws InterruptedException {
        HttpRequest request = request(body, idempotencyKey);
        Backoff backoff = new Backoff(settings.initialBackoff(), settings.maxBackoff());
        for (int attempt = 1; ; attempt++) {
            int status;
            String problem;
            Throwable cause = null;
            Optional<Duration> retryAfter = Optional.empty();
            try {
                HttpResponse<String> response = client.send(request, this::errorBody);
                status = response.statusCode();
                if (status >= 200 && status < 300) {
                    counters.bytesSent(body.length);
                    return new Delivered(status);
                }
                problem = "HTTP " + status + (response.body().isEmpty() ? "" : " (body: " + response.body() + ")");
                if (status != 429 && status < 500) {
                    return new Failed(status, problem, false, attempt, null);
                }
                retryAfter = response.headers().firstValue("Retry-After").flatMap(RequestSender::parseRetryAfter);
            } catch (IOException e) {
                status = -1;
                problem = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
                cause = e;
            }
            if (attempt >= settings.maxAttempts()) {
                return new Failed(status, problem, true, attempt, cause);
            }
            Duration delay = backoff.next();
            if (retryAfter.isPresent()) {
                delay = retryAfter.get().compareTo(settings.maxBackoff()) > 0 ? settings.maxBackoff() : retryAfter.get();
            }
            // The URL without query or user info, and never the headers: they may hold credentials.
            log.warn("Webhook {} {} failed with {} (attempt {} of {}); retrying in {} ms", settings.method(),
                    settings.displayUrl(), status < 0 ? problem : "HTTP " + status, attempt, settings.maxAttempts(),
                    delay.toMillis());
            retried.incrementAndGet();
            counters.retried();
            TimeUnit.NANOSECONDS.sleep(delay.toNanos());
        }
    }

    private HttpRequest request(byte[] body, String idempotencyKey) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(settings.url())
                .timeout(settings.requestTimeout())
                .method(settings.method().name(), HttpRequest.BodyPublishers.ofByteArray(body))
                .header(IdempotencyKeys.HEADER, idempotencyKey);
        if (!settings.headers().containsKey("content-type")) {
            builder.header("Content-Type", "application/json");
        }
        settings.headers().forEach(builder::header);
        return builder.build();
    }

    /** Nothing of a 2xx answer is kept; of an error answer, the start, on one line. */
    private HttpResponse.BodySubscriber<String> errorBody(HttpResponse.ResponseInfo info) {
        if (info.statusCode() >= 200 && info.statusCode() < 300) {
            return HttpResponse.BodySubscribers.replacing("");
        }
        return HttpResponse.BodySubscribers.mapping(HttpResponse.BodySubscribers.ofByteArray(), bytes -> {
            String text = new String(bytes, StandardCharsets.UTF_8).replaceAll("\\s+", " ").strip();
            return text.length() > MAX_BODY_CHARS ? text.substring(0, MAX_BODY_CHARS) + "..." : text;
        });
    }

    /** {@code Retry-After}: seconds, or an HTTP date. */
    static Optional<Duration> parseRetryAfter(String value) {
        String text = value.trim();
        try {
            long seconds = Long.parseLong(text);
            return seconds < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(seconds));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration wait = Duration.between(Instant.now(), at);
                return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
            } catch (DateTimeParseException notADate) {
                log.debug("Ignoring unparsable Retry-After '{}'", text, notADate);
                return Optional.empty();
            }
        }
    }
}
