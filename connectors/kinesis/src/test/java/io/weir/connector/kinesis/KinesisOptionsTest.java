package io.weir.connector.kinesis;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.connector.MetadataColumn;
import io.weir.spi.connector.SourceHarness;
import io.weir.spi.type.DataType;
import io.weir.spi.type.TypeKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What CREATE STREAM checks of a kinesis stream's options, without reaching Kinesis. */
class KinesisOptionsTest {
    private static final List<DataType.Field> SCHEMA = List.of(new DataType.Field("id", DataType.of(TypeKind.BIGINT)));

    @TempDir
    Path temp;

    private static Map<String, String> options(String... pairs) {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("connector", "kinesis");
        options.put("stream", "orders");
        options.put("aws.region", "eu-west-1");
        for (int i = 0; i < pairs.length; i += 2) {
            options.put(pairs[i], pairs[i + 1]);
        }
        return options;
    }

    private SourceHarness create(Map<String, String> options) {
        return SourceHarness.create("orders", SCHEMA, options, temp);
    }

    private void assertRejected(Map<String, String> options, ErrorCode code, String message) {
        assertThatThrownBy(() -> create(options))
                .isInstanceOfSatisfying(WeirException.class, e -> assertThat(e.errorCode()).isEqualTo(code))
                .hasMessageContaining(message);
    }

    @Test
    void defaultsAreRecordedAndApplied() {
        KinesisSettings settings = KinesisSettings.of(create(options()).context());
        assertThat(settings.startupMode()).isEqualTo(StartupMode.LATEST);
        assertThat(settings.credentials()).isEmpty();
        assertThat(settings.endpoint()).isEmpty();
        assertThat(settings.maxRecordsPerGet()).isEqualTo(1000);
        assertThat(settings.getRecordsInterval()).hasMillis(200);
        assertThat(settings.sinkMaxRetries()).isEqualTo(10);
        assertThat(KinesisConnectorFactory.STARTUP_MODE.defaultValueText()).hasValue("latest");
    }

    @Test
    void credentialsAreSecretAndComeInPairs() {
        assertThat(KinesisConnectorFactory.SECRET_ACCESS_KEY.secret()).isTrue();
        assertThat(KinesisConnectorFactory.ACCESS_KEY_ID.secret()).isTrue();
        assertThat(KinesisConnectorFactory.SESSION_TOKEN.secret()).isTrue();
        assertRejected(options("aws.credentials.access-key-id", "AKIA"), ErrorCode.MISSING_OPTION,
                "'aws.credentials.secret-access-key' is missing");
        assertRejected(options("aws.credentials.session-token", "t"), ErrorCode.MISSING_OPTION,
                "'aws.credentials.access-key-id' is missing");
        KinesisSettings settings = KinesisSettings.of(create(options("aws.credentials.access-key-id", "AKIA",
                "aws.credentials.secret-access-key", "s3cret")).context());
        assertThat(settings.credentials()).isPresent();
        assertThat(settings.toString()).doesNotContain("s3cret").doesNotContain("AKIA");
    }

    @Test
    void badValuesAreRejectedNamingTheOption() {
        assertRejected(options("stream", "no spaces"), ErrorCode.INVALID_OPTION_VALUE, "'stream'");
        assertRejected(options("aws.endpoint", "localhost:4567"), ErrorCode.INVALID_OPTION_VALUE, "'aws.endpoint'");
        assertRejected(options("scan.startup.mode", "at-timestamp"), ErrorCode.MISSING_OPTION,
                "'scan.startup.timestamp-millis' is missing");
        assertRejected(options("scan.startup.timestamp-millis", "1700000000000"), ErrorCode.INVALID_OPTION_VALUE,
                "only with 'scan.startup.mode' = 'at-timestamp'");
        assertRejected(options("scan.get-records.interval", "100 ms"), ErrorCode.INVALID_OPTION_VALUE, "at least '200 ms'");
        assertRejected(options("scan.get-records.max-records", "20000"), ErrorCode.INVALID_OPTION_VALUE, "1 to 10000");
        assertRejected(options("key.fields", "nope"), ErrorCode.VALIDATION_ERROR, "'key.fields' names column 'nope'");
        KinesisSettings timed = KinesisSettings.of(create(options("scan.startup.mode", "at-timestamp",
                "scan.startup.timestamp-millis", "1700000000000")).context());
        assertThat(timed.startTimestamp()).hasValue(1_700_000_000_000L);
    }

    @Test
    void metadataColumnsAreCheckedByKeyAndType() {
        SourceHarness harness = create(options());
        assertThatThrownBy(() -> KinesisMetadata.fillers(harness.context().withReading(
                List.of(new MetadataColumn("x", "offset", DataType.of(TypeKind.BIGINT))), Optional.empty())))
                .isInstanceOf(WeirException.class).hasMessageContaining("available keys: 'shard_id', 'sequence_number'");
        assertThatThrownBy(() -> KinesisMetadata.fillers(harness.context().withReading(
                List.of(new MetadataColumn("x", "shard_id", DataType.of(TypeKind.BIGINT))), Optional.empty())))
                .isInstanceOf(WeirException.class).hasMessageContaining("declare it as CHAR, VARCHAR");
        assertThat(KinesisMetadata.fillers(harness.context().withReading(List.of(
                new MetadataColumn("seq", "sequence_number", DataType.varchar()),
                new MetadataColumn("at", "approximate_arrival_timestamp", DataType.of(TypeKind.BIGINT))), Optional.empty())))
                .hasSize(2);
    }
}
