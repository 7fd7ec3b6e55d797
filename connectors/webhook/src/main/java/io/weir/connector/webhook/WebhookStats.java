package io.weir.connector.webhook;

/**
 * What a webhook writer has sent so far.
 *
 * @param deliveredRequests requests answered with 2xx
 * @param failedRequests requests given up on (a 4xx answer, or every attempt failed)
 * @param retriedRequests attempts repeated after a 5xx or 429 answer or a network error
 * @param deliveredRows rows in the delivered requests
 */
public record WebhookStats(long deliveredRequests, long failedRequests, long retriedRequests, long deliveredRows) {
}
