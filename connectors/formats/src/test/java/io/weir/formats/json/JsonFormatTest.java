package io.weir.formats.json;

import io.weir.formats.FormatHarness;
import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.batch.BatchBuilder;
import io.weir.spi.format.FormatFactory;
import io.weir.spi.format.Formats;
import io.weir.spi.format.RecordDecodeException;
import io.weir.spi.format.RecordDecoder;
import io.weir.spi.option.OptionValidator;
import io.weir.spi.type.DataType;
import io.weir.spi.type.TypeKind;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static io.weir.formats.FormatHarness.decodeError;
import static io.weir.formats.FormatHarness.decodeOne;
import static io.weir.formats.FormatHarness.field;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonFormatTest {
    private static final FormatFactory JSON = Formats.find("json");
    private static final long TS = Instant.parse("2024-01-15T10:30:00Z").toEpochMilli();

    private static final List<DataType.Field> CLICKS = List.of(
            field("user_id", DataType.of(TypeKind.BIGINT)),
            field("url", DataType.varchar()),
            field("ts", DataType.timestamp(3)));

    private static Object[] one(List<DataType.Field> schema, String json) {
        return decodeOne(JSON, schema, Map.of(), json);
    }

    private static String error(List<DataType.Field> schema, String json) {
        return decodeError(JSON, schema, Map.of(), json);
    }

    private static List<DataType.Field> column(DataType type) {
        return List.of(field("v", type));
    }

    @Test
    void foundByNameWithPrefixedOptions() {
        assertThat(JSON).isInstanceOf(JsonFormatFactory.class);
        assertThat(JSON.options()).allSatisfy(option -> {
            assertThat(option.key()).startsWith("json.");
            assertThat(option.description()).isNotBlank();
        });
        assertThatThrownBy(() -> Formats.find("xml"))
                .isInstanceOfSatisfying(WeirException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.UNKNOWN_FORMAT))
                .hasMessage("Unknown format 'xml'. Available formats: csv, json, raw");
    }

    @Test
    void decodesAnObjectMatchingFieldsIgnoringCase() {
        assertThat(one(CLICKS, "{\"USER_ID\": 42, \"Url\": \"/home\", \"ts\": \"2024-01-15 10:30:00\"}"))
                .containsExactly(42L, "/home", TS);
        List<DataType.Field> upper = List.of(field("USER_ID", DataType.of(TypeKind.BIGINT)));
        assertThat(decodeOne(JSON, upper, Map.of(), "{\"user_id\": 7}")).containsExactly(7L);
    }

    @Test
    void exactNameWinsOverCaseInsensitiveMatch() {
        List<DataType.Field> schema = List.of(field("a", DataType.of(TypeKind.BIGINT)), field("A", DataType.of(TypeKind.BIGINT)));
        assertThat(one(schema, "{\"A\": 2, \"a\": 1}")).containsExactly(1L, 2L);
    }

    @Test
    void missingFieldsAreNullUnknownFieldsIgnored() {
        assertThat(one(CLICKS, "{\"user_id\": 1, \"extra\": {\"deep\": [1, {\"x\": 2}]}, \"more\": [1,2]}"))
                .containsExactly(1L, null, null);
        assertThat(one(CLICKS, "{}")).containsExactly(null, null, null);
    }

    @Test
    void missingFieldErrors() {
        List<DataType.Field> notNull = List.of(field("id", DataType.of(TypeKind.BIGINT).withNullable(false)));
        assertThat(error(notNull, "{\"other\": 1}")).isEqualTo("field 'id': missing, but the column is NOT NULL");
        assertThat(error(notNull, "{\"id\": null}")).isEqualTo("field 'id': NULL for a NOT NULL column");
        assertThat(decodeError(JSON, CLICKS, Map.of("json.fail-on-missing-field", "true"), "{\"user_id\": 1, \"url\": \"u\"}"))
                .isEqualTo("field 'ts': missing ('json.fail-on-missing-field' is true)");
    }

    @Test
    void integersWithRangeChecksFromNumbersAndStrings() {
        DataType tinyint = DataType.of(TypeKind.TINYINT);
        assertThat(one(column(tinyint), "{\"v\": -128}")).containsExactly(-128L);
        assertThat(one(column(tinyint), "{\"v\": \"12\"}")).containsExactly(12L);
        assertThat(one(column(DataType.of(TypeKind.INTEGER)), "{\"v\": 3.0}")).containsExactly(3L);
        assertThat(one(column(DataType.of(TypeKind.BIGINT)), "{\"v\": 9223372036854775807}")).containsExactly(Long.MAX_VALUE);
        assertThat(error(column(tinyint), "{\"v\": 300}")).isEqualTo("field 'v': value 300 is out of range for TINYINT (-128 to 127)");
        assertThat(error(column(DataType.of(TypeKind.BIGINT)), "{\"v\": 18446744073709551616}"))
                .isEqualTo("field 'v': value 18446744073709551616 is out of range for BIGINT (-9223372036854775808 to 9223372036854775807)");
        assertThat(error(column(DataType.of(TypeKind.INTEGER)), "{\"v\": 3.5}")).isEqualTo("field 'v': cannot convert 3.5 to INTEGER: not a whole number");
        assertThat(error(column(DataType.of(TypeKind.INTEGER)), "{\"v\": \"12abc\"}")).isEqualTo("field 'v': cannot parse '12abc' as INTEGER");
        assertThat(error(column(DataType.of(TypeKind.INTEGER)), "{\"v\": true}")).isEqualTo("field 'v': expected a number for INTEGER but found true");
        assertThat(error(column(DataType.of(TypeKind.INTEGER)), "{\"v\": [1]}")).isEqualTo("field 'v': expected a number for INTEGER but found an array");
    }

    @Test
    void floatingPointAndDecimal() {
        assertThat(one(column(DataType.of(TypeKind.DOUBLE)), "{\"v\": 1.5e3}")).containsExactly(1500.0);
        assertThat(one(column(DataType.of(TypeKind.DOUBLE)), "{\"v\": NaN}")).containsExactly(Double.NaN);
        assertThat(one(column(DataType.of(TypeKind.DOUBLE)), "{\"v\": \"-2.5\"}")).containsExactly(-2.5);
        assertThat(one(column(DataType.of(TypeKind.REAL)), "{\"v\": 0.1}")).containsExactly((double) 0.1f);
        assertThat(error(column(DataType.of(TypeKind.REAL)), "{\"v\": 1e300}")).contains("out of range for REAL");
        DataType money = DataType.decimal(38, 10);
        assertThat(one(column(money), "{\"v\": 12345678901234567890.0123456789}"))
                .containsExactly(new BigDecimal("12345678901234567890.0123456789"));
        assertThat(one(column(DataType.decimal(5, 2)), "{\"v\": 0.1}")).containsExactly(new BigDecimal("0.10"));
        assertThat(one(column(DataType.decimal(5, 2)), "{\"v\": \"2.345\"}")).containsExactly(new BigDecimal("2.35"));
        assertThat(error(column(DataType.decimal(5, 2)), "{\"v\": 12345}")).isEqualTo("field 'v': value 12345 does not fit DECIMAL(5, 2)");
    }

    @Test
    void booleans() {
        DataType bool = DataType.of(TypeKind.BOOLEAN);
        assertThat(one(column(bool), "{\"v\": true}")).containsExactly(true);
        assertThat(one(column(bool), "{\"v\": \"FALSE\"}")).containsExactly(false);
        assertThat(error(column(bool), "{\"v\": \"maybe\"}")).contains("cannot parse 'maybe' as BOOLEAN");
    }

    @Test
    void timestampsFromMillisAndStrings() {
        List<DataType.Field> ts = column(DataType.timestamp(3));
        assertThat(one(ts, "{\"v\": " + TS + "}")).containsExactly(TS);
        assertThat(one(ts, "{\"v\": 1705314600000.9}")).containsExactly(TS);
        assertThat(one(ts, "{\"v\": \"2024-01-15T10:30:00Z\"}")).containsExactly(TS);
        assertThat(one(ts, "{\"v\": \"2024-01-15T12:30:00+02:00\"}")).containsExactly(TS);
        assertThat(one(ts, "{\"v\": \"2024-01-15T10:30:00\"}")).containsExactly(TS);
        assertThat(one(ts, "{\"v\": \"2024-01-15 10:30:00.123456\"}")).containsExactly(TS + 123);
        assertThat(one(column(DataType.timestamp(0)), "{\"v\": \"2024-01-15 10:30:00.999\"}")).containsExactly(TS);
        assertThat(error(ts, "{\"v\": \"abc\"}")).startsWith("field 'v': cannot parse 'abc' as TIMESTAMP");
        assertThat(error(ts, "{\"v\": {}}")).isEqualTo("field 'v': expected a string or a number for TIMESTAMP but found an object");
    }

    @Test
    void datesAndTimes() {
        assertThat(one(column(DataType.of(TypeKind.DATE)), "{\"v\": \"2024-01-15\"}")).containsExactly(LocalDate.of(2024, 1, 15).toEpochDay());
        assertThat(one(column(DataType.of(TypeKind.DATE)), "{\"v\": 19737}")).containsExactly(19737L);
        assertThat(one(column(DataType.time(3)), "{\"v\": \"10:30:00.5\"}")).containsExactly(37_800_500L);
        assertThat(one(column(DataType.time(3)), "{\"v\": 1000}")).containsExactly(1000L);
        assertThat(error(column(DataType.time(3)), "{\"v\": -1}")).contains("out of range for TIME");
        assertThat(error(column(DataType.of(TypeKind.DATE)), "{\"v\": \"2024-02-30\"}")).contains("cannot parse '2024-02-30' as DATE");
    }

    @Test
    void stringsAndBinary() {
        assertThat(one(column(DataType.varchar()), "{\"v\": \"caf\\u00e9 名前 😀\"}")).containsExactly("café 名前 😀");
        assertThat(one(column(DataType.varchar()), "{\"v\": 12.50}")).containsExactly("12.50");
        assertThat(one(column(DataType.varchar()), "{\"v\": {\"a\": [1, \"x\"]}}")).containsExactly("{\"a\":[1,\"x\"]}");
        assertThat(error(column(DataType.varchar(3)), "{\"v\": \"abcd\"}")).isEqualTo("field 'v': value of length 4 is too long for VARCHAR(3)");
        assertThat((byte[]) one(column(DataType.of(TypeKind.VARBINARY)), "{\"v\": \"AQID\"}")[0]).containsExactly(1, 2, 3);
        assertThat(error(column(DataType.of(TypeKind.VARBINARY)), "{\"v\": \"%%%\"}")).contains("base64");
    }

    @Test
    void nestedArraysMapsAndRows() {
        DataType point = DataType.row(List.of(field("x", DataType.of(TypeKind.INTEGER)), field("y", DataType.of(TypeKind.DOUBLE))));
        List<DataType.Field> schema = List.of(
                field("tags", DataType.array(DataType.varchar())),
                field("counts", DataType.map(DataType.varchar(), DataType.of(TypeKind.BIGINT))),
                field("p", point),
                field("path", DataType.array(point)),
                field("by_day", DataType.map(DataType.of(TypeKind.DATE), DataType.array(DataType.of(TypeKind.BIGINT)))));
        Object[] row = one(schema, "{\"tags\": [\"a\", null, \"c\"], \"counts\": {\"x\": 1, \"y\": \"2\"}, "
                + "\"p\": {\"X\": 1, \"y\": 2.5, \"z\": true}, \"path\": [[1, 2], {\"x\": 3}], \"by_day\": {\"2024-01-15\": [1]}}");
        assertThat(row[0]).isEqualTo(java.util.Arrays.asList("a", null, "c"));
        assertThat(row[1]).isEqualTo(Map.of("x", 1L, "y", 2L));
        assertThat((Object[]) row[2]).containsExactly(1L, 2.5);
        @SuppressWarnings("unchecked")
        List<Object[]> path = (List<Object[]>) row[3];
        assertThat(path.get(0)).containsExactly(1L, 2.0);
        assertThat(path.get(1)).containsExactly(3L, null);
        assertThat(row[4]).isEqualTo(Map.of(LocalDate.of(2024, 1, 15).toEpochDay(), List.of(1L)));

        assertThat(error(schema, "{\"path\": [{\"x\": 1}, {\"x\": \"no\"}]}"))
                .isEqualTo("field 'path': element 1: field 'x': cannot parse 'no' as INTEGER");
        assertThat(error(schema, "{\"counts\": {\"a\": [1]}}"))
                .isEqualTo("field 'counts': key 'a': expected a number for BIGINT but found an array");
        assertThat(error(schema, "{\"tags\": \"a,b\"}")).isEqualTo("field 'tags': expected an array for ARRAY but found string 'a,b'");
    }

    @Test
    void mapKeysMustBeScalar() {
        List<DataType.Field> schema = column(DataType.map(DataType.array(DataType.varchar()), DataType.varchar()));
        assertThatThrownBy(() -> JSON.validate(schema, OptionValidator.validate("json", JSON.options(), Map.of())))
                .isInstanceOfSatisfying(WeirException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.VALIDATION_ERROR))
                .hasMessageContaining("Column 'v'");
    }

    @Test
    void malformedRecords() {
        assertThat(error(CLICKS, "{\"user_id\": 1,")).startsWith("malformed JSON at column");
        assertThat(error(CLICKS, "{\"user_id\": 1} {\"user_id\": 2}")).isEqualTo("unexpected an object after the JSON object (one object per record)");
        assertThat(error(CLICKS, "[1, 2]")).isEqualTo("expected a JSON object but found an array");
        assertThat(error(CLICKS, "42")).isEqualTo("expected a JSON object but found number 42");
        assertThat(error(CLICKS, "not json")).startsWith("malformed JSON");
    }

    @Test
    void blankRecordsAndBomCarryNoRowOrAreStripped() {
        FormatHarness harness = new FormatHarness(JSON, CLICKS, Map.of()).feed("", "   ", "\uFEFF{\"user_id\": 1}");
        assertThat(harness.errors()).isEmpty();
        assertThat(harness.rows()).containsExactly(new Object[] {1L, null, null});
    }

    @Test
    void failedRecordLeavesNoPartialRow() throws RecordDecodeException {
        RecordDecoder decoder = JSON.createDecoder(CLICKS, OptionValidator.validate("json", JSON.options(), Map.of()));
        BatchBuilder builder = new BatchBuilder(CLICKS);
        assertThatThrownBy(() -> decoder.decode("{\"user_id\": 5, \"url\": \"/x\", \"ts\": \"bad\"}", builder))
                .isInstanceOf(RecordDecodeException.class);
        builder.abortRow();
        assertThat(decoder.decode("{\"ts\": 0}", builder)).isTrue();
        builder.commitRow();
        assertThat(builder.build().rows()).containsExactly(new Object[] {null, null, 0L});
    }

    @Test
    void bytesDecodeLikeText() throws RecordDecodeException {
        RecordDecoder decoder = JSON.createDecoder(CLICKS, OptionValidator.validate("json", JSON.options(), Map.of()));
        BatchBuilder builder = new BatchBuilder(CLICKS);
        byte[] bytes = "xx\uFEFF{\"url\": \"ü\", \"user_id\": 3}yy".getBytes(StandardCharsets.UTF_8);
        assertThat(decoder.decode(bytes, 2, bytes.length - 4, builder)).isTrue();
        builder.commitRow();
        assertThat(decoder.decode("  ".getBytes(StandardCharsets.UTF_8), 0, 2, builder)).isFalse();
        assertThat(builder.build().rows()).containsExactly(new Object[] {3L, "ü", null});
    }

    @Test
    void duplicateFieldLastWins() {
        assertThat(one(CLICKS, "{\"user_id\": 1, \"user_id\": 2}")).containsExactly(2L, null, null);
    }

    @Test
    void veryLongRecord() {
        String longText = "x".repeat(2_000_000);
        assertThat(one(CLICKS, "{\"url\": \"" + longText + "\"}")[1]).isEqualTo(longText);
    }
}
