package io.weir.server.demo;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static java.util.Objects.requireNonNull;

/**
 * A single-node Kafka cluster (KRaft, broker and controller in one node) running in this JVM: the
 * real broker code, as {@code kafka-server-start.sh} runs it after {@code kafka-storage.sh format}.
 * The storage lives in a directory that is formatted on the first start only, so topics and records
 * survive a restart. Clients connect over PLAINTEXT on 127.0.0.1; the controller listens on a free
 * loopback port picked at each start (the quorum is static, so the port may change between starts).
 */
public final class EmbeddedKafka implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
    private static final String HOST = "127.0.0.1";
    private static final int NODE_ID = 1;
    private static final String CONTROLLER_LISTENER = "CONTROLLER";
    /** Written by the formatter; its presence means the directory was formatted before. */
    private static final String META_PROPERTIES = "meta.properties";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final KafkaRaftServer server;
    private final int port;
    private final Path logDir;
    private boolean closed;

    private EmbeddedKafka(KafkaRaftServer server, int port, Path logDir) {
        this.server = server;
        this.port = port;
        this.logDir = logDir;
    }

    /**
     * Formats {@code logDir} if it was never formatted, starts the broker and waits until it answers.
     *
     * @param port     the client (PLAINTEXT) port on 127.0.0.1; 0 picks a free one
     * @param portFlag the command-line flag that sets {@code port}, named when the port is in use
     */
    public static EmbeddedKafka start(Path logDir, int port, String portFlag) {
        requireNonNull(logDir, "logDir is null");
        requireNonNull(portFlag, "portFlag is null");
        Path dir = logDir.toAbsolutePath().normalize();
        int clientPort = port == 0 ? freePort() : checkFree(port, portFlag);
        int controllerPort = freePort();
        KafkaConfig config = new KafkaConfig(brokerProperties(dir, clientPort, controllerPort), false);
        formatOnFirstStart(dir, config);
        KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        long started = System.nanoTime();
        try {
            server.startup();
        } catch (RuntimeException e) {
            shutdownQuietly(server);
            throw new WeirException(ErrorCode.INTERNAL_ERROR, "The demo Kafka broker did not start on " + HOST + ":"
                    + clientPort + " (data in " + dir + "): " + e.getMessage()
                    + ". If the port was taken meanwhile, choose another with " + portFlag, e);
        }
        EmbeddedKafka kafka = new EmbeddedKafka(server, clientPort, dir);
        try {
            kafka.awaitReady();
        } catch (RuntimeException e) {
            kafka.close();
            throw e;
        }
        LOG.info("Kafka broker listening on {} (data in {}), started in {} ms", kafka.bootstrapServers(), dir,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        return kafka;
    }

    /** {@code 127.0.0.1:port}, for clients' {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return HOST + ":" + port;
    }

    public int port() {
        return port;
    }

    public Path logDir() {
        return logDir;
    }

    /** Creates the topic unless it exists (whatever its partition count then). */
    public void createTopic(String topic, int partitions) {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all()
                    .get(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            LOG.info("Created topic '{}' ({} partition{})", topic, partitions, partitions == 1 ? "" : "s");
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new WeirException(ErrorCode.INTERNAL_ERROR, "Cannot create topic '" + topic + "' on the demo broker: "
                        + e.getCause().getMessage(), e.getCause());
            }
            LOG.debug("Topic '{}' exists already", topic);
        } catch (TimeoutException e) {
            throw new WeirException(ErrorCode.INTERNAL_ERROR, "Creating topic '" + topic + "' on the demo broker timed out", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WeirException(ErrorCode.INTERNAL_ERROR, "Interrupted while creating topic '" + topic + "'", e);
        }
    }

    /** The topics on the broker (without internal ones). */
    public Set<String> topics() {
        try (Admin admin = admin()) {
            return admin.listTopics().names().get(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new WeirException(ErrorCode.INTERNAL_ERROR, "Cannot list the demo broker's topics: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WeirException(ErrorCode.INTERNAL_ERROR, "Interrupted while listing topics", e);
        }
    }

    /** Stops the broker and waits for it. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        LOG.info("Stopping the Kafka broker on {}", bootstrapServers());
        server.shutdown();
        server.awaitShutdown();
    }

    private Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) READY_TIMEOUT.toMillis()));
    }

    /** The broker answers metadata requests once it has caught up with the controller. */
    private void awaitReady() {
        try (Admin admin = admin()) {
            admin.describeCluster().nodes().get(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new WeirException(ErrorCode.INTERNAL_ERROR, "The demo Kafka broker on " + bootstrapServers()
                    + " did not become ready within " + READY_TIMEOUT.toSeconds() + " s: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WeirException(ErrorCode.INTERNAL_ERROR, "Interrupted while waiting for the demo Kafka broker", e);
        }
    }

    static Map<String, Object> brokerProperties(Path logDir, int clientPort, int controllerPort) {
        Map<String, Object> props = new HashMap<>();
        props.put("process.roles", "broker,controller");
        props.put("node.id", Integer.toString(NODE_ID));
        // A static quorum: the voter's address is configuration, not stored in the metadata log, so a
        // restart may pick another controller port.
        props.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
        props.put("listeners", "PLAINTEXT://" + HOST + ":" + clientPort + "," + CONTROLLER_LISTENER + "://" + HOST + ":"
                + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://" + HOST + ":" + clientPort);
        props.put("controller.listener.names", CONTROLLER_LISTENER);
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        props.put("log.dirs", logDir.toString());
        // One node: internal topics cannot have more than one replica.
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "3");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("num.partitions", "3");
        // A demo left running for days should not fill the disk: keep about a day, at most 256 MiB a partition.
        props.put("log.retention.hours", "24");
        props.put("log.retention.bytes", Long.toString(256L << 20));
        props.put("log.segment.bytes", Long.toString(64L << 20));
        return props;
    }

    private static void formatOnFirstStart(Path logDir, KafkaConfig config) {
        if (Files.exists(logDir.resolve(META_PROPERTIES))) {
            LOG.debug("Re-using the Kafka storage in {}", logDir);
            return;
        }
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        try {
            Files.createDirectories(logDir);
            String clusterId = Uuid.randomUuid().toString();
            new Formatter()
                    .setPrintStream(new PrintStream(output, true, StandardCharsets.UTF_8))
                    .setNodeId(NODE_ID)
                    .setClusterId(clusterId)
                    .setControllerListenerName(CONTROLLER_LISTENER)
                    .setMetadataLogDirectory(config.metadataLogDir())
                    .addDirectory(logDir.toString())
                    .run();
            LOG.info("Formatted the demo Kafka storage in {} (cluster id {})", logDir, clusterId);
            LOG.debug("Formatter output: {}", output.toString(StandardCharsets.UTF_8).strip());
        } catch (Exception e) {
            throw new WeirException(ErrorCode.INTERNAL_ERROR, "Cannot format the demo Kafka storage in " + logDir + ": "
                    + e.getMessage() + " " + output.toString(StandardCharsets.UTF_8).strip()
                    + ". Delete the directory to start over", e);
        }
    }

    private static int checkFree(int port, String portFlag) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(HOST), port));
            return port;
        } catch (BindException e) {
            throw new WeirException(ErrorCode.CONNECTION_ERROR, "Port " + port + " on " + HOST
                    + " for the demo Kafka broker is in use (another Kafka?). Stop that process or choose another port with "
                    + portFlag);
        } catch (IOException e) {
            throw new WeirException(ErrorCode.CONNECTION_ERROR, "Cannot listen on " + HOST + ":" + port
                    + " for the demo Kafka broker (" + e.getMessage() + "); choose another port with " + portFlag, e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 50, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new WeirException(ErrorCode.INTERNAL_ERROR, "Cannot find a free port on " + HOST + ": " + e.getMessage(), e);
        }
    }

    private static void shutdownQuietly(KafkaRaftServer server) {
        try {
            server.shutdown();
            server.awaitShutdown();
        } catch (RuntimeException e) {
            LOG.warn("Stopping the demo Kafka broker after a failed start failed too", e);
        }
    }
}
