package io.weir.connector.file;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.util.Arrays;

import static java.util.Objects.requireNonNull;

/**
 * Lines split on the bytes '\n' and '\r' and then decoded, so that the position is a byte position
 * (in the decompressed content of a .gz file). Only for charsets in which those bytes always stand for
 * the line ends ({@link #suits(Charset)}: UTF-8, ISO-8859-*, windows-125*, ...).
 */
final class ByteLineInput implements LineInput {
    private static final int BUFFER_SIZE = 64 * 1024;

    private final InputStream in;
    private final Charset charset;
    private final byte[] buffer = new byte[BUFFER_SIZE];
    private int next;
    private int limit;
    private byte[] line = new byte[256];
    private int lineLength;
    private long position;

    /** Reads {@code in} from {@code position}, which the caller has skipped to. */
    ByteLineInput(InputStream in, Charset charset, long position) {
        this.in = requireNonNull(in, "in is null");
        this.charset = requireNonNull(charset, "charset is null");
        this.position = position;
    }

    /** Whether the line ends of {@code charset} are the single bytes '\n' and '\r', as in ASCII. */
    static boolean suits(Charset charset) {
        return charset.canEncode()
                && Arrays.equals("\n".getBytes(charset), new byte[]{'\n'})
                && Arrays.equals("\r".getBytes(charset), new byte[]{'\r'})
                && Arrays.equals("A".getBytes(charset), new byte[]{'A'});
    }

    @Override
    public String readLine() throws IOException {
        return nextLine() ? decodeLine() : null;
    }

    /**
     * Reads the next line into {@link #lineBytes()} without decoding it (for a decoder that takes bytes).
     *
     * @return false at the end of the file
     */
    boolean nextLine() throws IOException {
        lineLength = 0;
        if (next == limit && !fill()) {
            return false;
        }
        while (true) {
            int end = next;
            while (end < limit && buffer[end] != '\n' && buffer[end] != '\r') {
                end++;
            }
            appendToLine(next, end);
            position += end - next;
            if (end < limit) {
                byte terminator = buffer[end];
                next = end + 1;
                position++;
                if (terminator == '\r' && (next < limit || fill()) && buffer[next] == '\n') {
                    next++;
                    position++;
                }
                return true;
            }
            next = limit;
            if (!fill()) {
                return true; // the last line has no terminator
            }
        }
    }

    private boolean fill() throws IOException {
        next = 0;
        limit = 0;
        int read;
        while ((read = in.read(buffer)) == 0) {
            // an InputStream may return 0 for a non-empty buffer only in theory; read again
        }
        if (read < 0) {
            return false;
        }
        limit = read;
        return true;
    }

    private void appendToLine(int from, int to) {
        int length = to - from;
        if (lineLength + length > line.length) {
            line = Arrays.copyOf(line, Math.max(line.length * 2, lineLength + length));
        }
        System.arraycopy(buffer, from, line, lineLength, length);
        lineLength += length;
    }

    private String decodeLine() {
        String text = new String(line, 0, lineLength, charset);
        shrink();
        return text;
    }

    /** The bytes of the line {@link #nextLine()} read, in {@code [0, lineLength())}; valid until the next call. */
    byte[] lineBytes() {
        return line;
    }

    int lineLength() {
        return lineLength;
    }

    /** After a line was used: do not keep the memory of one huge line. */
    void shrink() {
        if (line.length > BUFFER_SIZE) {
            line = new byte[256];
        }
    }

    @Override
    public long position() {
        return position;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
