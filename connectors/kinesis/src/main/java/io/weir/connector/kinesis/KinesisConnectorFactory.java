package io.weir.connector.kinesis;

import io.weir.spi.connector.Capability;
import io.weir.spi.connector.ConnectorContext;
import io.weir.spi.connector.ConnectorFactory;
import io.weir.spi.connector.FormatUsage;
import io.weir.spi.connector.Sink;
import io.weir.spi.connector.Source;
import io.weir.spi.option.ConfigOption;
import io.weir.spi.type.DataType;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code 'connector' = 'kinesis'}: an Amazon Kinesis data stream. Each shard is a split, read with
 * {@code GetRecords} by a thread of the reader within the per-shard read limits; a shard closed by a reshard
 * is read to its end before its children. A record's data blob is one record of the stream's format.
 * Positions (the shards' sequence-number indexes, see {@link ShardOffsets}) are the split offsets of the
 * engine's checkpoints, so a persistent query resumes where its checkpoint says. As a sink, rows are sent
 * with {@code PutRecords}, their partition key from {@code 'key.fields'}.
 */
public final class KinesisConnectorFactory implements ConnectorFactory {
    public static final String NAME = "kinesis";
    public static final String DEFAULT_FORMAT = "json";

    public static final ConfigOption STREAM = ConfigOption.string("stream",
            "The name of the Kinesis data stream").asRequired();
    public static final ConfigOption REGION = ConfigOption.string("aws.region",
            "The AWS region of the stream, e.g. 'eu-west-1'").asRequired();
    public static final ConfigOption ENDPOINT = ConfigOption.string("aws.endpoint",
            "The Kinesis endpoint URL, for local emulators and compatible services, e.g. 'http://localhost:4567'; "
                    + "unset, the region's Amazon endpoint");
    public static final ConfigOption ACCESS_KEY_ID = ConfigOption.string("aws.credentials.access-key-id",
            "An access key id; unset, credentials come from the AWS default chain (environment, system properties, "
                    + "~/.aws/credentials, container or instance role)").asSecret();
    public static final ConfigOption SECRET_ACCESS_KEY = ConfigOption.string("aws.credentials.secret-access-key",
            "The secret access key of 'aws.credentials.access-key-id'").asSecret();
    public static final ConfigOption SESSION_TOKEN = ConfigOption.string("aws.credentials.session-token",
            "The session token of temporary credentials, with 'aws.credentials.access-key-id'").asSecret();
    public static final ConfigOption STARTUP_MODE = ConfigOption.oneOf("scan.startup.mode", StartupMode.optionValues(),
            "Where reading starts in each shard when there is no position to resume from: the oldest record kept "
                    + "('trim-horizon'), records arriving from the start on ('latest'), or the first record that arrived at or "
                    + "after 'scan.startup.timestamp-millis' ('at-timestamp')")
            .withDefault(StartupMode.LATEST.optionValue());
    public static final ConfigOption STARTUP_TIMESTAMP = ConfigOption.longOption("scan.startup.timestamp-millis",
            "The arrival time (milliseconds since the epoch) to start from when 'scan.startup.mode' = 'at-timestamp'");
    public static final ConfigOption MAX_RECORDS_PER_GET = ConfigOption.integer("scan.get-records.max-records",
            "The most records one GetRecords call returns (1 to 10000)").withDefault("1000");
    public static final ConfigOption GET_RECORDS_INTERVAL = ConfigOption.duration("scan.get-records.interval",
            "The least time between two GetRecords calls on one shard (Kinesis allows 5 per second and shard, shared by "
                    + "all readers of the stream); a shard that returned 2 MB waits longer, as the 2 MB/s read limit asks")
            .withDefault("200 ms");
    public static final ConfigOption KEY_FIELDS = ConfigOption.list("key.fields",
            "Sink: comma-separated columns whose values make a record's partition key (so rows with the same values "
                    + "go to one shard, in order); without it each record gets a random partition key");
    public static final ConfigOption SINK_MAX_RETRIES = ConfigOption.integer("sink.max-retries",
            "Sink: how often a PutRecords call is repeated, with back-off, for the records Kinesis did not accept "
                    + "(throttled or failed) before the query fails").withDefault("10");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Records of an Amazon Kinesis data stream (one split per shard, resharding followed), and a sink writing "
                + "rows with PutRecords";
    }

    @Override
    public List<ConfigOption> options() {
        return List.of(STREAM, REGION, ENDPOINT, ACCESS_KEY_ID, SECRET_ACCESS_KEY, SESSION_TOKEN, STARTUP_MODE,
                STARTUP_TIMESTAMP, MAX_RECORDS_PER_GET, GET_RECORDS_INTERVAL, KEY_FIELDS, SINK_MAX_RETRIES);
    }

    @Override
    public FormatUsage usesFormat() {
        return FormatUsage.withDefault(DEFAULT_FORMAT);
    }

    @Override
    public Set<Capability> capabilities() {
        return Set.of(Capability.STREAM_SOURCE, Capability.SINK);
    }

    @Override
    public Map<String, DataType> metadata() {
        return KinesisMetadata.all();
    }

    @Override
    public void validate(ConnectorContext context) {
        KinesisSettings settings = KinesisSettings.of(context);
        KinesisMetadata.fillers(context);
        settings.partitionKeyColumns(context);
    }

    @Override
    public Source createSource(ConnectorContext context) {
        return new KinesisSource(context, KinesisSettings.of(context));
    }

    @Override
    public Sink createSink(ConnectorContext context) {
        KinesisSettings settings = KinesisSettings.of(context);
        int[] keyColumns = settings.partitionKeyColumns(context);
        return () -> new KinesisSinkWriter(context.describe(), settings.stream(), new RecordSender(KinesisClients.create(settings)),
                context.createEncoder(), keyColumns, settings.sinkMaxRetries(), context.sinkCounters(), Backoff.standard(),
                Thread::sleep);
    }
}
