package io.weir.connector.socket;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.connector.ConnectorContext;
import io.weir.spi.option.ConfigOption;
import io.weir.spi.option.OptionValues;
import io.weir.spi.wal.WalSettings;

import java.nio.charset.Charset;
import java.time.Duration;
import java.util.Optional;

import static io.weir.connector.socket.SocketConnectorFactory.CHARSET;
import static io.weir.connector.socket.SocketConnectorFactory.CONNECT_TIMEOUT;
import static io.weir.connector.socket.SocketConnectorFactory.HOST;
import static io.weir.connector.socket.SocketConnectorFactory.MAX_CONNECTIONS;
import static io.weir.connector.socket.SocketConnectorFactory.MAX_LINE_LENGTH;
import static io.weir.connector.socket.SocketConnectorFactory.MODE;
import static io.weir.connector.socket.SocketConnectorFactory.PORT;
import static io.weir.connector.socket.SocketConnectorFactory.QUEUE_CAPACITY;
import static io.weir.connector.socket.SocketConnectorFactory.RECONNECT_INITIAL_DELAY;
import static io.weir.connector.socket.SocketConnectorFactory.RECONNECT_MAX_DELAY;

/**
 * The socket connector's options, checked and parsed.
 *
 * @param wal the write-ahead log's settings; empty with {@code 'wal' = 'false'} (each reader its own sockets)
 */
record SocketSettings(String host, int port, SocketMode mode, Charset charset, Duration reconnectInitialDelay,
                      Duration reconnectMaxDelay, Duration connectTimeout, int maxConnections, int maxLineLength,
                      int queueCapacity, Optional<WalSettings> wal) {

    static SocketSettings of(ConnectorContext context) {
        OptionValues options = context.options();
        SocketMode mode = SocketMode.fromOptionValue(options.string(MODE));
        String host = options.string(HOST).trim();
        if (host.isEmpty()) {
            throw invalid(options, HOST, "must not be empty; use '127.0.0.1' for this machine");
        }
        int port = options.integer(PORT);
        // Port 0 lets the system pick a free port when listening (the bound port is logged); a server is never on port 0.
        int lowest = mode == SocketMode.LISTEN ? 0 : 1;
        if (port < lowest || port > 65535) {
            throw invalid(options, PORT, "must be between " + lowest + " and 65535");
        }
        String charsetName = options.string(CHARSET);
        Charset charset;
        try {
            charset = Charset.forName(charsetName.trim());
        } catch (IllegalArgumentException e) {
            throw invalid(options, CHARSET, "unknown character set (e.g. 'UTF-8', 'ISO-8859-1')");
        }
        Duration initialDelay = positive(options, RECONNECT_INITIAL_DELAY);
        Duration maxDelay = positive(options, RECONNECT_MAX_DELAY);
        if (initialDelay.compareTo(maxDelay) > 0) {
            throw new WeirException(ErrorCode.INVALID_OPTION_VALUE, context.describe() + ": 'reconnect.initial-delay' ("
                    + initialDelay + ") is longer than 'reconnect.max-delay' (" + maxDelay + "); lower it or raise the maximum");
        }
        Duration connectTimeout = positive(options, CONNECT_TIMEOUT);
        if (connectTimeout.toMillis() > Integer.MAX_VALUE) {
            throw invalid(options, CONNECT_TIMEOUT, "must be shorter than 24 days");
        }
        return new SocketSettings(host, port, mode, charset, initialDelay, maxDelay, connectTimeout,
                atLeastOne(options, MAX_CONNECTIONS), atLeastOne(options, MAX_LINE_LENGTH), atLeastOne(options, QUEUE_CAPACITY),
                WalSettings.enabled(options) ? Optional.of(WalSettings.of(context.describe(), options)) : Optional.empty());
    }

    /** {@code host:port}, for split names and messages. */
    String address() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    private static Duration positive(OptionValues options, ConfigOption option) {
        Duration value = options.duration(option);
        if (value.isZero() || value.isNegative()) {
            throw invalid(options, option, "must be positive");
        }
        return value;
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
