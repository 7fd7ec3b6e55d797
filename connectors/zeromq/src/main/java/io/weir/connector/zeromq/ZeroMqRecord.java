package io.weir.connector.zeromq;

import static java.util.Objects.requireNonNull;

/**
 * One received message as handed from the socket thread to the polling thread.
 *
 * @param text the record: the message's last frame as UTF-8 text
 * @param source where it came from, for error messages and dead letters
 */
record ZeroMqRecord(String text, String source) {
    ZeroMqRecord {
        requireNonNull(text, "text is null");
        requireNonNull(source, "source is null");
    }
}
