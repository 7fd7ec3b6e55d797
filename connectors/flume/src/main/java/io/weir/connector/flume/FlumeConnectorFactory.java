package io.weir.connector.flume;

import io.weir.spi.connector.Capability;
import io.weir.spi.connector.ConnectorContext;
import io.weir.spi.connector.ConnectorFactory;
import io.weir.spi.connector.FormatUsage;
import io.weir.spi.connector.Source;
import io.weir.spi.option.ConfigOption;
import io.weir.spi.type.DataType;
import io.weir.spi.wal.WalOptions;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code 'connector' = 'flume'}: Weir listens for Flume agents' Avro sinks (Flume's
 * {@code AvroSourceProtocol}, {@code append} and {@code appendBatch} of {@code AvroFlumeEvent}s over
 * Avro IPC), as Spark Streaming's push-based Flume receiver did. An event's body is one record in the
 * stream's format; its headers are {@code METADATA FROM 'headers'} (the map) and
 * {@code METADATA FROM 'header.<name>'} (one header).
 *
 * <p>Received events go into the stream's write-ahead log, and a request is answered {@code OK} only
 * once its events are on disk; when they cannot be logged (the log is full) the answer is
 * {@code FAILED}, so the agent's sink rolls its transaction back and sends the events again later.
 * The listener belongs to the stream, not to a query: it is open while any query reads the stream.
 */
public final class FlumeConnectorFactory implements ConnectorFactory {
    public static final String NAME = "flume";
    /** As for the socket and ZeroMQ connectors: a body is a JSON record unless 'format' says otherwise. */
    public static final String DEFAULT_FORMAT = "json";
    /** The metadata key of all headers. */
    public static final String HEADERS_KEY = "headers";
    /** The prefix of the metadata key of one header: {@code 'header.host'}. */
    public static final String HEADER_PREFIX = "header.";

    public static final ConfigOption HOST = ConfigOption.string("host",
            "The local address to listen on for Flume agents' Avro sinks ('0.0.0.0' accepts agents on other machines)")
            .asRequired();
    public static final ConfigOption PORT = ConfigOption.integer("port",
            "The TCP port to listen on (the 'port' of the agents' Avro sinks)").asRequired();
    public static final ConfigOption MAX_EVENT_BYTES = ConfigOption.integer("max-event-bytes",
            "Events whose body is larger are acknowledged but not decoded: they go to 'on-error' (their first "
                    + "1024 bytes are kept)").withDefault("1048576");
    public static final ConfigOption SSL_CERTIFICATE = ConfigOption.string("ssl.certificate",
            "A PEM file with the server certificate (and its chain): agents must connect with 'ssl' = true; "
                    + "unset, connections are plain TCP");
    public static final ConfigOption SSL_KEY = ConfigOption.string("ssl.key",
            "The PEM file with the private key (PKCS#8) of 'ssl.certificate'");
    public static final ConfigOption SSL_KEYSTORE = ConfigOption.string("ssl.keystore",
            "Instead of 'ssl.certificate' and 'ssl.key': a Java keystore file (JKS or PKCS12, as Flume's Avro source "
                    + "'keystore') with the server's key and certificate");
    public static final ConfigOption SSL_KEYSTORE_PASSWORD = ConfigOption.string("ssl.keystore-password",
            "The password of 'ssl.keystore' (and of its key)").asSecret();
    public static final ConfigOption SSL_KEYSTORE_TYPE = ConfigOption.oneOf("ssl.keystore-type", List.of("JKS", "PKCS12"),
            "The type of 'ssl.keystore'").withDefault("JKS");
    public static final ConfigOption COMPRESSION_TYPE = ConfigOption.oneOf("compression-type", List.of("none", "deflate"),
            "'deflate' when the agents' Avro sinks set compression-type = deflate (zlib on the whole connection, both "
                    + "ways); both ends must agree").withDefault("none");
    public static final ConfigOption COMPRESSION_LEVEL = ConfigOption.integer("compression-level",
            "With 'deflate': the level (1 fastest to 9 smallest) of what Weir sends back (the agents' acknowledgements)")
            .withDefault("6");
    public static final ConfigOption IP_ALLOW = ConfigOption.list("ip-filter.allow",
            "Comma-separated addresses or CIDR ranges ('10.0.0.0/8, 127.0.0.1') agents may connect from; "
                    + "when set, others are refused");
    public static final ConfigOption IP_DENY = ConfigOption.list("ip-filter.deny",
            "Comma-separated addresses or CIDR ranges whose connections are refused, checked before 'ip-filter.allow'");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Events from Flume agents' Avro sinks, acknowledged once they are in the write-ahead log";
    }

    @Override
    public List<ConfigOption> options() {
        List<ConfigOption> options = new ArrayList<>(List.of(HOST, PORT, MAX_EVENT_BYTES, SSL_CERTIFICATE, SSL_KEY, SSL_KEYSTORE, SSL_KEYSTORE_PASSWORD,
                SSL_KEYSTORE_TYPE, COMPRESSION_TYPE, COMPRESSION_LEVEL,
                IP_ALLOW, IP_DENY));
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
    public Map<String, DataType> metadata() {
        return FlumeMetadata.all();
    }

    @Override
    public boolean providesMetadata(String key) {
        return FlumeMetadata.provides(key);
    }

    @Override
    public void validate(ConnectorContext context) {
        FlumeSettings.of(context);
        FlumeMetadata.fillers(context);
    }

    @Override
    public Source createSource(ConnectorContext context) {
        return new FlumeSource(context, FlumeSettings.of(context));
    }
}
