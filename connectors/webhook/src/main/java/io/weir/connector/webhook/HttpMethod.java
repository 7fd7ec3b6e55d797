package io.weir.connector.webhook;

import java.util.Arrays;
import java.util.List;

/** The request methods a webhook accepts rows with. */
enum HttpMethod {
    POST,
    PUT;

    static List<String> optionValues() {
        return Arrays.stream(values()).map(Enum::name).toList();
    }
}
