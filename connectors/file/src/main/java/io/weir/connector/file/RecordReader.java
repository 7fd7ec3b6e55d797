package io.weir.connector.file;

import io.weir.spi.format.LineFramer;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * Reads the records of one file from a position: lines ({@link LineInput}), grouped by the format's
 * {@link LineFramer} when a record spans lines (joined with \n). Positions are those of the file's
 * {@link LineInput}: byte positions for most charsets (in the decompressed content of a {@code .gz}
 * file), line counts for UTF-16 and UTF-32. A byte-order mark at the start of the file is dropped.
 */
final class RecordReader implements Closeable {
    private static final int BUFFER_SIZE = 64 * 1024;

    private final LineInput lines;
    private final LineFramer framer;
    private final long start;
    private final boolean byteOffsets;
    private final boolean shorterThanStart;
    private final StringBuilder pending = new StringBuilder();
    private long linesRead;
    private long recordLine;
    private long recordStart;
    private final boolean bytesRecords;
    private int bytesStart;
    private int bytesEnd;

    private RecordReader(LineInput lines, LineFramer framer, long start, boolean byteOffsets, boolean shorterThanStart,
                         boolean utf8) {
        this.lines = lines;
        this.bytesRecords = utf8 && lines instanceof ByteLineInput && framer instanceof LineFramer.SingleLine;
        this.framer = framer;
        this.start = start;
        this.byteOffsets = byteOffsets;
        this.shorterThanStart = shorterThanStart;
        this.recordStart = start;
        framer.reset();
    }

    /** Opens {@code file} at {@code start}, a position of an earlier reader of it (0: the beginning). */
    static RecordReader open(Path file, Charset charset, LineFramer framer, long start) throws IOException {
        InputStream in = Files.newInputStream(file);
        try {
            if (file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".gz")) {
                in = new GZIPInputStream(in, BUFFER_SIZE);
            }
            if (ByteLineInput.suits(charset)) {
                boolean shorter = false;
                try {
                    in.skipNBytes(start); // a seek for a plain file
                } catch (EOFException e) {
                    shorter = true;
                }
                return new RecordReader(new ByteLineInput(in, charset, start), framer, start, true, shorter,
                        charset.equals(StandardCharsets.UTF_8));
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, charset), BUFFER_SIZE);
            long skipped = 0;
            while (skipped < start && reader.readLine() != null) {
                skipped++;
            }
            return new RecordReader(new CountedLineInput(reader, skipped), framer, start, false, skipped < start, false);
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    /** The next record, or null at the end of the file. */
    String next() throws IOException {
        recordStart = lines.position();
        String line = lines.readLine();
        if (line == null) {
            return null;
        }
        linesRead++;
        if (recordStart == 0 && !line.isEmpty() && line.charAt(0) == '\uFEFF') {
            line = line.substring(1);
        }
        recordLine = linesRead;
        if (framer.endsRecord(line)) {
            return line;
        }
        pending.setLength(0);
        pending.append(line);
        while ((line = lines.readLine()) != null) {
            linesRead++;
            pending.append('\n').append(line);
            if (framer.endsRecord(line)) {
                break;
            }
        }
        // At the end of the file an unfinished record is returned as is: the decoder reports it.
        String record = pending.toString();
        pending.setLength(0);
        framer.reset();
        return record;
    }

    /**
     * Whether records can be read as bytes ({@link #nextBytes()}): one record per line, in UTF-8 (the
     * charset the format decoders read bytes in).
     */
    boolean readsBytes() {
        return bytesRecords;
    }

    /**
     * Reads the next record as UTF-8 bytes into {@link #bytes()}, {@code [bytesStart(), bytesEnd())},
     * valid until the next call; only when {@link #readsBytes()}.
     *
     * @return false at the end of the file
     */
    boolean nextBytes() throws IOException {
        ByteLineInput input = (ByteLineInput) lines;
        input.shrink();
        recordStart = lines.position();
        if (!input.nextLine()) {
            return false;
        }
        linesRead++;
        recordLine = linesRead;
        byte[] line = input.lineBytes();
        bytesStart = input.lineStart();
        bytesEnd = bytesStart + input.lineLength();
        if (recordStart == 0 && bytesEnd - bytesStart >= 3 && (line[bytesStart] & 0xff) == 0xEF
                && (line[bytesStart + 1] & 0xff) == 0xBB && (line[bytesStart + 2] & 0xff) == 0xBF) {
            bytesStart += 3; // the byte-order mark
        }
        return true;
    }

    byte[] bytes() {
        return ((ByteLineInput) lines).lineBytes();
    }

    int bytesStart() {
        return bytesStart;
    }

    int bytesEnd() {
        return bytesEnd;
    }

    /** The position of the last record {@link #next()} returned (where it starts). */
    long recordStart() {
        return recordStart;
    }

    /** The position after the last record returned, or of the end once {@link #next()} returned null. */
    long position() {
        return lines.position();
    }

    /** Whether the file ended before the start position: it was replaced or cut since an earlier reader read it. */
    boolean shorterThanStart() {
        return shorterThanStart;
    }

    /** Where the last record is, for messages: {@code line 17}, or {@code byte 5120} in a file read from the middle. */
    String recordLocation() {
        if (start == 0) {
            return "line " + recordLine;
        }
        return byteOffsets ? "byte " + recordStart : "line " + (start + recordLine);
    }

    @Override
    public void close() throws IOException {
        lines.close();
    }
}
