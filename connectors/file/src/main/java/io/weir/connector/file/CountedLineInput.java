package io.weir.connector.file;

import java.io.BufferedReader;
import java.io.IOException;

import static java.util.Objects.requireNonNull;

/**
 * Lines of a charset whose line ends are not single bytes (UTF-16, UTF-32): the position is the
 * number of lines read, and resuming reads past that many lines again.
 */
final class CountedLineInput implements LineInput {
    private final BufferedReader reader;
    private long position;

    /** Reads {@code reader} from line {@code position} (0-based), which the caller has skipped to. */
    CountedLineInput(BufferedReader reader, long position) {
        this.reader = requireNonNull(reader, "reader is null");
        this.position = position;
    }

    @Override
    public String readLine() throws IOException {
        String line = reader.readLine();
        if (line != null) {
            position++;
        }
        return line;
    }

    @Override
    public long position() {
        return position;
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
