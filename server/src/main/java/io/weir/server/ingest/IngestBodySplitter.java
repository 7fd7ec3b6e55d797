package io.weir.server.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.weir.spi.format.LineFramer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a request body into raw records (UTF-8 bytes, one decodable record each): lines, or the
 * elements of a JSON array (with jackson-core's streaming parser; nothing is bound to objects).
 */
final class IngestBodySplitter {
    private static final JsonFactory JSON = JsonFactory.builder().build();

    private IngestBodySplitter() {
    }

    /**
     * One record per line ({@code \n} or {@code \r\n}); the framer joins lines into one record while
     * it says the record goes on (a CSV field with a quoted line break). Blank lines carry no record.
     */
    static List<byte[]> lines(byte[] body, LineFramer framer) {
        List<byte[]> records = new ArrayList<>();
        // the records keep the body's bytes as sent, so that bytes that are not UTF-8 are found and reported
        ByteArrayOutputStream pending = new ByteArrayOutputStream();
        boolean open = false;
        int start = 0;
        while (start <= body.length) {
            int end = start;
            while (end < body.length && body[end] != '\n') {
                end++;
            }
            int lineEnd = end > start && body[end - 1] == '\r' ? end - 1 : end;
            String line = new String(body, start, lineEnd - start, StandardCharsets.UTF_8); // for the framer
            int lineStart = start;
            start = end + 1;
            if (!open && line.isBlank()) {
                continue;
            }
            if (open) {
                pending.write('\n');
            }
            pending.write(body, lineStart, lineEnd - lineStart);
            open = !framer.endsRecord(line);
            if (!open) {
                records.add(pending.toByteArray());
                pending.reset();
            }
        }
        if (open) {
            // An unfinished record (an unclosed CSV quote) goes to the decoder, which says what is wrong.
            records.add(pending.toByteArray());
        }
        framer.reset();
        return records;
    }

    /** Where {@code record} is not well-formed UTF-8 (the byte offset), or -1 when it is. */
    static int malformedUtf8At(byte[] record) {
        int i = 0;
        while (i < record.length && record[i] >= 0) {
            i++; // ASCII, nearly always all of it
        }
        if (i == record.length) {
            return -1;
        }
        java.nio.ByteBuffer bytes = java.nio.ByteBuffer.wrap(record);
        java.nio.CharBuffer chars = java.nio.CharBuffer.allocate(record.length);
        java.nio.charset.CoderResult result = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                .decode(bytes, chars, true);
        return result.isError() ? bytes.position() : -1;
    }

    /**
     * The elements of a top-level JSON array, or the top-level JSON values one after another (a single
     * object, or concatenated objects), each re-serialized compactly.
     *
     * @throws IngestException 400 when the body is not well-formed JSON: it cannot be split into records
     */
    static List<byte[]> jsonValues(byte[] body) throws IngestException {
        List<byte[]> records = new ArrayList<>();
        try (JsonParser parser = JSON.createParser(body)) {
            JsonToken token = parser.nextToken();
            if (token == JsonToken.START_ARRAY) {
                while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
                    if (token == null) {
                        throw malformed("the array is not closed");
                    }
                    records.add(copy(parser));
                }
                if (parser.nextToken() != null) {
                    throw malformed("there is more after the closing ']' of the array");
                }
                return records;
            }
            while (token != null) {
                records.add(copy(parser));
                token = parser.nextToken();
            }
            return records;
        } catch (JsonParseException e) {
            throw malformed(e.getOriginalMessage() + " at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr());
        } catch (IOException e) {
            throw malformed(e.getMessage());
        }
    }

    /** The value the parser is on (an object, array or scalar), as compact JSON. */
    private static byte[] copy(JsonParser parser) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        try (JsonGenerator generator = JSON.createGenerator(out)) {
            generator.copyCurrentStructure(parser);
        }
        return out.toByteArray();
    }

    private static IngestException malformed(String problem) {
        return new IngestException(HttpResponseStatus.BAD_REQUEST, "The body is not well-formed JSON (" + problem
                + "); nothing was accepted. With 'Content-Type: application/json' send a JSON array of objects; "
                + "to have bad lines rejected one by one send JSON lines with 'Content-Type: application/x-ndjson'");
    }
}
