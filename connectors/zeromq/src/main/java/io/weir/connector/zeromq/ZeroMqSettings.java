package io.weir.connector.zeromq;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.connector.ConnectorContext;
import io.weir.spi.option.ConfigOption;
import io.weir.spi.option.OptionValues;
import io.weir.spi.wal.WalSettings;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.weir.connector.zeromq.ZeroMqConnectorFactory.ENDPOINT;
import static io.weir.connector.zeromq.ZeroMqConnectorFactory.MODE;
import static io.weir.connector.zeromq.ZeroMqConnectorFactory.QUEUE_MAX_RECORDS;
import static io.weir.connector.zeromq.ZeroMqConnectorFactory.RECEIVE_HIGH_WATER_MARK;
import static io.weir.connector.zeromq.ZeroMqConnectorFactory.SUBSCRIBE;
import static java.util.Objects.requireNonNull;

/**
 * The ZeroMQ connector's options, checked and parsed.
 *
 * @param wal the write-ahead log's settings; empty with {@code 'wal' = 'false'} (each reader its own socket)
 */
record ZeroMqSettings(String endpoint, String subscribe, ZeroMqMode mode, int receiveHighWaterMark, int queueMaxRecords,
                      Optional<WalSettings> wal) {
    /** jeromq's 'ipc' is its own TCP emulation and 'inproc' only reaches sockets of the same context: TCP only. */
    private static final Pattern TCP_ENDPOINT = Pattern.compile("tcp://(.+):(\\*|[0-9]+)");

    ZeroMqSettings {
        requireNonNull(endpoint, "endpoint is null");
        requireNonNull(subscribe, "subscribe is null");
        requireNonNull(mode, "mode is null");
    }

    static ZeroMqSettings of(ConnectorContext context) {
        OptionValues options = context.options();
        ZeroMqMode mode = ZeroMqMode.fromOptionValue(options.string(MODE));
        String endpoint = options.string(ENDPOINT).trim();
        Matcher matcher = TCP_ENDPOINT.matcher(endpoint);
        if (!matcher.matches()) {
            throw invalid(options, ENDPOINT, "expected 'tcp://host:port', e.g. 'tcp://127.0.0.1:5556'");
        }
        String host = matcher.group(1);
        String port = matcher.group(2);
        if (mode == ZeroMqMode.CONNECT && (host.equals("*") || port.equals("*"))) {
            throw invalid(options, ENDPOINT, "'*' is for binding; name the publisher's host and port, "
                    + "or set 'mode' = 'bind'");
        }
        if (!port.equals("*")) {
            long number = port.length() > 5 ? Long.MAX_VALUE : Long.parseLong(port);
            if (number < 1 || number > 65535) {
                throw invalid(options, ENDPOINT, "the port must be between 1 and 65535");
            }
        }
        return new ZeroMqSettings(endpoint, options.string(SUBSCRIBE), mode,
                atLeastOne(options, RECEIVE_HIGH_WATER_MARK), atLeastOne(options, QUEUE_MAX_RECORDS),
                WalSettings.enabled(options) ? Optional.of(WalSettings.of(context.describe(), options)) : Optional.empty());
    }

    private static int atLeastOne(OptionValues options, ConfigOption option) {
        int value = options.integer(option);
        if (value < 1) {
            throw invalid(options, option, "must be at least 1");
        }
        return value;
    }

    private static WeirException invalid(OptionValues options, ConfigOption option, String problem) {
        String value = options.raw().getOrDefault(option.key(), option.defaultValueText().orElse(""));
        return new WeirException(ErrorCode.INVALID_OPTION_VALUE, "Invalid value '" + value + "' for option '"
                + option.key() + "': " + problem);
    }
}
