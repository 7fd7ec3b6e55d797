package io.weir.formats.parquet;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.option.OptionValues;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parquet format's options, checked.
 *
 * @param rowGroupSize bytes of (uncompressed, buffered) rows after which a row group is written
 * @param compression the page compression codec
 */
record ParquetSettings(long rowGroupSize, CompressionCodecName compression) {
    private static final Pattern SIZE = Pattern.compile("\\s*(\\d+)\\s*([kmg]?i?b?|bytes?)\\s*", Pattern.CASE_INSENSITIVE);

    static ParquetSettings of(OptionValues options) {
        String sizeText = options.string(ParquetFormatFactory.ROW_GROUP_SIZE);
        long rowGroupSize = parseSize(sizeText);
        if (rowGroupSize < 1024) {
            throw new WeirException(ErrorCode.INVALID_OPTION_VALUE, "Invalid value '" + sizeText + "' for option '"
                    + ParquetFormatFactory.ROW_GROUP_SIZE.key() + "': expected a size of at least 1 KB such as '128 MB', '512 KB' "
                    + "or a number of bytes");
        }
        String codec = options.string(ParquetFormatFactory.COMPRESSION).trim().toLowerCase(Locale.ROOT);
        CompressionCodecName compression = switch (codec) {
            case "snappy" -> CompressionCodecName.SNAPPY;
            case "zstd" -> CompressionCodecName.ZSTD;
            case "gzip" -> CompressionCodecName.GZIP;
            case "none", "uncompressed" -> CompressionCodecName.UNCOMPRESSED;
            default -> throw new WeirException(ErrorCode.INVALID_OPTION_VALUE, "Invalid value '" + codec + "' for option '"
                    + ParquetFormatFactory.COMPRESSION.key() + "': expected 'snappy', 'zstd', 'gzip' or 'none'");
        };
        return new ParquetSettings(rowGroupSize, compression);
    }

    /** Bytes from {@code 128 MB}, {@code 64kb} or a bare number of bytes (units are powers of 1024); -1 if malformed. */
    static long parseSize(String text) {
        Matcher matcher = SIZE.matcher(text);
        if (!matcher.matches()) {
            return -1;
        }
        String unit = matcher.group(2).toLowerCase(Locale.ROOT);
        int shift = unit.isEmpty() ? 0 : switch (unit.charAt(0)) {
            case 'k' -> 10;
            case 'm' -> 20;
            case 'g' -> 30;
            default -> 0;
        };
        try {
            long amount = Long.parseLong(matcher.group(1));
            return amount > (Long.MAX_VALUE >> shift) ? -1 : amount << shift;
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
