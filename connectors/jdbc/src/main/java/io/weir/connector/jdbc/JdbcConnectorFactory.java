package io.weir.connector.jdbc;

import io.weir.spi.connector.Capability;
import io.weir.spi.connector.ConnectorContext;
import io.weir.spi.connector.ConnectorFactory;
import io.weir.spi.connector.DeliveryGuarantee;
import io.weir.spi.connector.FormatUsage;
import io.weir.spi.connector.Sink;
import io.weir.spi.connector.SinkOptions;
import io.weir.spi.connector.Source;
import io.weir.spi.option.ConfigOption;

import java.util.List;
import java.util.Set;

/**
 * {@code 'connector' = 'jdbc'}: a PostgreSQL or MySQL/MariaDB table read as a whole (a bounded
 * reference table), and a sink upserting rows by the declared {@code PRIMARY KEY} (plain inserts
 * without one). The dialect follows from the URL. How often a lookup join reads the table again is
 * the common option {@code 'refresh-interval'}, applied by the engine (each read is a new reader).
 */
public final class JdbcConnectorFactory implements ConnectorFactory {
    public static final String NAME = "jdbc";

    public static final ConfigOption URL = ConfigOption.string("url",
            "The JDBC URL of the database: 'jdbc:postgresql://host:5432/db', 'jdbc:mysql://host:3306/db' or "
                    + "'jdbc:mariadb://host:3306/db' (MySQL URLs are served by the bundled MariaDB driver)").asRequired();
    public static final ConfigOption TABLE_NAME = ConfigOption.string("table-name",
            "The table to read or write, optionally schema-qualified ('public.rates'); written into SQL as is, so "
                    + "quote it for the database when its name is case-sensitive").asRequired();
    public static final ConfigOption USERNAME = ConfigOption.string("username",
            "The database user (or put it in the URL)");
    public static final ConfigOption PASSWORD = ConfigOption.string("password",
            "The database user's password").asSecret();
    public static final ConfigOption FETCH_SIZE = ConfigOption.integer("scan.fetch-size",
            "Rows fetched from the database per round trip while reading the table (the driver streams them)")
            .withDefault("1000");
    public static final ConfigOption CONNECT_TIMEOUT = ConfigOption.duration("connect-timeout",
            "How long connecting to the database may take, at CREATE and when reading or writing")
            .withDefault("10 s");
    public static final ConfigOption BUFFER_FLUSH_MAX_ROWS = ConfigOption.integer("sink.buffer-flush.max-rows",
            "A sink sends its buffered rows as one JDBC batch when this many have accumulated, and at the end of every "
                    + "micro-batch; it commits them then, or, appending exactly once, at the query's next checkpoint")
            .withDefault("500");
    public static final ConfigOption MAX_RETRIES = ConfigOption.integer("sink.max-retries",
            "How often a sink retries a batch after a transient error (lost connection, deadlock, serialization "
                    + "failure), reconnecting when the connection broke; then the query fails. An exactly-once append "
                    + "sink retries only while its open transaction holds no rows yet").withDefault("3");
    /**
     * Exactly-once: appends (no key) are committed together with the query's checkpoints; upserts
     * (a key) are idempotent, so replays leave the same final rows.
     */
    public static final ConfigOption DELIVERY_GUARANTEE = SinkOptions.deliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE);
    public static final ConfigOption PROGRESS_TABLE = ConfigOption.string("sink.progress-table",
            "Where an exactly-once sink without a PRIMARY KEY records the last checkpoint it committed, one row per "
                    + "query and sink, in the same database transaction as the rows; created if missing, optionally "
                    + "schema-qualified").withDefault(ProgressTable.DEFAULT_NAME);
    public static final ConfigOption PROPERTIES = ConfigOption.prefix("properties.",
            "Passed to the JDBC driver without the prefix, e.g. 'properties.sslmode' = 'require'");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "A PostgreSQL or MySQL/MariaDB table read as a bounded reference table, and a sink upserting rows by the "
                + "declared PRIMARY KEY";
    }

    @Override
    public List<ConfigOption> options() {
        return List.of(URL, TABLE_NAME, USERNAME, PASSWORD, FETCH_SIZE, CONNECT_TIMEOUT,
                BUFFER_FLUSH_MAX_ROWS, MAX_RETRIES, DELIVERY_GUARANTEE, PROGRESS_TABLE, PROPERTIES);
    }

    @Override
    public FormatUsage usesFormat() {
        return FormatUsage.none();
    }

    @Override
    public Set<Capability> capabilities() {
        return Set.of(Capability.TABLE_SOURCE, Capability.SINK);
    }

    /** Connects once and checks that the table and every declared column exist. */
    @Override
    public void validate(ConnectorContext context) {
        JdbcSettings settings = JdbcSettings.of(context);
        TableColumns.check(context, settings);
    }

    @Override
    public Source createSource(ConnectorContext context) {
        return new JdbcSource(context, JdbcSettings.of(context));
    }

    @Override
    public Sink createSink(ConnectorContext context) {
        return new JdbcSink(context, JdbcSettings.of(context));
    }
}
