package io.weir.connector.socket;

import io.weir.spi.connector.Capability;
import io.weir.spi.connector.ConnectorContext;
import io.weir.spi.connector.ConnectorFactory;
import io.weir.spi.connector.FormatUsage;
import io.weir.spi.connector.Source;
import io.weir.spi.option.ConfigOption;
import io.weir.spi.wal.WalOptions;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code 'connector' = 'socket'}: lines of text over TCP, each line a record decoded with a format
 * (like Spark's {@code socketTextStream}). In {@code 'mode' = 'connect'} (the default) the reader
 * connects to a server such as {@code nc -lk 9999} and reconnects with exponential back-off whenever
 * the server is not there or goes away; in {@code 'mode' = 'listen'} it binds the address and accepts
 * any number of clients pushing lines. Unbounded.
 *
 * <p>With {@code 'wal'} (the default) one socket per stream, whoever reads it, receives into the
 * stream's write-ahead log ({@link io.weir.spi.wal.feed.QueuedLogFeed}); readers read the log as one split, and persistent
 * queries resume from their checkpointed offsets after a crash. With {@code 'wal' = 'false'} every
 * reader has sockets of its own, each connection a split, and what was received is lost in a crash.
 */
public final class SocketConnectorFactory implements ConnectorFactory {
    public static final String NAME = "socket";
    /** There is no plain-text format: JSON lines are the default, as for the file connector. */
    public static final String DEFAULT_FORMAT = "json";

    public static final ConfigOption HOST = ConfigOption.string("host",
            "In connect mode the server to connect to; in listen mode the local address to bind "
                    + "('0.0.0.0' accepts clients from other machines)").withDefault("127.0.0.1");
    public static final ConfigOption PORT = ConfigOption.integer("port",
            "The TCP port to connect to, or in listen mode to listen on").asRequired();
    public static final ConfigOption MODE = ConfigOption.oneOf("mode", SocketMode.optionValues(),
            "'connect' reads from a server (e.g. 'nc -lk 9999'), reconnecting when it goes away; "
                    + "'listen' accepts clients that push lines, each connection a split").withDefault(SocketMode.CONNECT.optionValue());
    public static final ConfigOption CHARSET = ConfigOption.string("charset",
            "The character set of the text").withDefault("UTF-8");
    public static final ConfigOption RECONNECT_INITIAL_DELAY = ConfigOption.duration("reconnect.initial-delay",
            "Connect mode: the wait before the first reconnection attempt; it doubles after every failed attempt")
            .withDefault("100 ms");
    public static final ConfigOption RECONNECT_MAX_DELAY = ConfigOption.duration("reconnect.max-delay",
            "Connect mode: the longest wait between reconnection attempts").withDefault("30 s");
    public static final ConfigOption CONNECT_TIMEOUT = ConfigOption.duration("connect.timeout",
            "Connect mode: how long one connection attempt may take").withDefault("5 s");
    public static final ConfigOption MAX_CONNECTIONS = ConfigOption.integer("max-connections",
            "Listen mode: clients connected at once; further clients are disconnected").withDefault("64");
    public static final ConfigOption MAX_LINE_LENGTH = ConfigOption.integer("max-line-length",
            "Longer records (in characters) are handled by 'on-error' instead of being decoded").withDefault("1048576");
    public static final ConfigOption QUEUE_CAPACITY = ConfigOption.integer("queue.capacity",
            "Records buffered between the sockets and the query; when full, reading pauses and TCP flow control "
                    + "slows the senders down").withDefault("10000");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Lines of text over TCP: connects to a server (reconnecting with back-off) or listens for pushing clients";
    }

    @Override
    public List<ConfigOption> options() {
        List<ConfigOption> options = new ArrayList<>(List.of(HOST, PORT, MODE, CHARSET, RECONNECT_INITIAL_DELAY,
                RECONNECT_MAX_DELAY, CONNECT_TIMEOUT, MAX_CONNECTIONS, MAX_LINE_LENGTH, QUEUE_CAPACITY));
        options.addAll(WalOptions.all());
        return List.copyOf(options);
    }

    @Override
    public FormatUsage usesFormat() {
        return FormatUsage.withDefault(DEFAULT_FORMAT);
    }

    @Override
    public Set<Capability> capabilities() {
        return Set.of(Capability.STREAM_SOURCE);
    }

    @Override
    public void validate(ConnectorContext context) {
        SocketSettings.of(context);
    }

    @Override
    public Source createSource(ConnectorContext context) {
        return new SocketSource(context, SocketSettings.of(context));
    }
}
