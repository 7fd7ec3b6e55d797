package io.weir.connector.flume;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * A Flume event as kept in the stream's write-ahead log: its headers and body, or for an event whose
 * body exceeded {@code 'max-event-bytes'} its headers, the start of the body and the body's size
 * (handled by {@code 'on-error'} when read).
 *
 * @param headers   the event's headers, in the order received
 * @param body      the body, or its start when oversized
 * @param bodyBytes the body's full size
 */
record LoggedEvent(Map<String, String> headers, byte[] body, int bodyBytes) {
    /** The first byte of every record: the layout's version (never reuse). */
    private static final byte VERSION = 1;
    /** Of an oversized body, this much is kept for its dead letter. */
    static final int KEPT_OF_OVERSIZED = 1024;

    LoggedEvent {
        headers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(headers, "headers is null")));
        requireNonNull(body, "body is null");
    }

    /** The event to log for a received one: whole, or cut to {@link #KEPT_OF_OVERSIZED} when its body exceeds {@code maxEventBytes}. */
    static LoggedEvent of(Map<String, String> headers, byte[] body, int maxEventBytes) {
        if (body.length <= maxEventBytes) {
            return new LoggedEvent(headers, body, body.length);
        }
        return new LoggedEvent(headers, java.util.Arrays.copyOf(body, Math.min(body.length, KEPT_OF_OVERSIZED)), body.length);
    }

    boolean oversized() {
        return body.length < bodyBytes;
    }

    /** Version byte, header count, each name and value (int length, UTF-8), body size, kept body (int length, bytes). */
    byte[] encode() {
        List<byte[]> texts = new ArrayList<>(headers.size() * 2);
        int size = 1 + 4 + 4 + 4 + body.length;
        for (Map.Entry<String, String> header : headers.entrySet()) {
            byte[] name = header.getKey().getBytes(StandardCharsets.UTF_8);
            byte[] value = header.getValue().getBytes(StandardCharsets.UTF_8);
            texts.add(name);
            texts.add(value);
            size += 8 + name.length + value.length;
        }
        ByteBuffer buffer = ByteBuffer.allocate(size);
        buffer.put(VERSION).putInt(headers.size());
        for (byte[] text : texts) {
            buffer.putInt(text.length).put(text);
        }
        buffer.putInt(bodyBytes).putInt(body.length).put(body);
        return buffer.array();
    }

    /**
     * The event {@link #encode()} wrote.
     *
     * @param where the log and offset, for the message when the bytes are no event
     */
    static LoggedEvent decode(byte[] bytes, String where) {
        try {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            byte version = buffer.get();
            if (version != VERSION) {
                throw new IllegalArgumentException("layout version " + version);
            }
            int count = length(buffer);
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 0; i < count; i++) {
                String name = new String(bytes(buffer), StandardCharsets.UTF_8);
                headers.put(name, new String(bytes(buffer), StandardCharsets.UTF_8));
            }
            int bodyBytes = buffer.getInt();
            byte[] body = bytes(buffer);
            if (buffer.hasRemaining()) {
                throw new IllegalArgumentException(buffer.remaining() + " bytes after the event");
            }
            return new LoggedEvent(headers, body, bodyBytes);
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            throw new WeirException(ErrorCode.SOURCE_ERROR, where + " holds no Flume event of this server version ("
                    + (e.getMessage() == null ? "it is cut short" : e.getMessage()) + "); was the log written by another "
                    + "connector? Drop and re-create the stream to start a new log", e);
        }
    }

    private static int length(ByteBuffer buffer) {
        int length = buffer.getInt();
        if (length < 0 || length > buffer.remaining()) {
            throw new IllegalArgumentException("a length of " + length);
        }
        return length;
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[length(buffer)];
        buffer.get(bytes);
        return bytes;
    }
}
