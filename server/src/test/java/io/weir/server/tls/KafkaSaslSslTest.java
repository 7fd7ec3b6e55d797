package io.weir.server.tls;

import io.weir.server.testing.RunningServer;
import io.weir.server.testing.TestCertificates;
import io.weir.server.testing.TestCertificates.Issued;
import kafka.server.BrokerServer;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.network.ListenerName;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The Kafka connector against a real broker whose client listener wants SASL_SSL (SCRAM-SHA-256 over
 * TLS with a certificate the test made): a stream reads from it and an INSERT INTO writes to it, with
 * the Kafka clients' settings passed through {@code 'properties.*'}; the JAAS configuration, which
 * holds the password, shows masked and appears in no answer.
 */
@Timeout(180)
class KafkaSaslSslTest {
    private static final String SECURE = "SECURE";
    private static final String USER = "weir";
    private static final String PASSWORD = "s3cret-Pa55";
    private static final Issued CA = TestCertificates.authority("Kafka Test CA");

    @TempDir
    static Path files;
    private static KafkaClusterTestKit cluster;
    private static String secureServers;
    private static Path trustedCa;

    @TempDir
    Path dataDir;

    @BeforeAll
    static void startBroker() throws Exception {
        Issued brokerCertificate = TestCertificates.localhost(CA);
        TestKitNodes nodes = new TestKitNodes.Builder().setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1).build();
        String plain = nodes.brokerListenerName().value();
        String controller = nodes.controllerListenerName().value();
        String prefix = "listener.name." + SECURE.toLowerCase() + ".";
        KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes)
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("offsets.topic.num.partitions", "1")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("transaction.state.log.num.partitions", "1")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .setConfigProp("auto.create.topics.enable", "false")
                // the test kit's own (plaintext) listeners, plus one for clients that wants SASL_SSL
                .setConfigProp("listeners", plain + "://localhost:0," + controller + "://localhost:0," + SECURE + "://localhost:0")
                .setConfigProp("listener.security.protocol.map", plain + ":PLAINTEXT," + controller + ":PLAINTEXT," + SECURE + ":SASL_SSL")
                .setConfigProp(prefix + "sasl.enabled.mechanisms", "SCRAM-SHA-256")
                .setConfigProp(prefix + "scram-sha-256.sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required;")
                .setConfigProp(prefix + "ssl.keystore.type", "PEM")
                .setConfigProp(prefix + "ssl.keystore.certificate.chain", brokerCertificate.certificatePem() + CA.certificatePem())
                .setConfigProp(prefix + "ssl.keystore.key", brokerCertificate.privateKeyPem());
        cluster = builder.build();
        cluster.format();
        cluster.startup();
        cluster.waitForReadyBrokers();
        BrokerServer broker = cluster.brokers().values().iterator().next();
        secureServers = "localhost:" + broker.boundPort(ListenerName.normalised(SECURE));
        trustedCa = CA.writeCertificate(files.resolve("kafka-ca.pem"));
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()))) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(USER,
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 4096), PASSWORD))).all().get();
            admin.createTopics(List.of(new NewTopic("secure_in", 1, (short) 1), new NewTopic("secure_out", 1, (short) 1)))
                    .all().get();
        }
        // the credential reaches the broker's metadata shortly after; log in over SASL_SSL once it has
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
            try (Admin secure = Admin.create(secureClient(PASSWORD))) {
                return secure.listTopics().names().get().contains("secure_in");
            }
        });
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aStreamReadsFromAndInsertIntoWritesToASaslSslListener() throws Exception {
        try (RunningServer server = RunningServer.start(dataDir);
             Connection connection = DriverManager.getConnection(server.jdbcUrl());
             Statement statement = connection.createStatement()) {
            statement.execute("SET 'checkpoint.interval' = '1 s'");
            statement.execute(stream("secure_in", "secure_in", PASSWORD, "'scan.startup.mode' = 'earliest-offset'"));
            statement.execute(stream("secure_out", "secure_out", PASSWORD, "'delivery.guarantee' = 'exactly-once'"));
            produce("secure_in", "{\"id\": 1, \"amount\": 2.5}", "{\"id\": 2, \"amount\": 4}", "{\"id\": 3, \"amount\": 10}");

            List<String> read = new ArrayList<>();
            try (Statement query = connection.createStatement();
                 ResultSet rows = query.executeQuery("SELECT STREAM id, amount FROM secure_in")) {
                while (read.size() < 3 && rows.next()) {
                    read.add(rows.getInt("id") + "=" + rows.getDouble("amount"));
                }
            }
            assertThat(read).containsExactly("1=2.5", "2=4.0", "3=10.0");

            try (ResultSet started = statement.executeQuery(
                    "INSERT INTO secure_out SELECT STREAM id, amount * 2 AS amount FROM secure_in WHERE amount > 3")) {
                assertThat(started.next()).isTrue();
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> committed("secure_out").size() == 2);
            assertThat(committed("secure_out")).containsExactly("{\"id\":2,\"amount\":8.0}", "{\"id\":3,\"amount\":20.0}");

            String described = text(statement.executeQuery("DESCRIBE secure_in"));
            assertThat(described).contains("properties.sasl.jaas.config | null | null | ******")
                    .contains("properties.security.protocol | null | null | SASL_SSL")
                    .doesNotContain(PASSWORD);
            assertThat(text(statement.executeQuery("SHOW STREAMS"))).doesNotContain(PASSWORD);
            assertThat(text(statement.executeQuery("SHOW QUERIES"))).doesNotContain(PASSWORD);
        }
    }

    @Test
    void aWrongPasswordFailsTheQueryWithoutShowingThePassword() throws Exception {
        String wrong = "not-the-Pa55word";
        try (RunningServer server = RunningServer.start(dataDir);
             Connection connection = DriverManager.getConnection(server.jdbcUrl());
             Statement statement = connection.createStatement()) {
            statement.execute(stream("wrong_password", "secure_in", wrong, "'scan.startup.mode' = 'earliest-offset'"));

            assertThatThrownBy(() -> {
                try (ResultSet rows = statement.executeQuery("SELECT STREAM id FROM wrong_password")) {
                    while (rows.next()) {
                        // no row can arrive: the consumer cannot log in
                    }
                }
            }).isInstanceOf(SQLException.class)
                    .hasMessageContaining("SCRAM-SHA-256")
                    .satisfies(e -> assertThat(fullText(e)).doesNotContain(wrong));
            assertThat(text(statement.executeQuery("SELECT error FROM sys.queries"))).doesNotContain(wrong);
            assertThat(text(statement.executeQuery("DESCRIBE wrong_password"))).doesNotContain(wrong);
        }
    }

    private static String stream(String name, String topic, String password, String extra) {
        String jaas = "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + USER
                + "\" password=\"" + password + "\";";
        return "CREATE STREAM " + name + " (id INT, amount DOUBLE) WITH ('connector' = 'kafka', 'topic' = '" + topic + "', "
                + "'bootstrap.servers' = '" + secureServers + "', 'format' = 'json', "
                + "'properties.security.protocol' = 'SASL_SSL', 'properties.sasl.mechanism' = 'SCRAM-SHA-256', "
                + "'properties.sasl.jaas.config' = '" + jaas + "', "
                + "'properties.ssl.truststore.type' = 'PEM', 'properties.ssl.truststore.location' = '" + trustedCa + "', "
                + extra + ")";
    }

    private static Map<String, Object> secureClient(String password) {
        Map<String, Object> config = new HashMap<>();
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, secureServers);
        config.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_SSL");
        config.put(SaslConfigs.SASL_MECHANISM, "SCRAM-SHA-256");
        config.put(SaslConfigs.SASL_JAAS_CONFIG, "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                + USER + "\" password=\"" + password + "\";");
        config.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PEM");
        config.put(SslConfigs.SSL_TRUSTSTORE_CERTIFICATES_CONFIG, CA.certificatePem());
        return config;
    }

    private static void produce(String topic, String... values) throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()))) {
            for (String value : values) {
                producer.send(new ProducerRecord<>(topic, value)).get();
            }
        }
    }

    /** The committed records of a one-partition topic, read over SASL_SSL. */
    private static List<String> committed(String topic) {
        Map<String, Object> config = secureClient(PASSWORD);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            List<String> values = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (consumer.position(partition) < end && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    values.add(record.value());
                }
            }
            return values;
        }
    }

    private static String text(ResultSet rows) throws SQLException {
        StringBuilder text = new StringBuilder();
        try (rows) {
            int columns = rows.getMetaData().getColumnCount();
            while (rows.next()) {
                for (int i = 1; i <= columns; i++) {
                    text.append(i > 1 ? " | " : "").append(rows.getString(i));
                }
                text.append('\n');
            }
        }
        return text.toString();
    }

    private static String fullText(Throwable e) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            text.append(t).append('\n');
        }
        return text.toString();
    }
}
