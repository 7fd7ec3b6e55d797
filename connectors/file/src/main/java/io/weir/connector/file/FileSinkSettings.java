package io.weir.connector.file;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.connector.ConnectorContext;
import io.weir.spi.connector.FileRoots;
import io.weir.spi.connector.DeliveryGuarantee;
import io.weir.spi.connector.SinkOptions;
import io.weir.spi.option.OptionValues;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * The file sink's options, checked and parsed.
 *
 * @param directory the directory part files are written to (created when the first file is)
 * @param maxFileSize a file is completed once it holds at least this many bytes
 * @param rolloverInterval a file is completed once it has been open this long
 * @param extension the visible files' extension without the dot: {@code jsonl} or the format's name
 * @param guarantee {@code 'delivery.guarantee'}: whether part files become visible when complete or when
 *                  the query's checkpoint that covers them commits
 */
record FileSinkSettings(Path directory, long maxFileSize, Duration rolloverInterval, String extension,
                        DeliveryGuarantee guarantee) {
    private static final Pattern SIZE = Pattern.compile("\\s*(\\d+)\\s*([kmg]?i?b?|bytes?)\\s*", Pattern.CASE_INSENSITIVE);

    FileSinkSettings {
        requireNonNull(directory, "directory is null");
        requireNonNull(rolloverInterval, "rolloverInterval is null");
        requireNonNull(extension, "extension is null");
        requireNonNull(guarantee, "guarantee is null");
    }

    static FileSinkSettings of(ConnectorContext context) {
        OptionValues options = context.options();
        Path directory = FileSettings.path(context, context.services().find(FileRoots.class));
        if (Files.isRegularFile(directory)) {
            throw new WeirException(ErrorCode.VALIDATION_ERROR, context.describe() + ": a file sink writes part files into the "
                    + "directory named by 'path', but '" + directory + "' is a regular file; point 'path' at a directory "
                    + "(it is created if missing)");
        }
        String format = context.requireFormat().name();
        return new FileSinkSettings(directory, fileSize(options), rolloverInterval(options),
                format.equals("json") ? "jsonl" : format,
                SinkOptions.deliveryGuarantee(options, FileConnectorFactory.SINK_DELIVERY_GUARANTEE));
    }

    /** Checks the rolling options, which CREATE STREAM validates whether or not the stream becomes a sink. */
    static void checkRollingOptions(OptionValues options) {
        fileSize(options);
        rolloverInterval(options);
    }

    private static long fileSize(OptionValues options) {
        String sizeText = options.string(FileConnectorFactory.SINK_ROLLING_FILE_SIZE);
        long size = parseSize(sizeText);
        if (size <= 0) {
            throw invalid(FileConnectorFactory.SINK_ROLLING_FILE_SIZE.key(), sizeText,
                    "expected a positive size such as '128 MB', '512 KB' or '1000000' (bytes)");
        }
        return size;
    }

    private static Duration rolloverInterval(OptionValues options) {
        Duration interval = options.duration(FileConnectorFactory.SINK_ROLLOVER_INTERVAL);
        if (interval.isZero() || interval.isNegative()) {
            throw invalid(FileConnectorFactory.SINK_ROLLOVER_INTERVAL.key(),
                    options.raw().get(FileConnectorFactory.SINK_ROLLOVER_INTERVAL.key()), "must be positive");
        }
        return interval;
    }

    /** Bytes from {@code 128 MB}, {@code 64kb}, {@code 1 GiB} or a bare number of bytes (units are powers of 1024); -1 if malformed. */
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
            return -1; // more digits than a long holds
        }
    }

    private static WeirException invalid(String key, String value, String problem) {
        return new WeirException(ErrorCode.INVALID_OPTION_VALUE, "Invalid value '" + value + "' for option '" + key + "': " + problem);
    }
}
