package io.weir.connector.file;

import io.weir.spi.format.LineFramer;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * Reads the records of one file: lines (any of \n, \r\n, \r ends one), grouped by the format's
 * {@link LineFramer} when a record spans lines (joined with \n), tracking the line each record
 * starts on. Files ending in {@code .gz} are decompressed; a byte-order mark at the start is dropped.
 */
final class RecordReader implements Closeable {
    private static final int BUFFER_SIZE = 64 * 1024;

    private final BufferedReader reader;
    private final LineFramer framer;
    private final StringBuilder pending = new StringBuilder();
    private long lineNumber;
    private long recordLine;

    RecordReader(Path file, Charset charset, LineFramer framer) throws IOException {
        this.framer = framer;
        framer.reset();
        InputStream in = Files.newInputStream(file);
        try {
            if (file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".gz")) {
                in = new GZIPInputStream(in, BUFFER_SIZE);
            }
        } catch (IOException e) {
            in.close();
            throw e;
        }
        this.reader = new BufferedReader(new InputStreamReader(in, charset), BUFFER_SIZE);
    }

    /** The next record, or null at the end of the file. */
    String next() throws IOException {
        String line = reader.readLine();
        if (line == null) {
            return null;
        }
        lineNumber++;
        if (lineNumber == 1 && !line.isEmpty() && line.charAt(0) == '\uFEFF') {
            line = line.substring(1);
        }
        recordLine = lineNumber;
        if (framer.endsRecord(line)) {
            return line;
        }
        pending.setLength(0);
        pending.append(line);
        while ((line = reader.readLine()) != null) {
            lineNumber++;
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

    /** The line the last record returned by {@link #next()} starts on (1-based). */
    long recordLine() {
        return recordLine;
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
