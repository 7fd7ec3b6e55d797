package io.weir.formats.json;

import io.weir.spi.batch.Batch;
import io.weir.spi.batch.BatchBuilder;
import io.weir.spi.connector.ObjectKind;
import io.weir.spi.error.DeadLetter;
import io.weir.spi.error.ErrorPolicy;
import io.weir.spi.error.InMemoryDeadLetterSink;
import io.weir.spi.error.RecordErrorHandler;
import io.weir.spi.error.SourceCounters;
import io.weir.spi.format.FormatFactory;
import io.weir.spi.format.Formats;
import io.weir.spi.format.RecordDecodeException;
import io.weir.spi.format.RecordDecoder;
import io.weir.spi.option.OptionValidator;
import io.weir.spi.type.DataType;
import io.weir.spi.type.Projection;
import io.weir.spi.type.TypeKind;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static io.weir.formats.FormatHarness.field;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code 'format' = 'json'} with a projection: the columns read are filled as without one, the others
 * are NULL, and their fields are skipped (only their syntax is checked). The fast path over bytes is
 * compared with Jackson's on records of every shape, valid and not.
 */
class JsonProjectionTest {
    private static final FormatFactory JSON = Formats.find("json");

    /** One column of each type the format reads. */
    private static final List<DataType.Field> ALL_TYPES = List.of(
            field("b", DataType.of(TypeKind.BOOLEAN)),
            field("t", DataType.of(TypeKind.TINYINT)),
            field("s", DataType.of(TypeKind.SMALLINT)),
            field("i", DataType.of(TypeKind.INTEGER)),
            field("l", DataType.of(TypeKind.BIGINT)),
            field("r", DataType.of(TypeKind.REAL)),
            field("d", DataType.of(TypeKind.DOUBLE)),
            field("dec", DataType.decimal(10, 2)),
            field("c", DataType.charType(3)),
            field("v", DataType.varchar()),
            field("bin", DataType.of(TypeKind.VARBINARY)),
            field("day", DataType.of(TypeKind.DATE)),
            field("tod", DataType.time(3)),
            field("ts", DataType.timestamp(3)),
            field("arr", DataType.array(DataType.of(TypeKind.INTEGER))),
            field("m", DataType.map(DataType.varchar(), DataType.of(TypeKind.BIGINT))),
            field("row", DataType.row(List.of(field("x", DataType.of(TypeKind.INTEGER)), field("y", DataType.varchar())))));

    private static final String ALL_VALUES = "{\"b\": true, \"t\": -5, \"s\": 300, \"i\": 70000, \"l\": 9000000000, \"r\": 1.5,"
            + " \"d\": -2.25e3, \"dec\": 12.345, \"c\": \"ab\", \"v\": \"h\\u00e9llo \\\"q\\\"\", \"bin\": \"AQI=\","
            + " \"day\": \"2024-01-15\", \"tod\": \"10:30:00.250\", \"ts\": \"2024-01-15 10:30:00.123\","
            + " \"arr\": [1, null, 3], \"m\": {\"k\": 1}, \"row\": {\"y\": \"why\", \"x\": 7}}";

    private static RecordDecoder decoder(List<DataType.Field> schema, Projection projection, boolean fastPath) {
        return new JsonRecordDecoder(schema, false, projection, fastPath);
    }

    /** The row, or the error's reason, decoding {@code record} as bytes. */
    private static Object decode(RecordDecoder decoder, List<DataType.Field> schema, String record) {
        BatchBuilder out = new BatchBuilder(schema, 2);
        byte[] bytes = record.getBytes(StandardCharsets.UTF_8);
        try {
            if (!decoder.decode(bytes, 0, bytes.length, out)) {
                return "no row";
            }
            out.commitRow();
        } catch (RecordDecodeException e) {
            out.abortRow();
            return "error: " + e.reason();
        }
        Batch batch = out.build();
        return Arrays.asList(batch.row(0));
    }

    private static Object decodeText(RecordDecoder decoder, List<DataType.Field> schema, String record) {
        BatchBuilder out = new BatchBuilder(schema, 2);
        try {
            if (!decoder.decode(record, out)) {
                return "no row";
            }
            out.commitRow();
        } catch (RecordDecodeException e) {
            out.abortRow();
            return "error: " + e.reason();
        }
        return Arrays.asList(out.build().row(0));
    }

    @Test
    void everyTypeReadsTheSameWithAndWithoutAProjection() {
        List<?> whole = (List<?>) decode(decoder(ALL_TYPES, Projection.all(), true), ALL_TYPES, ALL_VALUES);
        assertThat(whole.get(0)).isEqualTo(true);
        assertThat(whole.get(7)).isEqualTo(new BigDecimal("12.35"));
        assertThat(whole.get(9)).isEqualTo("h\u00e9llo \"q\"");
        assertThat(whole.get(13)).isEqualTo(Instant.parse("2024-01-15T10:30:00.123Z").toEpochMilli());
        assertThat(whole).doesNotContainNull();
        for (int column = 0; column < ALL_TYPES.size(); column++) {
            List<?> one = (List<?>) decode(decoder(ALL_TYPES, Projection.of(column), true), ALL_TYPES, ALL_VALUES);
            for (int other = 0; other < ALL_TYPES.size(); other++) {
                if (other == column) {
                    assertThat(one.get(other)).as(ALL_TYPES.get(column).name()).usingRecursiveComparison().isEqualTo(whole.get(other));
                } else {
                    assertThat(one.get(other)).as("column %s not read", ALL_TYPES.get(other).name()).isNull();
                }
            }
        }
    }

    @Test
    void fieldsNotReadAreSkippedWithoutConversion() {
        List<DataType.Field> schema = List.of(field("id", DataType.of(TypeKind.BIGINT)),
                field("n", DataType.of(TypeKind.INTEGER).withNullable(false)), field("ts", DataType.timestamp(3)));
        RecordDecoder idOnly = decoder(schema, Projection.of(0), true);
        // a wrong type, an out-of-range number and a missing NOT NULL value in columns not read are no error
        assertThat(decode(idOnly, schema, "{\"id\": 1, \"n\": \"many\", \"ts\": [1, {\"a\": null}]}")).isEqualTo(Arrays.asList(1L, null, null));
        assertThat(decode(idOnly, schema, "{\"n\": 99999999999, \"id\": 2}")).isEqualTo(Arrays.asList(2L, null, null));
        assertThat(decode(idOnly, schema, "{\"id\": 3}")).isEqualTo(Arrays.asList(3L, null, null));
        // unknown fields, nested or not, are skipped; a missing column read is NULL
        assertThat(decode(decoder(schema, Projection.of(0, 2), true), schema,
                "{\"meta\": {\"deep\": [[], {}, \"x\\\"y\", -1.5e-3, true, null]}, \"ts\": 1700000000000}"))
                .isEqualTo(Arrays.asList(null, null, 1_700_000_000_000L));
        // the columns read are still checked
        assertThat(decode(decoder(schema, Projection.of(1), true), schema, "{\"id\": 1}"))
                .isEqualTo("error: field 'n': missing, but the column is NOT NULL");
        assertThat(decode(decoder(schema, Projection.of(0), true), schema, "{\"id\": \"x\"}"))
                .isEqualTo(decode(decoder(schema, Projection.all(), false), schema, "{\"id\": \"x\"}"));
    }

    @Test
    void malformedJsonInAFieldNotReadIsAnError() {
        List<DataType.Field> schema = List.of(field("id", DataType.of(TypeKind.BIGINT)), field("note", DataType.varchar()));
        RecordDecoder idOnly = decoder(schema, Projection.of(0), true);
        for (String record : List.of("{\"id\": 1, \"note\": \"unterminated}", "{\"id\": 1, \"note\": tru}",
                "{\"id\": 1, \"note\": [1, 2}", "{\"id\": 1, \"note\": 01}", "{\"id\": 1, \"note\": \"bad \\q escape\"}",
                "{\"id\": 1, \"note\": \"x\"} trailing", "{\"id\": 1 \"note\": 2}")) {
            assertThat(decode(idOnly, schema, record)).as(record).asString().startsWith("error: ");
            assertThat(decode(idOnly, schema, record)).as(record).isEqualTo(decode(decoder(schema, Projection.of(0), false), schema, record));
        }
    }

    @Test
    void aRecordFailingInAFieldNotReadIsDeadLetteredWhole() {
        List<DataType.Field> schema = List.of(field("id", DataType.of(TypeKind.BIGINT)), field("note", DataType.varchar()));
        InMemoryDeadLetterSink sink = new InMemoryDeadLetterSink();
        RecordErrorHandler errors = new RecordErrorHandler("s", ObjectKind.STREAM, ErrorPolicy.DEAD_LETTER, sink,
                new SourceCounters(), InstantSource.fixed(Instant.EPOCH));
        RecordDecoder idOnly = JSON.createDecoder(schema, OptionValidator.validate("format 'json'", JSON.options(), Map.of()),
                Projection.of(0));
        BatchBuilder out = new BatchBuilder(schema, 4);
        String bad = "{\"id\": 1, \"note\": \"no end}";
        assertThat(errors.decodeInto(idOnly, bad.getBytes(StandardCharsets.UTF_8), out, 0, () -> "record 1")).isFalse();
        assertThat(errors.decodeInto(idOnly, "{\"id\": 2, \"note\": 5}", out, 0, () -> "line 2")).isTrue();
        List<DeadLetter> letters = sink.letters();
        assertThat(letters).hasSize(1);
        assertThat(new String(letters.get(0).raw(), StandardCharsets.UTF_8)).isEqualTo(bad);
        assertThat(out.build().rows()).containsExactly(new Object[] {2L, null});
    }

    /** Records of every shape: the fast path must give what Jackson gives, row or error, for each projection. */
    @Test
    void theFastPathAgreesWithJackson() {
        List<String> records = new ArrayList<>(List.of(ALL_VALUES, "{}", " \t{ \"l\" :1 , \"L\": 2 }\r\n", "[1]", "\"x\"", "",
                "{\"b\": \"true\", \"t\": 128, \"s\": \"12\", \"i\": 1.0, \"l\": 123456789012345678901, \"r\": 3.4e39}",
                "{\"d\": NaN, \"l\": -0, \"r\": -0.0}", "{\"d\": 0.1, \"r\": 1e-5, \"dec\": \"7\"}",
                "{\"d\": 123456789012345678, \"l\": -9223372036854775808}", "{\"d\": 1.7976931348623157e308, \"r\": 5e-324}",
                "{\"ts\": 1700000000123, \"tod\": 1000}", "{\"ts\": \"2024-02-30 00:00:00\"}", "{\"ts\": \"2024-01-15T10:30:00+02:00\"}",
                "{\"ts\": \"2024-01-15T10:30:00.123456789Z\", \"day\": 19000}", "{\"ts\": \"2024-01-15\"}", "{\"ts\": \" 2024-01-15 10:30:00\"}",
                "{\"ts\": 1.5e3}", "{\"c\": \"abcd\", \"v\": 12}", "{\"c\": \"ab  \", \"v\": {\"nested\": [1]}}",
                "{\"v\": \"caf\u00e9 \u20ac \ud83d\ude00\"}", "{\"v\": \"tab\\there\\u0041\"}", "{\"v\": \"raw\ttab\"}",
                "{\"v\": null, \"b\": null}", "{\"\\u0076\": \"escaped name\"}", "{\"V\": \"upper\", \"Ts\": 5}",
                "{\"v\": \"one\", \"v\": \"two\"}", "{\"arr\": [1, \"2\", 3.0], \"m\": {\"a\": null}, \"row\": [1, \"p\"]}",
                "{\"arr\": 5}", "{\"row\": {\"x\": \"nope\"}}", "{\"b\": tru}", "{\"l\": 1", "{\"l\": 1}}", "{\"l\": +1}",
                "{\"l\": 1.}", "{\"l\": .5}", "{\"l\": 1e}", "{\"l\": 00}", "{\"l\": -}", "{\"v\": \"x\" \"l\": 1}",
                "{\"l\": 1,}", "{,}", "{\"l\" 1}", "{\"u\": [1, [2, [3, {\"k\": [true, false, null]}]]]}", "{\"u\": [}",
                "{\"u\": {\"k\" 1}}", "{\"u\": \"\\ud800\"}", "{\"u\": \"\\u12g4\"}"));
        records.add("{\"v\": \"" + "long string ".repeat(40) + "\", \"l\": 4}");
        // whole numbers of every length around the eight digits read at once, in every position of a word
        java.util.Random random = new java.util.Random(11);
        for (int digits = 1; digits <= 20; digits++) {
            StringBuilder number = new StringBuilder().append((char) ('1' + random.nextInt(9)));
            for (int i = 1; i < digits; i++) {
                number.append((char) ('0' + random.nextInt(10)));
            }
            String padding = " ".repeat(digits % 8);
            records.add("{" + padding + "\"l\":" + number + ",\"i\":-" + number + "}");
            records.add("{\"ts\":" + number + " ,\"t\":" + number + "}");
            records.add("{\"l\":" + number + "5x}");
            records.add("{\"l\":0" + number + "}");
        }
        for (int column = -1; column < ALL_TYPES.size(); column++) {
            Projection projection = column < 0 ? Projection.all() : Projection.of(column, (column + 5) % ALL_TYPES.size());
            RecordDecoder fast = decoder(ALL_TYPES, projection, true);
            RecordDecoder jackson = decoder(ALL_TYPES, projection, false);
            for (String record : records) {
                // Jackson counts error columns in bytes or in characters: compare bytes with bytes, text with text
                assertThat(show(decode(fast, ALL_TYPES, record))).as("%s with projection %s", record, projection)
                        .isEqualTo(show(decode(jackson, ALL_TYPES, record)));
                assertThat(show(decodeText(fast, ALL_TYPES, record))).as("%s as text with projection %s", record, projection)
                        .isEqualTo(show(decodeText(jackson, ALL_TYPES, record)));
            }
        }
    }

    /** A row or error as text: arrays by content, doubles with their sign (so -0.0 differs from 0.0). */
    private static String show(Object outcome) {
        if (!(outcome instanceof List<?> row)) {
            return String.valueOf(outcome);
        }
        StringBuilder text = new StringBuilder();
        for (Object value : row) {
            text.append(value instanceof Object[] values ? Arrays.deepToString(values)
                    : value instanceof byte[] bytes ? Arrays.toString(bytes)
                    : value == null ? "null" : value.getClass().getSimpleName() + ":" + value).append(" | ");
        }
        return text.toString();
    }

    @Test
    void invalidUtf8IsLeftToJackson() {
        List<DataType.Field> schema = List.of(field("v", DataType.varchar()), field("w", DataType.varchar()));
        byte[] record = "{\"v\": \"a?b\", \"w\": \"x\"}".getBytes(StandardCharsets.UTF_8);
        record[9] = (byte) 0xC3; // a lead byte without its continuation
        for (Projection projection : List.of(Projection.all(), Projection.of(1))) {
            BatchBuilder fastOut = new BatchBuilder(schema, 2);
            BatchBuilder jacksonOut = new BatchBuilder(schema, 2);
            String fast = outcome(decoder(schema, projection, true), record, fastOut);
            String jackson = outcome(decoder(schema, projection, false), record, jacksonOut);
            assertThat(fast).isEqualTo(jackson);
        }
    }

    private static String outcome(RecordDecoder decoder, byte[] record, BatchBuilder out) {
        try {
            decoder.decode(record, 0, record.length, out);
            out.commitRow();
            return Arrays.toString(out.build().row(0));
        } catch (RecordDecodeException e) {
            return "error: " + e.reason();
        }
    }
}
