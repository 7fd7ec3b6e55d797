package io.weir.spi.format;

import java.io.IOException;
import java.nio.file.Path;

import static java.util.Objects.requireNonNull;

/**
 * A file that is not of its format, or whose data is damaged (a truncated footer, a page that does not
 * decompress). The file source hands it to the stream's {@code 'on-error'} policy like a record that does
 * not decode: it fails the query, or the rest of the file is skipped (and dead-lettered).
 */
public final class DamagedFileException extends IOException {
    private final Path file;
    private final String reason;

    /** @param reason what is wrong, for the user, e.g. {@code not a readable Parquet file (...)} */
    public DamagedFileException(Path file, String reason, Throwable cause) {
        super("file '" + file + "' is " + reason, cause);
        this.file = requireNonNull(file, "file is null");
        this.reason = requireNonNull(reason, "reason is null");
    }

    public Path file() {
        return file;
    }

    /** What is wrong with the file, without its name. */
    public String reason() {
        return reason;
    }
}
