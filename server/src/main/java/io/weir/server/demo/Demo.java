package io.weir.server.demo;

import io.weir.server.config.ServerConfig;
import io.weir.server.config.ServerOptions;
import io.weir.server.launcher.WeirServer;
import io.weir.server.meta.WeirMeta;
import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static java.util.Objects.requireNonNull;

/**
 * A running {@code weir demo}: an embedded Kafka broker with its data under
 * {@code <data-dir>/demo-kafka}, a web-log generator writing to topic {@code weblogs}, and a Weir
 * server over the same data directory with streams {@code weblogs} and {@code alerts} registered.
 * {@link #close()} stops them in reverse order: the server (and its queries reading Kafka), the
 * generator, the broker.
 */
public final class Demo implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Demo.class);
    /** The demo's data directory unless one is given: not the plain server's ({@code data}). */
    public static final String DEFAULT_DATA_DIR = "demo-data";
    /** The broker's directory inside the server's data directory. */
    public static final String KAFKA_DIR = "demo-kafka";
    /** The flag naming the broker port, for messages. */
    public static final String KAFKA_PORT_FLAG = "--kafka-port";
    private static final int WEBLOGS_PARTITIONS = 3;

    private final EmbeddedKafka kafka;
    private final DemoLogGenerator generator;
    private final WeirServer server;
    private final DemoStreams.Registration registration;
    private boolean closed;

    private Demo(EmbeddedKafka kafka, DemoLogGenerator generator, WeirServer server, DemoStreams.Registration registration) {
        this.kafka = kafka;
        this.generator = generator;
        this.server = server;
        this.registration = registration;
    }

    /**
     * Starts the broker, the generator and the server, and registers the demo streams.
     *
     * @throws java.net.BindException when the server's port is in use
     */
    public static Demo start(ServerConfig config, DemoSettings settings) throws IOException {
        requireNonNull(config, "config is null");
        requireNonNull(settings, "settings is null");
        createDataDir(config.dataDir());
        EmbeddedKafka kafka = EmbeddedKafka.start(config.dataDir().resolve(KAFKA_DIR), settings.kafkaPort(), KAFKA_PORT_FLAG);
        DemoLogGenerator generator = null;
        WeirServer server = null;
        try {
            kafka.createTopic(DemoStreams.WEBLOGS, WEBLOGS_PARTITIONS);
            kafka.createTopic(DemoStreams.ALERTS, 1);
            generator = DemoLogGenerator.start(kafka.bootstrapServers(), DemoStreams.WEBLOGS, settings.eventsPerSecond());
            WeirMeta meta = new WeirMeta(config);
            try {
                server = WeirServer.start(config, meta);
            } catch (IOException | RuntimeException | Error e) {
                meta.close();
                throw e;
            }
            DemoStreams.Registration registration = DemoStreams.register(meta.context(), kafka.bootstrapServers());
            return new Demo(kafka, generator, server, registration);
        } catch (IOException | RuntimeException | Error e) {
            closeAll(server, generator, kafka);
            throw e;
        }
    }

    public WeirServer server() {
        return server;
    }

    public EmbeddedKafka kafka() {
        return kafka;
    }

    public DemoLogGenerator generator() {
        return generator;
    }

    public DemoStreams.Registration registration() {
        return registration;
    }

    /** The text printed on the console: where to connect and queries to paste. */
    public String examples() {
        return DemoStreams.examples(server.jdbcUrl(), kafka.bootstrapServers(), registration);
    }

    /** Stops the server, the generator and the broker, in that order. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        closeAll(server, generator, kafka);
    }

    private static void closeAll(WeirServer server, DemoLogGenerator generator, EmbeddedKafka kafka) {
        // Each part is stopped even if stopping an earlier one failed.
        try {
            if (server != null) {
                server.close();
            }
        } catch (RuntimeException e) {
            LOG.error("Stopping the Weir server failed", e);
        } finally {
            try {
                if (generator != null) {
                    generator.close();
                }
            } catch (RuntimeException e) {
                LOG.error("Stopping the demo log generator failed", e);
            } finally {
                kafka.close();
            }
        }
    }

    private static void createDataDir(Path dataDir) {
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new WeirException(ErrorCode.INVALID_OPTION_VALUE, "Cannot create the data directory " + dataDir + " ("
                    + ServerOptions.DATA_DIR.key() + "): " + e, e);
        }
    }
}
