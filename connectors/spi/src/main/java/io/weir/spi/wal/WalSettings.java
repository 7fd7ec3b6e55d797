package io.weir.spi.wal;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.option.ConfigOption;
import io.weir.spi.option.OptionValues;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * A write-ahead log's settings, from {@link WalOptions}.
 *
 * @param sync         when appends are forced to disk
 * @param syncInterval the least time between two fsyncs under {@link WalSync#INTERVAL}; zero under {@code ALWAYS}
 * @param retention    how long consumed records, and the positions of consumers not seen, are kept
 * @param maxBytes     the size at which appends are refused
 * @param segmentBytes the size at which the log starts a new segment file
 */
public record WalSettings(WalSync sync, Duration syncInterval, Duration retention, long maxBytes, long segmentBytes) {
    /** The group-commit window of {@link WalSync#INTERVAL}. */
    public static final Duration SYNC_INTERVAL = Duration.ofMillis(10);
    /** Below this a segment would hold too few records to be worth a file. */
    private static final long MIN_SEGMENT_BYTES = 4096;
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([kmgt]i?b?|b)?");

    public WalSettings {
        requireNonNull(sync, "sync is null");
        requireNonNull(syncInterval, "syncInterval is null");
        requireNonNull(retention, "retention is null");
        if (segmentBytes < MIN_SEGMENT_BYTES || maxBytes < segmentBytes) {
            throw new IllegalArgumentException("segmentBytes " + segmentBytes + " must be at least " + MIN_SEGMENT_BYTES
                    + " and at most maxBytes " + maxBytes);
        }
    }

    public static WalSettings of(WalSync sync, Duration retention, long maxBytes, long segmentBytes) {
        return new WalSettings(sync, sync == WalSync.ALWAYS ? Duration.ZERO : SYNC_INTERVAL, retention, maxBytes, segmentBytes);
    }

    /** Whether {@code 'wal'} is on. */
    public static boolean enabled(OptionValues options) {
        return options.bool(WalOptions.ENABLED);
    }

    /** @param owner {@code Stream 'readings'}, for messages */
    public static WalSettings of(String owner, OptionValues options) {
        WalSync sync = WalSync.fromOptionValue(options.string(WalOptions.SYNC));
        Duration retention = options.duration(WalOptions.RETENTION);
        if (retention.isNegative()) {
            throw invalid(owner, WalOptions.RETENTION, "must not be negative, e.g. '1 h'");
        }
        long maxBytes = bytes(owner, options, WalOptions.MAX_BYTES);
        long segmentBytes = bytes(owner, options, WalOptions.SEGMENT_BYTES);
        if (segmentBytes < MIN_SEGMENT_BYTES) {
            throw invalid(owner, WalOptions.SEGMENT_BYTES, "must be at least " + MIN_SEGMENT_BYTES + " bytes, e.g. '64 MiB'");
        }
        if (maxBytes < segmentBytes) {
            throw invalid(owner, WalOptions.MAX_BYTES, "must be at least 'wal.segment-bytes' (" + segmentBytes
                    + " bytes); raise it or lower 'wal.segment-bytes'");
        }
        return of(sync, retention, maxBytes, segmentBytes);
    }

    /** {@code 1048576}, {@code 512 KiB}, {@code 64 MiB}, {@code 1 GiB} (units are powers of 1024, {@code MB} too). */
    static long parseBytes(String text) {
        Matcher matcher = SIZE.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!matcher.matches()) {
            throw new IllegalArgumentException("not a size: " + text);
        }
        String unit = matcher.group(2) == null ? "b" : matcher.group(2);
        int shift = switch (unit.charAt(0)) {
            case 'k' -> 10;
            case 'm' -> 20;
            case 'g' -> 30;
            case 't' -> 40;
            default -> 0;
        };
        long value = Long.parseLong(matcher.group(1));
        if (value > (Long.MAX_VALUE >> shift)) {
            throw new IllegalArgumentException("size too large: " + text);
        }
        return value << shift;
    }

    private static long bytes(String owner, OptionValues options, ConfigOption option) {
        try {
            return parseBytes(options.string(option));
        } catch (IllegalArgumentException e) {
            throw invalid(owner, option, "must be a size such as '1 GiB', '64 MiB' or a number of bytes");
        }
    }

    private static WeirException invalid(String owner, ConfigOption option, String problem) {
        return new WeirException(ErrorCode.INVALID_OPTION_VALUE, owner + ": option '" + option.key() + "' " + problem);
    }
}
