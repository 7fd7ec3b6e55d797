package io.weir.spi.connector.ingest;

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
 * {@code 'connector' = 'http'}: records posted to the server's {@code POST /ingest/<stream>}, for
 * sensors and services that cannot speak Kafka. The server validates each posted record and appends
 * the accepted ones to the stream's write-ahead log ({@link IngestLogs}), answering once they are on
 * disk; every query reading the stream reads the log from its own position (fan-out), and persistent
 * queries resume from their checkpointed offsets after a crash. A full log ({@code 'wal.max-bytes'})
 * makes the server answer 503. With {@code 'wal' = 'false'} records go to an in-memory
 * {@link IngestChannel} instead, which drops the oldest beyond {@code 'buffer.max-records'} and
 * forgets everything at a restart. Unbounded, one split.
 */
public final class HttpIngestConnectorFactory implements ConnectorFactory {
    public static final String NAME = "http";
    public static final String DEFAULT_FORMAT = "json";

    public static final ConfigOption BUFFER_MAX_RECORDS = ConfigOption.integer("buffer.max-records",
            "With 'wal' = 'false': posted records the server keeps in memory for the stream's queries; beyond it "
                    + "the oldest are dropped and queries that had not read them yet log the gap").withDefault("100000");
    public static final ConfigOption STARTUP_MODE = ConfigOption.oneOf("scan.startup.mode", StartupMode.optionValues(),
            "'latest': a query sees records posted after it started; 'earliest': it first reads every record "
                    + "still in the log (or the in-memory buffer). A persistent query resumes where it was, whatever this says").withDefault(StartupMode.LATEST.optionValue());

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
        List<ConfigOption> options = new ArrayList<>(List.of(BUFFER_MAX_RECORDS, STARTUP_MODE));
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
        IngestSettings.of(context);
    }

    @Override
    public Source createSource(ConnectorContext context) {
        return new IngestSource(context, IngestSettings.of(context));
    }
}
