package io.weir.connector.kafka;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.connector.Capability;
import io.weir.spi.connector.ConnectorContext;
import io.weir.spi.connector.ConnectorFactory;
import io.weir.spi.connector.DeliveryGuarantee;
import io.weir.spi.connector.FormatUsage;
import io.weir.spi.connector.ObjectKind;
import io.weir.spi.connector.Source;
import io.weir.spi.connector.Sink;
import io.weir.spi.connector.SinkOptions;
import io.weir.spi.option.ConfigOption;
import io.weir.spi.type.DataType;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code 'connector' = 'kafka'}: records from Kafka topics, one split per topic-partition, and a sink
 * writing rows to one topic. Readers assign the partitions directly (no consumer-group join); only a
 * persistent query's reader (one with a consumer id) resumes from and commits to a consumer group.
 * Unbounded unless {@code 'scan.bounded.mode' = 'latest-offset'}, which reads up to the end offsets
 * seen when the reader starts and then finishes.
 */
public final class KafkaConnectorFactory implements ConnectorFactory {
    public static final String NAME = "kafka";
    public static final String DEFAULT_FORMAT = "json";
    static final String UNBOUNDED = "unbounded";
    static final String BOUNDED_LATEST = "latest-offset";
    public static final String DEFAULT_KEY_FORMAT = "json";
    static final String AT_LEAST_ONCE = "at-least-once";
    static final String NO_GUARANTEE = "none";

    public static final ConfigOption TOPIC = ConfigOption.list("topic",
            "The topic to read, or a comma-separated list of topics; use either 'topic' or 'topic-pattern'");
    public static final ConfigOption TOPIC_PATTERN = ConfigOption.string("topic-pattern",
            "A Java regular expression; every topic whose whole name matches when a reader starts is read");
    public static final ConfigOption BOOTSTRAP_SERVERS = ConfigOption.string("bootstrap.servers",
            "Comma-separated host:port pairs of Kafka brokers to connect to first, e.g. 'localhost:9092'").asRequired();
    public static final ConfigOption STARTUP_MODE = ConfigOption.oneOf("scan.startup.mode", StartupMode.optionValues(),
            "Where reading starts in each partition: the earliest offset, the latest (only new records), the committed "
                    + "offsets of 'group.id', or the first record at or after 'scan.startup.timestamp-millis'")
            .withDefault(StartupMode.EARLIEST.optionValue());
    public static final ConfigOption STARTUP_TIMESTAMP = ConfigOption.longOption("scan.startup.timestamp-millis",
            "The record timestamp (milliseconds since the epoch) to start from when 'scan.startup.mode' = 'timestamp'");
    public static final ConfigOption GROUP_ID = ConfigOption.string("group.id",
            "The consumer group whose committed offsets 'group-offsets' starts from; a persistent query (INSERT INTO) also "
                    + "resumes from and commits to it. Unset, each persistent query has a group of its own, "
                    + "'weir-<query id>.<stream>', and the queries of the stream share one consumer");
    public static final ConfigOption BOUNDED_MODE = ConfigOption.oneOf("scan.bounded.mode", List.of(UNBOUNDED, BOUNDED_LATEST),
            "'latest-offset' reads up to the end offsets seen when a reader starts and then finishes (reproducible, "
                    + "batch-style reads; required for CREATE TABLE); 'unbounded' keeps reading new records")
            .withDefault(UNBOUNDED);
    public static final ConfigOption PROPERTIES = ConfigOption.prefix("properties.",
            "Passed to the Kafka consumer and producer without the prefix, e.g. 'properties.security.protocol' = 'SASL_SSL'");
    public static final ConfigOption KEY_FIELDS = ConfigOption.list("key.fields",
            "Comma-separated columns the record key holds: read from the key (they override the value's fields) and "
                    + "written to the key by a sink; without it a sink writes records without a key");
    public static final ConfigOption KEY_FORMAT = ConfigOption.oneOf("key.format", List.of("json", "csv", KeyFormat.RAW),
            "How the 'key.fields' are encoded in the record key (default 'json'); 'raw' is the bytes of one VARCHAR or "
                    + "VARBINARY column");
    public static final ConfigOption DELIVERY_GUARANTEE = SinkOptions.deliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE);
    /** The option before 'delivery.guarantee'; still accepted so that streams created with it keep working. */
    public static final ConfigOption LEGACY_DELIVERY_GUARANTEE = ConfigOption.oneOf("sink.delivery-guarantee",
            List.of(AT_LEAST_ONCE, NO_GUARANTEE),
            "Deprecated, use 'delivery.guarantee': 'at-least-once' means 'delivery.guarantee' = 'at-least-once', and so "
                    + "does 'none' (sending without waiting for acknowledgements is no longer offered)");
    public static final ConfigOption DEAD_LETTER_TOPIC = ConfigOption.string("dead-letter.topic",
            "With 'on-error' = 'dead-letter': records that cannot be decoded are also produced to this topic, with their "
                    + "key, value and headers weir.source.topic, weir.source.partition, weir.source.offset, weir.error.reason");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Records from Kafka topics (one split per partition; optionally bounded by the end offsets at start), "
                + "and a sink writing rows to a topic";
    }

    @Override
    public List<ConfigOption> options() {
        return List.of(TOPIC, TOPIC_PATTERN, BOOTSTRAP_SERVERS, STARTUP_MODE, STARTUP_TIMESTAMP, GROUP_ID, BOUNDED_MODE,
                KEY_FIELDS, KEY_FORMAT, DEAD_LETTER_TOPIC, DELIVERY_GUARANTEE, LEGACY_DELIVERY_GUARANTEE, PROPERTIES);
    }

    @Override
    public FormatUsage usesFormat() {
        return FormatUsage.withDefault(DEFAULT_FORMAT);
    }

    @Override
    public Set<Capability> capabilities() {
        return Set.of(Capability.STREAM_SOURCE, Capability.TABLE_SOURCE, Capability.SINK);
    }

    @Override
    public Map<String, DataType> metadata() {
        return KafkaMetadata.all();
    }

    @Override
    public void validate(ConnectorContext context) {
        KafkaSettings settings = KafkaSettings.of(context);
        if (context.kind() == ObjectKind.TABLE && !settings.bounded()) {
            throw new WeirException(ErrorCode.VALIDATION_ERROR, context.describe()
                    + ": a table is read as a whole; add 'scan.bounded.mode' = 'latest-offset' or use CREATE STREAM");
        }
        String header = context.options().raw().get("csv.header");
        if (header != null && header.trim().equalsIgnoreCase("true")) {
            throw new WeirException(ErrorCode.VALIDATION_ERROR, context.describe()
                    + ": every Kafka record is one CSV line, there is no header line; remove 'csv.header'");
        }
        KafkaMetadata.fillers(context);
    }

    @Override
    public Source createSource(ConnectorContext context) {
        return new KafkaSource(context, KafkaSettings.of(context));
    }

    @Override
    public Sink createSink(ConnectorContext context) {
        KafkaSettings settings = KafkaSettings.of(context);
        if (settings.topics().size() != 1) {
            throw new WeirException(ErrorCode.VALIDATION_ERROR, context.describe() + ": a Kafka sink writes to exactly one topic; "
                    + "set 'topic' = '<name>' (not a list or 'topic-pattern') on the stream you INSERT INTO");
        }
        return new KafkaSink(context, settings);
    }
}
