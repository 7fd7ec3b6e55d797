package io.weir.connector.file;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
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
    /** Where the current line is: {@link #line}, or the read buffer when the line lies in it whole. */
    private byte[] lineArray = line;
    private int lineStart;
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
        lineArray = line;
        lineStart = 0;
        if (next == limit && !fill()) {
            return false;
        }
        int end = lineEnd(next);
        if (end < limit && buffer[end] == '\n') {
            // the whole line is in the buffer: hand it out where it is, without copying it
            lineArray = buffer;
            lineStart = next;
            lineLength = end - next;
            position += lineLength + 1;
            next = end + 1;
            return true;
        }
        while (true) {
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
                lineArray = line; // appendToLine may have grown it
                return true;
            }
            next = limit;
            if (!fill()) {
                lineArray = line;
                return true; // the last line has no terminator
            }
            end = lineEnd(next);
        }
    }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;
    private static final long BELOW = ONES * 0x0E;

    /**
     * The position of the first '\n' or '\r' in the buffer at or after {@code from}, or {@code limit}: eight
     * bytes at a time, since finding line ends is a good part of reading a file of short records.
     */
    private int lineEnd(int from) {
        int p = from;
        while (p + 8 <= limit) {
            long word = (long) LONGS.get(buffer, p);
            // one test for all bytes below 0x0E ('\r' is 0x0D, '\n' 0x0A): in text lines nearly always a line end
            long low = (word - BELOW) & ~word & HIGH_BITS;
            if (low != 0) {
                int at = p + (Long.numberOfTrailingZeros(low) >>> 3);
                if (buffer[at] == '\n' || buffer[at] == '\r') {
                    return at;
                }
                p = at + 1; // another control character, such as a tab
                continue;
            }
            p += 8;
        }
        while (p < limit && buffer[p] != '\n' && buffer[p] != '\r') {
            p++;
        }
        return p;
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
        String text = new String(lineArray, lineStart, lineLength, charset);
        shrink();
        return text;
    }

    /**
     * The bytes of the line {@link #nextLine()} read, {@link #lineLength()} of them from {@link #lineStart()};
     * valid until the next call (it may be the read buffer itself).
     */
    byte[] lineBytes() {
        return lineArray;
    }

    int lineStart() {
        return lineStart;
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
