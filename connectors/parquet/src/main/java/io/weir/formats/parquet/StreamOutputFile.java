package io.weir.formats.parquet;

import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;

import java.io.IOException;
import java.io.OutputStream;

import static java.util.Objects.requireNonNull;

/**
 * A Parquet {@link OutputFile} over a stream the caller opened and closes: the file sink creates,
 * forces and renames its part files itself, so Parquet must neither open nor close them.
 */
final class StreamOutputFile implements OutputFile {
    private final OutputStream out;
    private final String description;

    StreamOutputFile(OutputStream out, String description) {
        this.out = requireNonNull(out, "out is null");
        this.description = requireNonNull(description, "description is null");
    }

    @Override
    public PositionOutputStream create(long blockSizeHint) {
        return new PositionOutputStream() {
            private long position;

            @Override
            public long getPos() {
                return position;
            }

            @Override
            public void write(int b) throws IOException {
                out.write(b);
                position++;
            }

            @Override
            public void write(byte[] bytes, int offset, int length) throws IOException {
                out.write(bytes, offset, length);
                position += length;
            }

            @Override
            public void flush() throws IOException {
                out.flush();
            }

            /** Flushes only: the caller closes the stream after forcing it to disk. */
            @Override
            public void close() throws IOException {
                out.flush();
            }
        };
    }

    @Override
    public PositionOutputStream createOrOverwrite(long blockSizeHint) {
        return create(blockSizeHint);
    }

    @Override
    public boolean supportsBlockSize() {
        return false;
    }

    @Override
    public long defaultBlockSize() {
        return 0;
    }

    @Override
    public String getPath() {
        return description;
    }
}
