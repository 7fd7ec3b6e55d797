package io.weir.connector.kafka;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.connector.ConnectorContext;
import io.weir.spi.option.OptionValues;
import io.weir.spi.connector.CommonOptions;
import io.weir.spi.connector.DeliveryGuarantee;
import io.weir.spi.connector.SinkOptions;
import io.weir.spi.error.ErrorPolicy;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteBufferDeserializer;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import static java.util.Objects.requireNonNull;

/**
 * The Kafka connector's options, checked and parsed.
 *
 * @param topics the topics named by {@code 'topic'}; empty when {@code topicPattern} is given
 * @param topicPattern the {@code 'topic-pattern'}
 * @param groupId the consumer group: {@code 'group.id'}, else {@code weir-<consumerId>} for a persistent query
 * @param commitOffsets whether the reader resumes from and commits to {@code groupId} (a persistent query reads)
 * @param groupNamedByUser whether {@code groupId} is the user's {@code 'group.id'} (not one of Weir's per-query groups)
 * @param consumerProperties the {@code 'properties.*'} options without the prefix (for consumers and producers)
 * @param key the {@code 'key.fields'} and {@code 'key.format'}, if given
 * @param deadLetterTopic the {@code 'dead-letter.topic'}
 * @param deliveryGuarantee what a sink promises ({@code 'delivery.guarantee'}, or the deprecated {@code 'sink.delivery-guarantee'});
 *        exactly-once needs a persistent query's writer id, see {@link KafkaSink}
 */
record KafkaSettings(List<String> topics, Optional<Pattern> topicPattern, String bootstrapServers, StartupMode startupMode,
                     OptionalLong startupTimestamp, Optional<String> groupId, boolean commitOffsets, boolean groupNamedByUser,
                     boolean bounded,
                     Map<String, String> consumerProperties, Optional<KeyFormat> key, Optional<String> deadLetterTopic,
                     DeliveryGuarantee deliveryGuarantee) {
    /** Six times the default checkpoint interval (10 s), so that a slow checkpoint does not time the transaction out. */
    static final Duration DEFAULT_TRANSACTION_TIMEOUT = Duration.ofSeconds(60);
    /**
     * A poll hands the reader up to this many records (Kafka's default is 500), about what one fetch of a partition
     * (1 MB by default) holds of records of a few hundred bytes: the consumer's per-poll work is then paid per
     * fetch rather than ten times per fetch. Measured with FlinkComparisonBenchmark over Kafka: see the README.
     * The fetcher's queue bounds the bytes waiting for the reader ({@link KafkaFetcher#QUEUE_BYTES}).
     */
    static final int MAX_POLL_RECORDS = 5000;
    /**
     * The consumer's socket receive buffer: the operating system's, which Linux grows with the connection's
     * throughput, instead of Kafka's fixed 64 KB. With 64 KB a 4 MB fetch response arrives in 64 KB reads, each a
     * round of the consumer's network loop; measured with FlinkComparisonBenchmark over Kafka, the consumer
     * thread took 10-25% less CPU per record, and its network loop no longer reached the JIT's C2 compiler mid-query.
     */
    static final int RECEIVE_BUFFER_BYTES = -1;
    /** Consumer settings Weir decides; users set them through dedicated options or not at all. */
    private static final Map<String, String> RESERVED = Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "use the option 'bootstrap.servers'",
            ConsumerConfig.GROUP_ID_CONFIG, "use the option 'group.id'",
            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, "records are decoded by the 'format'",
            ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, "records are decoded by the 'format'",
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "Weir commits the offsets of persistent queries itself",
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, "record keys are encoded by the 'key.format'",
            ProducerConfig.TRANSACTIONAL_ID_CONFIG, "an exactly-once sink names its transactions 'weir-<query id>.<stream>' itself",
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, "records are encoded by the 'format'");

    KafkaSettings {
        topics = List.copyOf(requireNonNull(topics, "topics is null"));
        requireNonNull(topicPattern, "topicPattern is null");
        requireNonNull(bootstrapServers, "bootstrapServers is null");
        requireNonNull(startupMode, "startupMode is null");
        requireNonNull(startupTimestamp, "startupTimestamp is null");
        requireNonNull(groupId, "groupId is null");
        consumerProperties = Map.copyOf(requireNonNull(consumerProperties, "consumerProperties is null"));
        requireNonNull(key, "key is null");
        requireNonNull(deadLetterTopic, "deadLetterTopic is null");
        requireNonNull(deliveryGuarantee, "deliveryGuarantee is null");
        if (commitOffsets && groupId.isEmpty()) {
            throw new IllegalArgumentException("committing offsets needs a group");
        }
    }

    static KafkaSettings of(ConnectorContext context) {
        OptionValues options = context.options();
        List<String> topics = options.list(KafkaConnectorFactory.TOPIC);
        Optional<String> patternText = options.getString(KafkaConnectorFactory.TOPIC_PATTERN);
        if (topics.isEmpty() == patternText.isEmpty()) {
            throw new WeirException(topics.isEmpty() ? ErrorCode.MISSING_OPTION : ErrorCode.VALIDATION_ERROR, context.describe()
                    + (topics.isEmpty() ? ": add 'topic' = 'name' (or a comma-separated list) or 'topic-pattern' = 'regex' to WITH (...)"
                    : ": 'topic' and 'topic-pattern' exclude each other; keep one of them"));
        }
        Optional<Pattern> pattern;
        try {
            pattern = patternText.map(Pattern::compile);
        } catch (PatternSyntaxException e) {
            throw invalid(KafkaConnectorFactory.TOPIC_PATTERN.key(), patternText.get(), "not a regular expression: " + e.getDescription());
        }
        String servers = options.string(KafkaConnectorFactory.BOOTSTRAP_SERVERS).trim();
        if (servers.isEmpty()) {
            throw invalid(KafkaConnectorFactory.BOOTSTRAP_SERVERS.key(), servers, "give at least one host:port");
        }
        StartupMode mode = StartupMode.fromOptionValue(options.string(KafkaConnectorFactory.STARTUP_MODE));
        OptionalLong timestamp = options.getLong(KafkaConnectorFactory.STARTUP_TIMESTAMP)
                .map(OptionalLong::of).orElse(OptionalLong.empty());
        if (mode == StartupMode.TIMESTAMP && timestamp.isEmpty()) {
            throw new WeirException(ErrorCode.MISSING_OPTION, context.describe() + ": 'scan.startup.mode' = 'timestamp' needs "
                    + "'scan.startup.timestamp-millis' = '<milliseconds since the epoch>'");
        }
        if (mode != StartupMode.TIMESTAMP && timestamp.isPresent()) {
            throw new WeirException(ErrorCode.VALIDATION_ERROR, context.describe() + ": 'scan.startup.timestamp-millis' applies only "
                    + "with 'scan.startup.mode' = 'timestamp'; set that mode or remove the timestamp");
        }
        if (timestamp.isPresent() && timestamp.getAsLong() < 0) {
            throw invalid(KafkaConnectorFactory.STARTUP_TIMESTAMP.key(), Long.toString(timestamp.getAsLong()), "must not be negative");
        }
        Optional<String> groupId = options.getString(KafkaConnectorFactory.GROUP_ID).map(String::trim).filter(id -> !id.isEmpty());
        if (mode == StartupMode.GROUP_OFFSETS && groupId.isEmpty()) {
            throw new WeirException(ErrorCode.MISSING_OPTION, context.describe() + ": 'scan.startup.mode' = 'group-offsets' needs "
                    + "'group.id' = '<consumer group>'");
        }
        Map<String, String> properties = options.withPrefix(KafkaConnectorFactory.PROPERTIES);
        for (String key : properties.keySet()) {
            String reason = RESERVED.get(key.toLowerCase(Locale.ROOT));
            if (reason != null) {
                throw new WeirException(ErrorCode.VALIDATION_ERROR, context.describe() + ": remove 'properties." + key + "': " + reason);
            }
        }
        boolean bounded = options.string(KafkaConnectorFactory.BOUNDED_MODE).equals(KafkaConnectorFactory.BOUNDED_LATEST);
        List<String> keyFields = options.list(KafkaConnectorFactory.KEY_FIELDS);
        Optional<String> keyFormatName = options.getString(KafkaConnectorFactory.KEY_FORMAT).map(f -> f.trim().toLowerCase(Locale.ROOT));
        if (keyFormatName.isPresent() && keyFields.isEmpty()) {
            throw new WeirException(ErrorCode.MISSING_OPTION, context.describe() + ": 'key.format' needs 'key.fields' = "
                    + "'<column>[, <column>...]', the columns the record key holds");
        }
        Optional<KeyFormat> key = keyFields.isEmpty() ? Optional.empty()
                : Optional.of(KeyFormat.of(context, keyFields, keyFormatName.orElse(KafkaConnectorFactory.DEFAULT_KEY_FORMAT)));
        Optional<String> deadLetterTopic = options.getString(KafkaConnectorFactory.DEAD_LETTER_TOPIC).map(String::trim)
                .filter(topic -> !topic.isEmpty());
        if (deadLetterTopic.isPresent() && CommonOptions.errorPolicy(options) != ErrorPolicy.DEAD_LETTER) {
            throw new WeirException(ErrorCode.VALIDATION_ERROR, context.describe() + ": 'dead-letter.topic' receives the records "
                    + "that cannot be decoded under 'on-error' = 'dead-letter'; add that option or remove 'dead-letter.topic'");
        }
        if (deadLetterTopic.isPresent() && topics.contains(deadLetterTopic.get())) {
            throw new WeirException(ErrorCode.VALIDATION_ERROR, context.describe() + ": 'dead-letter.topic' must not be a topic "
                    + "the stream reads ('" + deadLetterTopic.get() + "'); bad records would be read again");
        }
        DeliveryGuarantee deliveryGuarantee = deliveryGuarantee(context);
        // A persistent query resumes from its own group unless the user named one.
        boolean commitOffsets = context.consumerId().isPresent();
        Optional<String> group = groupId.isPresent() || !commitOffsets ? groupId : Optional.of(groupOf(context.consumerId().get()));
        return new KafkaSettings(topics, pattern, servers, mode, timestamp, group, commitOffsets, groupId.isPresent(), bounded,
                properties, key,
                deadLetterTopic, deliveryGuarantee);
    }

    /**
     * {@code 'delivery.guarantee'}, or {@code 'at-least-once'} for a stream that still sets the deprecated
     * {@code 'sink.delivery-guarantee'} (its 'none' was never safer than at-least-once, which now replaces it);
     * both set must agree.
     */
    private static DeliveryGuarantee deliveryGuarantee(ConnectorContext context) {
        OptionValues options = context.options();
        DeliveryGuarantee chosen = SinkOptions.deliveryGuarantee(options, KafkaConnectorFactory.DELIVERY_GUARANTEE);
        if (!options.isSet(KafkaConnectorFactory.LEGACY_DELIVERY_GUARANTEE)) {
            return chosen;
        }
        if (options.isSet(KafkaConnectorFactory.DELIVERY_GUARANTEE) && chosen != DeliveryGuarantee.AT_LEAST_ONCE) {
            throw new WeirException(ErrorCode.VALIDATION_ERROR, context.describe() + ": 'sink.delivery-guarantee' is the deprecated"
                    + " form of 'delivery.guarantee' and means at-least-once; remove 'sink.delivery-guarantee'");
        }
        return DeliveryGuarantee.AT_LEAST_ONCE;
    }

    /** Whether the stream sets the deprecated {@code 'sink.delivery-guarantee'} (for a warning when a sink starts). */
    static boolean usesLegacyDeliveryOption(ConnectorContext context) {
        return context.options().isSet(KafkaConnectorFactory.LEGACY_DELIVERY_GUARANTEE);
    }

    /** The consumer group in which Weir keeps the offsets of a persistent query's consumer. */
    static String groupOf(String consumerId) {
        return "weir-" + consumerId;
    }

    /** These settings resuming from and committing to {@code group}: how the consumer {@code group} stands for would read alone. */
    KafkaSettings committingTo(String group) {
        return new KafkaSettings(topics, topicPattern, bootstrapServers, startupMode, startupTimestamp, Optional.of(group), true, false,
                bounded, consumerProperties, key, deadLetterTopic, deliveryGuarantee);
    }

    /** These settings for a reader by offsets: no group of its own, it commits for the consumers it reads for. */
    KafkaSettings withoutGroup() {
        return new KafkaSettings(topics, topicPattern, bootstrapServers, startupMode, startupTimestamp, Optional.empty(), false, false,
                bounded, consumerProperties, key, deadLetterTopic, deliveryGuarantee);
    }

    /** What the reader reads, for messages: {@code topic 'a'}, {@code topics 'a', 'b'} or {@code topics matching 'x.*'}. */
    String describeTopics() {
        if (topicPattern.isPresent()) {
            return "topics matching '" + topicPattern.get().pattern() + "'";
        }
        return (topics.size() == 1 ? "topic '" : "topics '") + String.join("', '", topics) + "'";
    }

    /** The configuration of one reader's consumer. */
    Map<String, Object> consumerConfig(String clientId) {
        Map<String, Object> config = new LinkedHashMap<>();
        // Defaults that users may override through 'properties.*'.
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        // what exactly-once writers (Weir's Kafka sink among them) aborted is never read, and what they commit is read once
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, MAX_POLL_RECORDS);
        config.put(ConsumerConfig.RECEIVE_BUFFER_CONFIG, RECEIVE_BUFFER_BYTES);
        config.putAll(consumerProperties);
        // Settings Weir relies on (RESERVED keeps users from setting them).
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        // The value as a slice of the fetched buffer: the decoder reads it in place, without a copy per record.
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteBufferDeserializer.class.getName());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        groupId.ifPresent(id -> config.put(ConsumerConfig.GROUP_ID_CONFIG, id));
        return config;
    }

    /** The configuration of an admin client, which commits the offsets of consumers a reader by offsets reads for. */
    Map<String, Object> adminConfig(String clientId) {
        Map<String, Object> config = new LinkedHashMap<>(consumerProperties);
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId);
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return config;
    }

    /**
     * The configuration of an at-least-once sink's (or a dead-letter topic's) producer: every write
     * acknowledged by all in-sync replicas, retries without duplicates or reordering.
     */
    Map<String, Object> producerConfig(String clientId) {
        return producerConfig(clientId, Map.of());
    }

    /**
     * The configuration of an exactly-once sink's transactional producer. A transaction stays open from
     * the first row after a checkpoint until the next checkpoint completes, so its timeout must be well
     * above the checkpoint interval; users may set 'properties.transaction.timeout.ms'.
     */
    Map<String, Object> transactionalProducerConfig(String clientId, String transactionalId) {
        Map<String, Object> config = producerConfig(clientId,
                Map.of(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, Long.toString(DEFAULT_TRANSACTION_TIMEOUT.toMillis())));
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, requireNonNull(transactionalId, "transactionalId is null"));
        return config;
    }

    /** The transaction timeout an exactly-once sink's producer uses, for messages. */
    String transactionTimeoutMillis() {
        return consumerProperties.getOrDefault(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG,
                Long.toString(DEFAULT_TRANSACTION_TIMEOUT.toMillis()));
    }

    private Map<String, Object> producerConfig(String clientId, Map<String, String> defaults) {
        Map<String, Object> config = new LinkedHashMap<>();
        // Defaults that users may override through 'properties.*'.
        config.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        config.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        config.putAll(defaults);
        config.putAll(consumerProperties);
        // Settings Weir relies on.
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        return config;
    }

    private static WeirException invalid(String key, String value, String problem) {
        return new WeirException(ErrorCode.INVALID_OPTION_VALUE, "Invalid value '" + value + "' for option '" + key + "': " + problem);
    }
}
