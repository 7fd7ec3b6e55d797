package io.weir.spi.connector.ingest;

import io.weir.spi.WeirException;
import io.weir.spi.batch.BatchBuilder;
import io.weir.spi.batch.RowWriter;
import io.weir.spi.connector.CommonOptions;
import io.weir.spi.connector.ConnectorContext;
import io.weir.spi.connector.ConnectorServices;
import io.weir.spi.connector.ObjectKind;
import io.weir.spi.connector.SourceReader;
import io.weir.spi.error.ErrorPolicy;
import io.weir.spi.error.RecordErrorHandler;
import io.weir.spi.error.SourceCounters;
import io.weir.spi.format.FormatFactory;
import io.weir.spi.format.RecordDecodeException;
import io.weir.spi.format.RecordDecoder;
import io.weir.spi.option.ConfigOption;
import io.weir.spi.option.OptionValidator;
import io.weir.spi.option.OptionValues;
import io.weir.spi.type.DataType;
import io.weir.spi.type.TypeKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The http connector's reader over a real channel. The real formats live in weir-formats (which
 * depends on this module), so records here are decoded by a one-column stand-in named 'json'.
 */
class IngestSourceReaderTest {
    private static final String STREAM = "IngestSourceReaderTest_readings";
    private static final List<DataType.Field> SCHEMA = List.of(new DataType.Field("n", DataType.of(TypeKind.BIGINT)));

    @TempDir
    Path dataDir;
    private final SourceCounters counters = new SourceCounters();
    /** The server's services, shared by every reader's context, as in a server. */
    private final ConnectorServices services = new ConnectorServices();
    private final IngestChannels channels = services.ingestChannels();

    @AfterEach
    void closeServices() {
        services.close();
    }

    @Test
    void latestReadersSeeOnlyNewRecordsAndEveryReaderSeesThemAll() {
        IngestChannel channel = channels.channel(STREAM, 100);
        channel.append(numbers(1, 2));
        try (SourceReader first = source(Map.of(), ErrorPolicy.FAIL).createReader();
             SourceReader second = source(Map.of(), ErrorPolicy.FAIL).createReader()) {
            channel.append(numbers(3, 4, 5));

            assertThat(poll(first)).containsExactly(3L, 4L, 5L);
            assertThat(poll(second)).containsExactly(3L, 4L, 5L);
            assertThat(poll(first)).isEmpty();
            assertThat(first.isFinished()).isFalse();
            assertThat(first.splits()).hasSize(1);
        }
        assertThat(counters.read()).isEqualTo(6);
    }

    @Test
    void earliestReadersStartAtTheOldestBufferedRecord() {
        IngestChannel channel = channels.channel(STREAM, 3);
        channel.append(numbers(1, 2, 3, 4));
        try (SourceReader reader = source(Map.of("scan.startup.mode", "earliest", "buffer.max-records", "3"),
                ErrorPolicy.FAIL).createReader()) {
            assertThat(poll(reader)).containsExactly(2L, 3L, 4L);
        }
    }

    @Test
    void aReaderThatFellBehindSkipsTheDroppedRecords() {
        IngestChannel channel = channels.channel(STREAM, 2);
        try (SourceReader reader = source(Map.of("buffer.max-records", "2"), ErrorPolicy.FAIL).createReader()) {
            channel.append(numbers(1, 2, 3, 4, 5));
            assertThat(poll(reader)).containsExactly(4L, 5L);
        }
        assertThat(channel.droppedRecords()).isEqualTo(3);
    }

    @Test
    void undecodableRecordsFollowTheErrorPolicy() {
        IngestChannel channel = channels.channel(STREAM, 100);
        try (SourceReader skipping = source(Map.of("on-error", "skip"), ErrorPolicy.SKIP).createReader();
             SourceReader failing = source(Map.of(), ErrorPolicy.FAIL).createReader()) {
            channel.append(List.of(bytes("1"), bytes("oops"), bytes("2")));

            assertThat(poll(skipping)).containsExactly(1L, 2L);
            assertThat(counters.skipped()).isEqualTo(1);
            assertThatThrownBy(() -> poll(failing)).isInstanceOf(WeirException.class)
                    .hasMessageContaining("POST /ingest/" + STREAM + " record 1").hasMessageContaining("not a number");
        }
    }

    @Test
    void onlyJsonAndCsvAreAccepted() {
        assertThatThrownBy(() -> IngestSettings.of("Stream 's'", options(Map.of()), "avro"))
                .isInstanceOf(WeirException.class).hasMessageContaining("'json'").hasMessageContaining("'csv'");
        assertThatThrownBy(() -> IngestSettings.of("Stream 's'", options(Map.of("buffer.max-records", "0")), "json"))
                .isInstanceOf(WeirException.class).hasMessageContaining("'buffer.max-records'");
    }

    private IngestSource source(Map<String, String> extraOptions, ErrorPolicy policy) {
        OptionValues options = options(extraOptions);
        RecordErrorHandler errors = new RecordErrorHandler(STREAM, ObjectKind.STREAM, policy, null, counters,
                InstantSource.system());
        ConnectorContext context = new ConnectorContext(STREAM, ObjectKind.STREAM, SCHEMA, options,
                Optional.of(new NumberFormat()), errors, dataDir, InstantSource.system()).withServices(services);
        new HttpIngestConnectorFactory().validate(context);
        return (IngestSource) new HttpIngestConnectorFactory().createSource(context);
    }

    private static OptionValues options(Map<String, String> extraOptions) {
        List<ConfigOption> declared = new ArrayList<>(CommonOptions.all());
        declared.addAll(new HttpIngestConnectorFactory().options());
        Map<String, String> raw = new java.util.HashMap<>(extraOptions);
        raw.put("connector", "http");
        raw.putIfAbsent("wal", "false"); // the in-memory channel; the log has tests of its own
        return OptionValidator.validate("connector 'http'", declared, raw);
    }

    private static List<Long> poll(SourceReader reader) {
        BatchBuilder out = new BatchBuilder(SCHEMA);
        reader.poll(out, 100);
        return out.build().rows().stream().map(row -> (Long) row[0]).toList();
    }

    private static List<byte[]> numbers(long... values) {
        List<byte[]> records = new ArrayList<>();
        for (long value : values) {
            records.add(bytes(Long.toString(value)));
        }
        return records;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Decodes a record holding one integer into column 0. */
    private static final class NumberFormat implements FormatFactory {
        @Override
        public String name() {
            return "json";
        }

        @Override
        public String description() {
            return "one integer per record";
        }

        @Override
        public List<ConfigOption> options() {
            return List.of();
        }

        @Override
        public void validate(List<DataType.Field> schema, OptionValues options) {
        }

        @Override
        public RecordDecoder createDecoder(List<DataType.Field> schema, OptionValues options) {
            return (String record, RowWriter out) -> {
                try {
                    out.setLong(0, Long.parseLong(record.trim()));
                    return true;
                } catch (NumberFormatException e) {
                    throw RecordDecodeException.forField("n", "not a number: " + record);
                }
            };
        }
    }
}
