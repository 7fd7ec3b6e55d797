package io.weir.connector.socket;

import java.io.IOException;
import java.io.Reader;

import static java.util.Objects.requireNonNull;

/**
 * Splits a character stream into lines ending in \n, \r\n or \r, like {@link java.io.BufferedReader#readLine()},
 * but keeps at most {@code maxLength} characters of a line, so that a peer sending endless data
 * without a line break cannot exhaust memory. Not thread-safe.
 */
final class LineReader {
    private static final int BUFFER_SIZE = 8192;

    private final Reader in;
    private final int maxLength;
    private final char[] buffer = new char[BUFFER_SIZE];
    private final StringBuilder line = new StringBuilder();
    private int position;
    private int limit;
    private boolean skipLineFeed;
    private boolean endOfStream;
    private long lastLength;

    LineReader(Reader in, int maxLength) {
        this.in = requireNonNull(in, "in is null");
        if (maxLength < 1) {
            throw new IllegalArgumentException("maxLength must be positive: " + maxLength);
        }
        this.maxLength = maxLength;
    }

    /**
     * The next line without its terminator (a last line without one included), cut to
     * {@code maxLength} characters; null at the end of the stream. Blocks until a line is complete.
     */
    String readLine() throws IOException {
        if (endOfStream) {
            return null;
        }
        line.setLength(0);
        lastLength = 0;
        boolean any = false;
        while (true) {
            if (position == limit) {
                int read = in.read(buffer, 0, buffer.length);
                if (read < 0) {
                    endOfStream = true;
                    return any ? line.toString() : null;
                }
                position = 0;
                limit = read;
            }
            if (skipLineFeed) {
                skipLineFeed = false;
                if (buffer[position] == '\n') {
                    position++;
                    continue;
                }
            }
            int start = position;
            while (position < limit) {
                char c = buffer[position];
                if (c == '\n' || c == '\r') {
                    append(start, position);
                    position++;
                    skipLineFeed = c == '\r';
                    return line.toString();
                }
                position++;
            }
            append(start, position);
            any = true;
        }
    }

    /** The full length of the last line returned, including characters cut off. */
    long lastLength() {
        return lastLength;
    }

    /** Whether the last line returned was longer than {@code maxLength} and was cut. */
    boolean lastLineCut() {
        return lastLength > maxLength;
    }

    private void append(int start, int end) {
        int count = end - start;
        lastLength += count;
        int room = maxLength - line.length();
        line.append(buffer, start, Math.min(count, Math.max(room, 0)));
    }
}
