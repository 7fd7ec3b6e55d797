package io.weir.connector.kafka;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.connector.DeliveryGuarantee;
import io.weir.spi.connector.ObjectKind;
import io.weir.spi.connector.SourceHarness;
import io.weir.spi.type.DataType;
import io.weir.spi.type.TypeKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Option checks at CREATE time; no broker needed (validation does no I/O). */
class KafkaOptionsTest {
    private static final List<DataType.Field> SCHEMA = List.of(new DataType.Field("id", DataType.of(TypeKind.BIGINT)));

    @TempDir
    Path tempDir;

    private static Map<String, String> options(String... keyValues) {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("connector", "kafka");
        options.put("bootstrap.servers", "127.0.0.1:9");
        for (int i = 0; i < keyValues.length; i += 2) {
            options.put(keyValues[i], keyValues[i + 1]);
        }
        return options;
    }

    private SourceHarness create(ObjectKind kind, Map<String, String> options) {
        return SourceHarness.create("events", kind, SCHEMA, options, tempDir, InstantSource.system());
    }

    private void assertRejected(Map<String, String> options, ErrorCode code, String message) {
        assertThatThrownBy(() -> create(ObjectKind.STREAM, options))
                .isInstanceOfSatisfying(WeirException.class, e -> assertThat(e.errorCode()).isEqualTo(code))
                .hasMessageContaining(message);
    }

    @Test
    void validOptionsAreAcceptedWithoutContactingTheBroker() {
        SourceHarness harness = create(ObjectKind.STREAM, options("topic", "a, b", "group.id", "g", "scan.startup.mode", "group-offsets",
                "properties.fetch.min.bytes", "1"));
        KafkaSettings settings = KafkaSettings.of(harness.context());
        assertThat(settings.topics()).containsExactly("a", "b");
        assertThat(settings.bounded()).isFalse();
        assertThat(settings.startupMode()).isEqualTo(StartupMode.GROUP_OFFSETS);
        Map<String, Object> config = settings.consumerConfig("weir-events-1");
        assertThat(config).containsEntry("fetch.min.bytes", "1").containsEntry("group.id", "g")
                .containsEntry("enable.auto.commit", "false").containsEntry("auto.offset.reset", "earliest")
                .containsEntry("bootstrap.servers", "127.0.0.1:9").containsEntry("client.id", "weir-events-1")
                .containsEntry("max.poll.records", 5000).containsEntry("receive.buffer.bytes", -1);
        assertThat(harness.createSource().isBounded()).isFalse();
    }

    @Test
    void aPersistentQueryCommitsToItsOwnGroupUnlessTheUserNamedOne() {
        SourceHarness harness = create(ObjectKind.STREAM, options("topic", "a"));
        KafkaSettings interactive = KafkaSettings.of(harness.context());
        assertThat(interactive.commitOffsets()).isFalse();
        assertThat(interactive.consumerConfig("c")).doesNotContainKey("group.id");

        KafkaSettings persistent = KafkaSettings.of(harness.context().withReading(List.of(), Optional.of("q7")));
        assertThat(persistent.commitOffsets()).isTrue();
        assertThat(persistent.consumerConfig("c")).containsEntry("group.id", "weir-q7").containsEntry("enable.auto.commit", "false");

        SourceHarness named = create(ObjectKind.STREAM, options("topic", "a", "group.id", "mine"));
        assertThat(KafkaSettings.of(named.context().withReading(List.of(), Optional.of("q7"))).groupId()).contains("mine");
    }

    @Test
    void sinkProducerIsIdempotentForAtLeastOnce() {
        SourceHarness harness = create(ObjectKind.STREAM, options("topic", "a", "properties.acks", "0",
                "properties.compression.type", "lz4"));
        Map<String, Object> config = KafkaSettings.of(harness.context()).producerConfig("p");
        assertThat(config).containsEntry("enable.idempotence", "true").containsEntry("acks", "all")
                .containsEntry("compression.type", "lz4").containsEntry("bootstrap.servers", "127.0.0.1:9")
                .doesNotContainKey("transactional.id");
        assertRejected(options("topic", "a", "properties.value.serializer", "x"), ErrorCode.VALIDATION_ERROR, "'format'");
    }

    @Test
    void sinksDeliverExactlyOnceUnlessTheStreamSaysAtLeastOnce() {
        assertThat(guaranteeOf(options("topic", "a"))).isEqualTo(DeliveryGuarantee.EXACTLY_ONCE);
        assertThat(guaranteeOf(options("topic", "a", "delivery.guarantee", "at-least-once"))).isEqualTo(DeliveryGuarantee.AT_LEAST_ONCE);
        assertThat(guaranteeOf(options("topic", "a", "delivery.guarantee", "exactly-once"))).isEqualTo(DeliveryGuarantee.EXACTLY_ONCE);
        assertRejected(options("topic", "a", "delivery.guarantee", "at-most-once"), ErrorCode.INVALID_OPTION_VALUE, "'delivery.guarantee'");
    }

    @Test
    void theDeprecatedSinkDeliveryGuaranteeMeansAtLeastOnce() {
        // Streams created before 'delivery.guarantee' keep working, with the guarantee they asked for or a stronger one.
        assertThat(guaranteeOf(options("topic", "a", "sink.delivery-guarantee", "at-least-once"))).isEqualTo(DeliveryGuarantee.AT_LEAST_ONCE);
        assertThat(guaranteeOf(options("topic", "a", "sink.delivery-guarantee", "none"))).isEqualTo(DeliveryGuarantee.AT_LEAST_ONCE);
        assertThat(guaranteeOf(options("topic", "a", "sink.delivery-guarantee", "none", "delivery.guarantee", "at-least-once")))
                .isEqualTo(DeliveryGuarantee.AT_LEAST_ONCE);
        assertRejected(options("topic", "a", "sink.delivery-guarantee", "at-least-once", "delivery.guarantee", "exactly-once"),
                ErrorCode.VALIDATION_ERROR, "remove 'sink.delivery-guarantee'");
    }

    @Test
    void exactlyOnceProducerIsTransactionalWithATimeoutAboveTheCheckpointInterval() {
        KafkaSettings settings = KafkaSettings.of(create(ObjectKind.STREAM, options("topic", "a", "properties.acks", "1")).context());
        assertThat(settings.transactionalProducerConfig("p", "weir-q1.out")).containsEntry("transactional.id", "weir-q1.out")
                .containsEntry("transaction.timeout.ms", "60000").containsEntry("enable.idempotence", "true")
                .containsEntry("acks", "all");
        KafkaSettings longer = KafkaSettings.of(create(ObjectKind.STREAM, options("topic", "a",
                "properties.transaction.timeout.ms", "300000")).context());
        assertThat(longer.transactionalProducerConfig("p", "weir-q1.out")).containsEntry("transaction.timeout.ms", "300000");
        assertThat(longer.transactionTimeoutMillis()).isEqualTo("300000");
        assertRejected(options("topic", "a", "properties.transactional.id", "mine"), ErrorCode.VALIDATION_ERROR,
                "names its transactions");
    }

    private DeliveryGuarantee guaranteeOf(Map<String, String> options) {
        return KafkaSettings.of(create(ObjectKind.STREAM, options).context()).deliveryGuarantee();
    }

    @Test
    void consumerDefaultsCanBeOverriddenThroughProperties() {
        SourceHarness harness = create(ObjectKind.STREAM, options("topic", "a", "properties.auto.offset.reset", "latest",
                "properties.max.poll.records", "200", "properties.receive.buffer.bytes", "65536"));
        assertThat(KafkaSettings.of(harness.context()).consumerConfig("c")).containsEntry("auto.offset.reset", "latest")
                .containsEntry("max.poll.records", "200").containsEntry("receive.buffer.bytes", "65536");
    }

    @Test
    void topicOrPatternIsRequiredButNotBoth() {
        assertRejected(options(), ErrorCode.MISSING_OPTION, "add 'topic' = 'name'");
        assertRejected(options("topic", "a", "topic-pattern", "a.*"), ErrorCode.VALIDATION_ERROR, "exclude each other");
        assertRejected(options("topic-pattern", "a(("), ErrorCode.INVALID_OPTION_VALUE, "'topic-pattern'");
    }

    @Test
    void startupModesNeedTheirOptions() {
        assertRejected(options("topic", "a", "scan.startup.mode", "timestamp"), ErrorCode.MISSING_OPTION,
                "'scan.startup.timestamp-millis'");
        assertRejected(options("topic", "a", "scan.startup.timestamp-millis", "5"), ErrorCode.VALIDATION_ERROR,
                "applies only with 'scan.startup.mode' = 'timestamp'");
        assertRejected(options("topic", "a", "scan.startup.mode", "group-offsets"), ErrorCode.MISSING_OPTION, "'group.id'");
        assertRejected(options("topic", "a", "scan.startup.mode", "newest"), ErrorCode.INVALID_OPTION_VALUE,
                "earliest-offset, latest-offset, group-offsets, timestamp");
    }

    @Test
    void settingsWeirOwnsCannotBePassedAsProperties() {
        assertRejected(options("topic", "a", "properties.enable.auto.commit", "true"), ErrorCode.VALIDATION_ERROR,
                "remove 'properties.enable.auto.commit'");
        assertRejected(options("topic", "a", "properties.value.deserializer", "x"), ErrorCode.VALIDATION_ERROR, "'format'");
        assertRejected(options("topic", "a", "properties.group.id", "g"), ErrorCode.VALIDATION_ERROR, "use the option 'group.id'");
    }

    @Test
    void tableNeedsBoundedModeAndCsvHasNoHeader() {
        assertThatThrownBy(() -> create(ObjectKind.TABLE, options("topic", "a")))
                .isInstanceOfSatisfying(WeirException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.VALIDATION_ERROR))
                .hasMessageContaining("'scan.bounded.mode' = 'latest-offset'");
        assertThat(create(ObjectKind.TABLE, options("topic", "a", "scan.bounded.mode", "latest-offset")).createSource().isBounded())
                .isTrue();
        assertRejected(options("topic", "a", "format", "csv", "csv.header", "true"), ErrorCode.VALIDATION_ERROR, "remove 'csv.header'");
    }
}
