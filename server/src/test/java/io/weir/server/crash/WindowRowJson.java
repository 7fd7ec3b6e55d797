package io.weir.server.crash;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.weir.server.crash.ExpectedResults.WindowRow;

import java.io.IOException;
import java.time.LocalDateTime;

/** Reads a window row ({@code window_start, window_end, k, c, s}) that a sink wrote with format json. */
final class WindowRowJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private WindowRowJson() {
    }

    static WindowRow parse(String json) throws IOException {
        JsonNode row = JSON.readTree(json);
        return new WindowRow(timestamp(row.get("window_start")), timestamp(row.get("window_end")), row.get("k").asText(),
                row.get("c").asLong(), row.get("s").asLong());
    }

    /** A TIMESTAMP as the JSON format writes it: epoch milliseconds or ISO text. */
    private static LocalDateTime timestamp(JsonNode value) {
        if (value.isNumber()) {
            return ExpectedResults.utc(value.asLong());
        }
        String text = value.asText().replace(' ', 'T');
        return LocalDateTime.parse(text.endsWith("Z") ? text.substring(0, text.length() - 1) : text);
    }
}
