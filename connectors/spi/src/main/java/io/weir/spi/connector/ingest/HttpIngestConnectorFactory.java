package io.weir.spi.connector.ingest;

import io.weir.spi.connector.Capability;
import io.weir.spi.connector.ConnectorContext;
import io.weir.spi.connector.ConnectorFactory;
import io.weir.spi.connector.FormatUsage;
import io.weir.spi.connector.Source;
import io.weir.spi.option.ConfigOption;

import java.util.List;
import java.util.Set;

/**
 * {@code 'connector' = 'http'}: records posted to the server's {@code POST /ingest/<stream>}, for
 * sensors and services that cannot speak Kafka. The server validates and appends each posted record
 * to the stream's {@link IngestChannel}; every query reading the stream gets every record from its
 * own position in the channel (fan-out). The channel lives in server memory: records are not kept
 * across restarts and the oldest are dropped beyond {@code 'buffer.max-records'}. Unbounded, one split.
 */
public final class HttpIngestConnectorFactory implements ConnectorFactory {
    public static final String NAME = "http";
    public static final String DEFAULT_FORMAT = "json";

    public static final ConfigOption BUFFER_MAX_RECORDS = ConfigOption.integer("buffer.max-records",
            "Posted records the server keeps for the stream's queries; beyond it the oldest are dropped and "
                    + "queries that had not read them yet log the gap").withDefault("100000");
    public static final ConfigOption STARTUP_MODE = ConfigOption.oneOf("scan.startup.mode", StartupMode.optionValues(),
            "'latest': a query sees records posted after it started; 'earliest': it first reads every record "
                    + "still in the buffer").withDefault(StartupMode.LATEST.optionValue());

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Records posted to the server over HTTP (POST /ingest/<stream>), as JSON lines, a JSON array or CSV lines";
    }

    @Override
    public List<ConfigOption> options() {
        return List.of(BUFFER_MAX_RECORDS, STARTUP_MODE);
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
        IngestSettings.of(context);
    }

    @Override
    public Source createSource(ConnectorContext context) {
        return new IngestSource(context, IngestSettings.of(context));
    }
}
