package io.weir.connector.kinesis;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.connector.ConnectorContext;
import io.weir.spi.option.ConfigOption;
import io.weir.spi.option.OptionValues;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import static io.weir.connector.kinesis.KinesisConnectorFactory.ACCESS_KEY_ID;
import static io.weir.connector.kinesis.KinesisConnectorFactory.ENDPOINT;
import static io.weir.connector.kinesis.KinesisConnectorFactory.GET_RECORDS_INTERVAL;
import static io.weir.connector.kinesis.KinesisConnectorFactory.KEY_FIELDS;
import static io.weir.connector.kinesis.KinesisConnectorFactory.MAX_RECORDS_PER_GET;
import static io.weir.connector.kinesis.KinesisConnectorFactory.REGION;
import static io.weir.connector.kinesis.KinesisConnectorFactory.SECRET_ACCESS_KEY;
import static io.weir.connector.kinesis.KinesisConnectorFactory.SESSION_TOKEN;
import static io.weir.connector.kinesis.KinesisConnectorFactory.SINK_MAX_RETRIES;
import static io.weir.connector.kinesis.KinesisConnectorFactory.STARTUP_MODE;
import static io.weir.connector.kinesis.KinesisConnectorFactory.STARTUP_TIMESTAMP;
import static io.weir.connector.kinesis.KinesisConnectorFactory.STREAM;
import static java.util.Objects.requireNonNull;

/**
 * The Kinesis connector's options, checked and parsed.
 *
 * @param credentials present when the options name the key; empty for the AWS default chain
 * @param startTimestamp for {@link StartupMode#AT_TIMESTAMP}, epoch milliseconds
 */
record KinesisSettings(String stream, String region, Optional<URI> endpoint, Optional<Credentials> credentials,
                       StartupMode startupMode, Optional<Long> startTimestamp, int maxRecordsPerGet,
                       Duration getRecordsInterval, List<String> keyFields, int sinkMaxRetries) {

    /** Static credentials; {@link #toString()} never shows them. */
    record Credentials(String accessKeyId, String secretAccessKey, Optional<String> sessionToken) {
        Credentials {
            requireNonNull(accessKeyId, "accessKeyId is null");
            requireNonNull(secretAccessKey, "secretAccessKey is null");
            requireNonNull(sessionToken, "sessionToken is null");
        }

        @Override
        public String toString() {
            return "Credentials[***]";
        }
    }

    KinesisSettings {
        requireNonNull(stream, "stream is null");
        requireNonNull(region, "region is null");
        requireNonNull(endpoint, "endpoint is null");
        requireNonNull(credentials, "credentials is null");
        requireNonNull(startupMode, "startupMode is null");
        requireNonNull(startTimestamp, "startTimestamp is null");
        requireNonNull(getRecordsInterval, "getRecordsInterval is null");
        keyFields = List.copyOf(keyFields);
    }

    static KinesisSettings of(ConnectorContext context) {
        OptionValues options = context.options();
        String stream = options.string(STREAM).trim();
        if (!stream.matches("[a-zA-Z0-9_.-]{1,128}")) {
            throw invalid(options, STREAM, "a Kinesis stream name has 1 to 128 letters, digits, '_', '.' and '-'");
        }
        String region = options.string(REGION).trim();
        if (!region.matches("[a-z0-9-]+")) {
            throw invalid(options, REGION, "name an AWS region such as 'us-east-1'");
        }
        Optional<URI> endpoint = options.getString(ENDPOINT).map(String::trim).filter(s -> !s.isEmpty())
                .map(text -> endpoint(options, text));
        StartupMode mode = StartupMode.of(options.string(STARTUP_MODE));
        Optional<Long> timestamp = options.getLong(STARTUP_TIMESTAMP);
        if (mode == StartupMode.AT_TIMESTAMP && timestamp.isEmpty()) {
            throw new WeirException(ErrorCode.MISSING_OPTION, context.describe() + ": option 'scan.startup.timestamp-millis'"
                    + " is missing: 'scan.startup.mode' = 'at-timestamp' starts at that time (milliseconds since the epoch)");
        }
        if (timestamp.isPresent() && timestamp.get() < 0) {
            throw invalid(options, STARTUP_TIMESTAMP, "milliseconds since 1970-01-01 cannot be negative");
        }
        if (mode != StartupMode.AT_TIMESTAMP && timestamp.isPresent()) {
            throw invalid(options, STARTUP_TIMESTAMP, "it applies only with 'scan.startup.mode' = 'at-timestamp'");
        }
        int maxRecords = options.integer(MAX_RECORDS_PER_GET);
        if (maxRecords < 1 || maxRecords > 10_000) {
            throw invalid(options, MAX_RECORDS_PER_GET, "GetRecords returns 1 to 10000 records");
        }
        Duration interval = options.duration(GET_RECORDS_INTERVAL);
        if (interval.toMillis() < 200) {
            throw invalid(options, GET_RECORDS_INTERVAL, "Kinesis allows 5 GetRecords calls per second and shard: at least '200 ms'");
        }
        int retries = options.integer(SINK_MAX_RETRIES);
        if (retries < 0) {
            throw invalid(options, SINK_MAX_RETRIES, "cannot be negative");
        }
        List<String> keyFields = options.isSet(KEY_FIELDS)
                ? options.list(KEY_FIELDS).stream().map(String::trim).filter(s -> !s.isEmpty()).toList() : List.of();
        return new KinesisSettings(stream, region, endpoint, credentials(options), mode, timestamp, maxRecords, interval,
                keyFields, retries);
    }

    private static Optional<Credentials> credentials(OptionValues options) {
        Optional<String> id = options.getString(ACCESS_KEY_ID).map(String::trim).filter(s -> !s.isEmpty());
        Optional<String> secret = options.getString(SECRET_ACCESS_KEY).map(String::trim).filter(s -> !s.isEmpty());
        Optional<String> token = options.getString(SESSION_TOKEN).map(String::trim).filter(s -> !s.isEmpty());
        if (id.isEmpty() && secret.isEmpty()) {
            if (token.isPresent()) {
                throw missing(ACCESS_KEY_ID, "a session token belongs to an access key: set 'aws.credentials.access-key-id'"
                        + " and 'aws.credentials.secret-access-key' too");
            }
            return Optional.empty();
        }
        if (id.isEmpty() || secret.isEmpty()) {
            ConfigOption absent = id.isEmpty() ? ACCESS_KEY_ID : SECRET_ACCESS_KEY;
            throw missing(absent, "static credentials need both 'aws.credentials.access-key-id' and "
                    + "'aws.credentials.secret-access-key'; leave both out for the AWS default credentials chain");
        }
        return Optional.of(new Credentials(id.get(), secret.get(), token));
    }

    private static URI endpoint(OptionValues options, String text) {
        try {
            URI uri = new URI(text);
            if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
                    || uri.getHost() == null) {
                throw invalid(options, ENDPOINT, "an http:// or https:// URL with a host, e.g. 'http://localhost:4567'");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw invalid(options, ENDPOINT, "not a URL: " + e.getReason());
        }
    }

    /** The indexes of the {@code 'key.fields'} columns in the physical schema, in their order. */
    int[] partitionKeyColumns(ConnectorContext context) {
        int[] columns = new int[keyFields.size()];
        for (int i = 0; i < columns.length; i++) {
            String name = keyFields.get(i);
            OptionalInt index = context.columnIndex(name);
            if (index.isEmpty()) {
                throw new WeirException(ErrorCode.VALIDATION_ERROR, context.describe() + ": 'key.fields' names column '" + name
                        + "', which does not exist; columns: " + context.schema().stream().map(f -> f.name()).toList());
            }
            columns[i] = index.getAsInt();
        }
        return columns;
    }

    private static WeirException missing(ConfigOption option, String problem) {
        return new WeirException(ErrorCode.MISSING_OPTION, "Option '" + option.key() + "' is missing: " + problem);
    }

    private static WeirException invalid(OptionValues options, ConfigOption option, String problem) {
        String value = option.secret() ? "***" : options.raw().getOrDefault(option.key(), option.defaultValueText().orElse(""));
        return new WeirException(ErrorCode.INVALID_OPTION_VALUE, "Invalid value '" + value + "' for option '"
                + option.key() + "': " + problem);
    }
}
