package io.weir.server.ingest;

import io.netty.handler.codec.http.HttpResponseStatus;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * How a request body holds records, from its Content-Type and the stream's format: one record per
 * line (JSON lines, CSV lines), or JSON values (an array of objects, or objects one after another).
 */
enum IngestBodyFormat {
    /** One record per line; for CSV, lines joined while a quoted field is open. */
    LINES,
    /** {@code application/json}: a JSON array whose elements are the records, or JSON objects one after another. */
    JSON_VALUES;

    private static final Set<String> JSON_LINES_TYPES = Set.of("application/x-ndjson", "application/ndjson",
            "application/jsonl", "application/x-jsonlines", "application/json-lines", "text/plain");
    private static final Set<String> CSV_TYPES = Set.of("text/csv", "application/csv", "text/plain");
    static final String JSON_HINT = "send JSON lines with 'Content-Type: application/x-ndjson' (or text/plain), "
            + "or a JSON array of objects with 'Content-Type: application/json'";
    static final String CSV_HINT = "send CSV lines with 'Content-Type: text/csv' (or text/plain)";

    /**
     * The body format for a request with this Content-Type to a stream of this format.
     *
     * @throws IngestException 415 when the content type is missing or does not fit the stream's format
     */
    static IngestBodyFormat of(Optional<String> contentType, boolean csvStream, String streamName) throws IngestException {
        if (contentType.isEmpty() || contentType.get().isBlank()) {
            throw new IngestException(HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE, "The request has no Content-Type: "
                    + (csvStream ? CSV_HINT : JSON_HINT));
        }
        String[] parts = contentType.get().split(";");
        String mediaType = parts[0].trim().toLowerCase(Locale.ROOT);
        for (int i = 1; i < parts.length; i++) {
            String parameter = parts[i].trim().toLowerCase(Locale.ROOT);
            if (parameter.startsWith("charset=")) {
                String charset = parameter.substring("charset=".length()).replace("\"", "").trim();
                if (!charset.equals("utf-8") && !charset.equals("utf8") && !charset.equals("us-ascii")) {
                    throw new IngestException(HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE, "Records must be UTF-8,"
                            + " not " + charset + "; re-encode the body and send 'charset=utf-8' or no charset");
                }
            }
        }
        if (csvStream) {
            if (CSV_TYPES.contains(mediaType)) {
                return LINES;
            }
            throw new IngestException(HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE, "Stream '" + streamName
                    + "' reads CSV ('format' = 'csv'), so Content-Type '" + mediaType + "' does not fit: " + CSV_HINT);
        }
        if (mediaType.equals("application/json")) {
            return JSON_VALUES;
        }
        if (JSON_LINES_TYPES.contains(mediaType)) {
            return LINES;
        }
        throw new IngestException(HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE, "Content-Type '" + mediaType
                + "' is not supported for stream '" + streamName + "' ('format' = 'json'): " + JSON_HINT
                + " (curl sends application/x-www-form-urlencoded unless told otherwise with -H)");
    }
}
