package io.weir.spi.connector.ingest;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.connector.ConnectorContext;
import io.weir.spi.option.OptionValues;
import io.weir.spi.wal.WalSettings;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import static io.weir.spi.connector.ingest.HttpIngestConnectorFactory.BUFFER_MAX_RECORDS;
import static io.weir.spi.connector.ingest.HttpIngestConnectorFactory.STARTUP_MODE;
import static java.util.Objects.requireNonNull;

/**
 * The {@code http} connector's options, checked and parsed.
 *
 * @param bufferMaxRecords records kept per stream for readers
 * @param startupMode      where a new reader starts
 * @param format           the format name, {@code json} or {@code csv}
 * @param wal              the write-ahead log's settings; empty with {@code 'wal' = 'false'} (records in memory)
 */
public record IngestSettings(int bufferMaxRecords, StartupMode startupMode, String format, Optional<WalSettings> wal) {
    /** The line-oriented formats the server can split a request body for. */
    private static final String JSON = "json";
    private static final String CSV = "csv";

    public IngestSettings {
        requireNonNull(startupMode, "startupMode is null");
        requireNonNull(format, "format is null");
        requireNonNull(wal, "wal is null");
    }

    public static IngestSettings of(ConnectorContext context) {
        return of(context.describe(), context.options(), context.requireFormat().name());
    }

    /**
     * @param owner  {@code Stream 'readings'}, for messages
     * @param format the resolved format's name
     */
    public static IngestSettings of(String owner, OptionValues options, String format) {
        int bufferMaxRecords = options.integer(BUFFER_MAX_RECORDS);
        if (bufferMaxRecords < 1) {
            throw new WeirException(ErrorCode.INVALID_OPTION_VALUE, owner + ": option '" + BUFFER_MAX_RECORDS.key()
                    + "' must be at least 1, e.g. '100000'");
        }
        String formatName = format.toLowerCase(Locale.ROOT);
        if (!formatName.equals(JSON) && !formatName.equals(CSV)) {
            throw new WeirException(ErrorCode.INVALID_OPTION_VALUE, owner + ": the http connector reads 'format' = 'json'"
                    + " (JSON objects) or 'csv' (CSV lines), not '" + format + "'");
        }
        // Each POST is decoded on its own, so a header line would have to open every request body.
        if (formatName.equals(CSV) && isTrue(options.raw(), "csv.header")) {
            throw new WeirException(ErrorCode.INVALID_OPTION_VALUE, owner + ": the http connector takes CSV lines without"
                    + " a header (columns by position); remove 'csv.header' = 'true'");
        }
        Optional<WalSettings> wal = WalSettings.enabled(options) ? Optional.of(WalSettings.of(owner, options)) : Optional.empty();
        return new IngestSettings(bufferMaxRecords, StartupMode.fromOptionValue(options.string(STARTUP_MODE)), formatName, wal);
    }

    public boolean isCsv() {
        return format.equals(CSV);
    }

    private static boolean isTrue(Map<String, String> raw, String key) {
        return raw.entrySet().stream()
                .anyMatch(entry -> entry.getKey().trim().equalsIgnoreCase(key) && entry.getValue().trim().equalsIgnoreCase("true"));
    }
}
