package io.weir.formats.csv;

import io.weir.formats.EncoderHarness;
import io.weir.formats.FormatHarness;
import io.weir.spi.format.FormatFactory;
import io.weir.spi.format.Formats;
import io.weir.spi.type.DataType;
import io.weir.spi.type.TypeKind;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static io.weir.formats.FormatHarness.field;
import static org.assertj.core.api.Assertions.assertThat;

class CsvRecordEncoderTest {
    private static final FormatFactory CSV = Formats.find("csv");
    private static final long TS = Instant.parse("2024-01-15T10:30:00.123Z").toEpochMilli();

    private static final List<DataType.Field> ALL_SCALARS = List.of(
            field("b", DataType.of(TypeKind.BOOLEAN)),
            field("i", DataType.of(TypeKind.INTEGER)),
            field("bi", DataType.of(TypeKind.BIGINT)),
            field("r", DataType.of(TypeKind.REAL)),
            field("d", DataType.of(TypeKind.DOUBLE)),
            field("dec", DataType.decimal(20, 4)),
            field("c", DataType.charType(3)),
            field("s", DataType.varchar()),
            field("day", DataType.of(TypeKind.DATE)),
            field("t", DataType.time(3)),
            field("ts", DataType.timestamp(3)),
            field("bin", DataType.of(TypeKind.VARBINARY)));

    /** An empty VARBINARY is not among them: CSV readers take an empty non-string field for NULL. */
    private static List<Object[]> rows() {
        return List.of(
                new Object[]{true, -2147483648L, Long.MIN_VALUE, 0.5, 1.0E-300, new BigDecimal("-0.0001"), "ab ",
                        "comma, \"quote\"\nnew line \u00e9\uD83D\uDE00", LocalDate.of(2024, 2, 29).toEpochDay(), 86_399_999L, TS,
                        new byte[]{0, (byte) 0xfe, '+', '/'}},
                new Object[]{false, 0L, 1L, Double.NaN, Double.NEGATIVE_INFINITY, new BigDecimal("100000.0000"), "xyz",
                        "", 0L, 0L, -1L, new byte[]{1}},
                new Object[12]);
    }

    private static void assertRoundTrip(Map<String, String> options) {
        FormatHarness harness = EncoderHarness.roundTrip(CSV, ALL_SCALARS, options, rows());
        assertThat(harness.errors()).isEmpty();
        List<Object[]> back = harness.rows();
        assertThat(back).hasSize(rows().size());
        for (int i = 0; i < back.size(); i++) {
            assertThat(back.get(i)).as("row %s", i).isEqualTo(rows().get(i));
        }
    }

    @Test
    void everyScalarTypeRoundTripsWithDefaultOptions() {
        assertRoundTrip(Map.of());
    }

    @Test
    void roundTripsWithHeaderDelimiterQuoteAndNullLiteral() {
        assertRoundTrip(Map.of("csv.header", "true"));
        assertRoundTrip(Map.of("csv.field-delimiter", "\\t", "csv.null-literal", "\\N"));
        assertRoundTrip(Map.of("csv.field-delimiter", ";", "csv.quote-character", "'", "csv.null-literal", "NULL"));
        assertRoundTrip(Map.of("csv.field-delimiter", ":", "csv.header", "true"));
        assertRoundTrip(Map.of("csv.allow-comments", "true"));
    }

    @Test
    void quotesOnlyWhatNeedsQuoting() {
        List<DataType.Field> schema = List.of(field("id", DataType.of(TypeKind.BIGINT)), field("name", DataType.varchar()),
                field("ts", DataType.timestamp(3)), field("note", DataType.varchar()));
        List<String> records = EncoderHarness.encode(CSV, schema, Map.of(), List.of(
                new Object[]{1L, "plain", TS, null},
                new Object[]{2L, "a,b", null, ""},
                new Object[]{3L, "say \"hi\"", TS, "x"}));
        assertThat(records).containsExactly(
                "1,plain,2024-01-15 10:30:00.123,",
                "2,\"a,b\",,\"\"",
                "3,\"say \"\"hi\"\"\",2024-01-15 10:30:00.123,x");
    }

    @Test
    void textEqualToTheNullLiteralIsQuoted() {
        List<DataType.Field> schema = List.of(field("s", DataType.varchar()), field("n", DataType.of(TypeKind.INTEGER)));
        List<String> records = EncoderHarness.encode(CSV, schema, Map.of("csv.null-literal", "NULL"),
                List.of(new Object[]{"NULL", null}, new Object[]{null, 5L}));
        assertThat(records).containsExactly("\"NULL\",NULL", "NULL,5");
    }

    @Test
    void headerIsTheFileHeaderOnlyWhenAskedFor() {
        List<DataType.Field> schema = List.of(field("UserId", DataType.of(TypeKind.BIGINT)), field("a;b", DataType.varchar()));
        assertThat(EncoderHarness.encoder(CSV, schema, Map.of()).fileHeader()).isEmpty();
        assertThat(EncoderHarness.encoder(CSV, schema, Map.of("csv.header", "true")).fileHeader()).hasValue("UserId,a;b");
        assertThat(EncoderHarness.encoder(CSV, schema, Map.of("csv.header", "true", "csv.field-delimiter", ";")).fileHeader())
                .hasValue("UserId;\"a;b\"");
    }

    @Test
    void commentCharacterAtTheStartIsQuotedWhenCommentsAreAllowed() {
        List<DataType.Field> schema = List.of(field("s", DataType.varchar()));
        assertThat(EncoderHarness.encode(CSV, schema, Map.of("csv.allow-comments", "true"), List.<Object[]>of(new Object[]{"#x"})))
                .containsExactly("\"#x\"");
        assertThat(EncoderHarness.encode(CSV, schema, Map.of(), List.<Object[]>of(new Object[]{"#x"})))
                .containsExactly("#x");
    }
}
