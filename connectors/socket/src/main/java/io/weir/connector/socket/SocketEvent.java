package io.weir.connector.socket;

import static java.util.Objects.requireNonNull;

/**
 * What the socket threads hand to the polling thread, in order: a connection opened, a record, a
 * record too long to decode, a connection closed. Split bookkeeping and decoding happen on the
 * polling thread, so that the reader's state is touched by one thread only.
 *
 * @param text the split name (OPENED), the record (RECORD) or its start (OVERSIZED); empty for CLOSED
 * @param source where the record came from, for error messages; empty unless RECORD or OVERSIZED
 * @param problem why an OVERSIZED record is not decoded; empty otherwise
 */
record SocketEvent(Type type, int split, String text, String source, String problem) {
    enum Type { OPENED, RECORD, OVERSIZED, CLOSED }

    SocketEvent {
        requireNonNull(type, "type is null");
        requireNonNull(text, "text is null");
        requireNonNull(source, "source is null");
        requireNonNull(problem, "problem is null");
    }

    static SocketEvent opened(int split, String name) {
        return new SocketEvent(Type.OPENED, split, name, "", "");
    }

    static SocketEvent record(int split, String text, String source) {
        return new SocketEvent(Type.RECORD, split, text, source, "");
    }

    static SocketEvent oversized(int split, String start, String source, String problem) {
        return new SocketEvent(Type.OVERSIZED, split, start, source, problem);
    }

    static SocketEvent closed(int split) {
        return new SocketEvent(Type.CLOSED, split, "", "", "");
    }
}
