package io.weir.connector.zeromq;

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
 * {@code 'connector' = 'zeromq'}: messages from ZeroMQ publishers, received with a SUB socket through
 * jeromq (pure Java, no native library). A single-frame message is one record; in a multi-frame
 * message (the usual {@code [topic, payload]}) the first frame is the topic that {@code 'subscribe'}
 * filters on and the last frame is the record. In {@code 'mode' = 'connect'} (the default) the socket
 * connects to a publisher that binds, and ZeroMQ reconnects by itself whenever it goes away; in
 * {@code 'mode' = 'bind'} publishers connect to the reader. One split; unbounded.
 *
 * <p>With {@code 'wal'} (the default) one SUB socket per stream, whoever reads it, receives into the
 * stream's write-ahead log ({@link io.weir.spi.wal.feed.QueuedLogFeed}), and persistent queries resume from their checkpointed
 * offsets after a crash. With {@code 'wal' = 'false'} every reader has a socket of its own and what
 * was received is lost in a crash.
 */
public final class ZeroMqConnectorFactory implements ConnectorFactory {
    public static final String NAME = "zeromq";
    /** As for the socket and file connectors: JSON records unless 'format' says otherwise. */
    public static final String DEFAULT_FORMAT = "json";

    public static final ConfigOption ENDPOINT = ConfigOption.string("endpoint",
            "The ZeroMQ endpoint, 'tcp://host:port': the publisher to connect to, or in bind mode the local "
                    + "address publishers connect to ('tcp://*:5556' accepts them from other machines)").asRequired();
    public static final ConfigOption SUBSCRIBE = ConfigOption.string("subscribe",
            "Topic prefix: only messages whose first frame starts with it are received; empty receives everything")
            .withDefault("");
    public static final ConfigOption MODE = ConfigOption.oneOf("mode", ZeroMqMode.optionValues(),
            "'connect' subscribes to a publisher that binds the endpoint, reconnecting when it goes away; "
                    + "'bind' binds the endpoint and publishers connect to it").withDefault(ZeroMqMode.CONNECT.optionValue());
    public static final ConfigOption RECEIVE_HIGH_WATER_MARK = ConfigOption.integer("receive.high-water-mark",
            "Messages ZeroMQ buffers for the reader (the SUB socket's receive high-water mark); beyond it, publishers "
                    + "drop messages for this reader").withDefault("10000");
    public static final ConfigOption QUEUE_MAX_RECORDS = ConfigOption.integer("queue.max-records",
            "Records buffered between the ZeroMQ socket and the query; when full, receiving pauses and ZeroMQ "
                    + "buffers up to 'receive.high-water-mark'").withDefault("10000");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Messages from ZeroMQ publishers (PUB/SUB over TCP), filtered by topic prefix";
    }

    @Override
    public List<ConfigOption> options() {
        List<ConfigOption> options = new ArrayList<>(List.of(ENDPOINT, SUBSCRIBE, MODE, RECEIVE_HIGH_WATER_MARK,
                QUEUE_MAX_RECORDS));
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
        ZeroMqSettings.of(context);
    }

    @Override
    public Source createSource(ConnectorContext context) {
        return new ZeroMqSource(context, ZeroMqSettings.of(context));
    }
}
