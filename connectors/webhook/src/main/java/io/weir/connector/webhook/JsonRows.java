package io.weir.connector.webhook;

import io.weir.spi.connector.ConnectorContext;
import io.weir.spi.format.FormatFactory;
import io.weir.spi.format.Formats;
import io.weir.spi.format.RecordEncoder;

import java.io.ByteArrayOutputStream;
import java.util.List;

/**
 * Rows as JSON: each row a JSON object encoded by format {@code json} (so values look exactly as a
 * json sink writes them), a request body a JSON array of them.
 */
final class JsonRows {
    static final String FORMAT = "json";

    private JsonRows() {
    }

    /** Checks that format {@code json} can write the schema. */
    static void check(ConnectorContext context) {
        FormatFactory json = json();
        json.validate(context.schema(), context.options());
        json.createEncoder(context.schema(), context.options());
    }

    /** A new encoder for one writer; the options the json format reads fall back to their defaults. */
    static RecordEncoder encoder(ConnectorContext context) {
        return json().createEncoder(context.schema(), context.options());
    }

    /** {@code [row,row,...]}, from rows each encoded as a JSON object. */
    static byte[] array(List<byte[]> rows) {
        int size = 2 + Math.max(0, rows.size() - 1);
        for (byte[] row : rows) {
            size += row.length;
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream(size);
        body.write('[');
        for (int i = 0; i < rows.size(); i++) {
            if (i > 0) {
                body.write(',');
            }
            body.writeBytes(rows.get(i));
        }
        body.write(']');
        return body.toByteArray();
    }

    private static FormatFactory json() {
        return Formats.find(FORMAT, JsonRows.class.getClassLoader());
    }
}
