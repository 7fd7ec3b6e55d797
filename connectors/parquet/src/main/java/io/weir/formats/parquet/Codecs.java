package io.weir.formats.parquet;

import com.github.luben.zstd.Zstd;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.codec.CompressionCodecNotSupportedException;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.xerial.snappy.Snappy;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Page compression with snappy-java, zstd-jni and the JDK's gzip directly. parquet-hadoop's own codec factory goes
 * through Hadoop's codec classes, which Weir does not ship; Parquet's page codecs are plain block
 * formats (raw Snappy, a ZSTD frame, a gzip member), so the libraries' block functions read and write them.
 */
final class Codecs implements CompressionCodecFactory {
    static final Codecs INSTANCE = new Codecs();
    private static final int ZSTD_LEVEL = 3;

    private Codecs() {
    }

    @Override
    public BytesInputCompressor getCompressor(CompressionCodecName codec) {
        return switch (codec) {
            case UNCOMPRESSED -> compressor(codec, bytes -> bytes);
            case SNAPPY -> compressor(codec, Snappy::compress);
            case ZSTD -> compressor(codec, bytes -> Zstd.compress(bytes, ZSTD_LEVEL));
            case GZIP -> compressor(codec, Codecs::gzip);
            default -> throw new CompressionCodecNotSupportedException(codec.getParquetCompressionCodec().getClass());
        };
    }

    @Override
    public BytesInputDecompressor getDecompressor(CompressionCodecName codec) {
        return switch (codec) {
            case UNCOMPRESSED -> decompressor((bytes, size) -> bytes);
            case SNAPPY -> decompressor((bytes, size) -> {
                byte[] out = new byte[size];
                Snappy.uncompress(bytes, 0, bytes.length, out, 0);
                return out;
            });
            case ZSTD -> decompressor((bytes, size) -> {
                byte[] out = new byte[size];
                long written = Zstd.decompress(out, bytes);
                if (Zstd.isError(written)) {
                    throw new IOException("ZSTD page: " + Zstd.getErrorName(written));
                }
                return out;
            });
            case GZIP -> decompressor(Codecs::gunzip);
            default -> throw new UnsupportedOperationException("Parquet pages compressed with " + codec
                    + " cannot be read; Weir reads uncompressed, SNAPPY, ZSTD and GZIP pages");
        };
    }

    @Override
    public void release() {
    }

    private static byte[] gzip(byte[] bytes) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(bytes.length / 2 + 64);
        try (java.util.zip.GZIPOutputStream gzip = new java.util.zip.GZIPOutputStream(out)) {
            gzip.write(bytes);
        }
        return out.toByteArray();
    }

    private static byte[] gunzip(byte[] bytes, int uncompressedSize) throws IOException {
        try (java.util.zip.GZIPInputStream gzip = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(bytes))) {
            byte[] out = gzip.readNBytes(uncompressedSize);
            if (out.length != uncompressedSize) {
                throw new IOException("GZIP page: " + out.length + " bytes instead of " + uncompressedSize);
            }
            return out;
        }
    }

    private interface Compress {
        byte[] apply(byte[] bytes) throws IOException;
    }

    private interface Decompress {
        byte[] apply(byte[] bytes, int uncompressedSize) throws IOException;
    }

    private static BytesInputCompressor compressor(CompressionCodecName codec, Compress compress) {
        return new BytesInputCompressor() {
            @Override
            public BytesInput compress(BytesInput bytes) throws IOException {
                return BytesInput.from(compress.apply(bytes.toByteArray()));
            }

            @Override
            public CompressionCodecName getCodecName() {
                return codec;
            }

            @Override
            public void release() {
            }
        };
    }

    private static BytesInputDecompressor decompressor(Decompress decompress) {
        return new BytesInputDecompressor() {
            @Override
            public BytesInput decompress(BytesInput bytes, int uncompressedSize) throws IOException {
                return BytesInput.from(decompress.apply(bytes.toByteArray(), uncompressedSize));
            }

            @Override
            public void decompress(ByteBuffer input, int compressedSize, ByteBuffer output, int uncompressedSize) throws IOException {
                byte[] in = new byte[compressedSize];
                input.get(in);
                output.put(decompress.apply(in, uncompressedSize));
            }

            @Override
            public void release() {
            }
        };
    }
}
