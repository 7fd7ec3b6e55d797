package io.weir.formats.csv;

import io.weir.formats.FormatHarness;
import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.format.FormatFactory;
import io.weir.spi.format.Formats;
import io.weir.spi.format.LineFramer;
import io.weir.spi.option.OptionValidator;
import io.weir.spi.type.DataType;
import io.weir.spi.type.TypeKind;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.weir.formats.FormatHarness.decodeError;
import static io.weir.formats.FormatHarness.decodeOne;
import static io.weir.formats.FormatHarness.field;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CsvFormatTest {
    private static final FormatFactory CSV = Formats.find("csv");
    private static final long TS = Instant.parse("2024-01-15T10:30:00Z").toEpochMilli();

    private static final List<DataType.Field> USERS = List.of(
            field("id", DataType.of(TypeKind.INTEGER)),
            field("name", DataType.varchar()),
            field("balance", DataType.decimal(10, 2)),
            field("active", DataType.of(TypeKind.BOOLEAN)),
            field("since", DataType.timestamp(3)));

    private static FormatHarness harness(Map<String, String> options) {
        return new FormatHarness(CSV, USERS, options);
    }

    private static Object[] one(String record) {
        return decodeOne(CSV, USERS, Map.of(), record);
    }

    private static String error(String record) {
        return decodeError(CSV, USERS, Map.of(), record);
    }

    @Test
    void foundByNameWithPrefixedOptions() {
        assertThat(CSV).isInstanceOf(CsvFormatFactory.class);
        assertThat(CSV.options()).allSatisfy(option -> assertThat(option.key()).startsWith("csv."));
    }

    @Test
    void decodesByPosition() {
        assertThat(one("1,Ada,10.5,true,2024-01-15 10:30:00")).containsExactly(1L, "Ada", new BigDecimal("10.50"), true, TS);
    }

    @Test
    void quotedFieldsWithDelimitersAndDoubledQuotes() {
        assertThat(one("2,\"Lovelace, Ada \"\"the first\"\"\",0,false,\"2024-01-15T10:30:00Z\""))
                .containsExactly(2L, "Lovelace, Ada \"the first\"", new BigDecimal("0.00"), false, TS);
        assertThat(one("3,a\"b,1,true,")).containsExactly(3L, "a\"b", new BigDecimal("1.00"), true, null);
    }

    @Test
    void nullLiteralAndEmptyFields() {
        assertThat(one("4,,,,")).containsExactly(4L, null, null, null, null);
        assertThat(one("4,\"\",\"\",,")).containsExactly(4L, "", null, null, null);
        FormatHarness withLiteral = harness(Map.of("csv.null-literal", "NULL")).feed("5,NULL,NULL,,", "6,\"NULL\",,,", "7,,1,,");
        assertThat(withLiteral.errors()).isEmpty();
        assertThat(withLiteral.rows()).containsExactly(
                new Object[] {5L, null, null, null, null},
                new Object[] {6L, "NULL", null, null, null},
                new Object[] {7L, "", new BigDecimal("1.00"), null, null});
    }

    @Test
    void notNullColumnRejectsNull() {
        List<DataType.Field> schema = List.of(field("id", DataType.of(TypeKind.INTEGER).withNullable(false)));
        assertThat(decodeError(CSV, schema, Map.of(), "\"\"")).isEqualTo("field 'id': NULL for a NOT NULL column");
    }

    @Test
    void badValuesNameTheField() {
        assertThat(error("x,Ada,1,true,")).isEqualTo("field 'id': cannot parse 'x' as INTEGER");
        assertThat(error("99999999999,Ada,1,true,")).isEqualTo("field 'id': value 99999999999 is out of range for INTEGER (-2147483648 to 2147483647)");
        assertThat(error("1,Ada,1e20,true,")).isEqualTo("field 'balance': value 100000000000000000000 does not fit DECIMAL(10, 2)");
        assertThat(error("1,Ada,1,yes,")).startsWith("field 'active': cannot parse 'yes' as BOOLEAN");
        assertThat(error("1,Ada,1,true,abc")).startsWith("field 'since': cannot parse 'abc' as TIMESTAMP");
    }

    @Test
    void fieldCountMustMatch() {
        assertThat(error("1,Ada")).isEqualTo("expected 5 fields but found 2");
        assertThat(error("1,Ada,1,true,,extra")).isEqualTo("expected 5 fields but found 6");
    }

    @Test
    void malformedQuotes() {
        assertThat(error("1,\"Ada,1,true,")).startsWith("field 2: unterminated quoted field");
        assertThat(error("1,\"Ada\"x,1,true,")).isEqualTo("field 2: unexpected character 'x' after a closing quote (expected ',' or the end of the record)");
    }

    @Test
    void quotedLineBreaksSpanLines() {
        FormatHarness harness = harness(Map.of()).feedLines(
                "1,\"first line",
                "second, line\"\"",
                "third\",0,true,",
                "2,\"\",0,false,",
                "3,\"a",
                "\",0,true,");
        assertThat(harness.errors()).isEmpty();
        assertThat(harness.rows()).extracting(row -> row[1])
                .containsExactly("first line\nsecond, line\"\nthird", "", "a\n");
    }

    @Test
    void framerIgnoresQuotesInsideUnquotedFieldsAndComments() {
        LineFramer framer = CSV.createLineFramer(OptionValidator.validate("csv", CSV.options(), Map.of("csv.allow-comments", "true")));
        assertThat(FormatHarness.frame(framer, "1,a\"b,2", "# it's \"quoted", "2,\"x\"\"\",3", "3,\"open"))
                .containsExactly("1,a\"b,2", "# it's \"quoted", "2,\"x\"\"\",3", "3,\"open");
    }

    @Test
    void unterminatedQuoteAtEndOfInputIsAnError() {
        FormatHarness harness = harness(Map.of()).feedLines("1,\"never closed", "more");
        assertThat(harness.rows()).isEmpty();
        assertThat(harness.errors()).singleElement().asString().contains("unterminated quoted field");
    }

    @Test
    void emptyLinesCommentsAndBom() {
        FormatHarness harness = harness(Map.of("csv.allow-comments", "true"))
                .feed("\uFEFF1,a,,,", "", "# a comment, with \"quotes", "2,b,,,");
        assertThat(harness.errors()).isEmpty();
        assertThat(harness.rows()).extracting(row -> row[0]).containsExactly(1L, 2L);
        assertThat(harness(Map.of()).feed("# not a comment,,,,").errors()).containsExactly("field 'id': cannot parse '# not a comment' as INTEGER");
    }

    @Test
    void headerMapsByNameIgnoringCaseAndResetsPerSplit() {
        FormatHarness harness = harness(Map.of("csv.header", "true"));
        harness.feed("\uFEFFNAME,unknown,ID", "Ada,x,1", "Bob,y,2");
        harness.decoder().startSplit();
        harness.feed("id,name", "3");
        harness.decoder().startSplit();
        harness.feed("Id,Since", "4,2024-01-15 10:30:00");
        assertThat(harness.errors()).containsExactly("expected 2 fields (as in the header) but found 1");
        assertThat(harness.rows()).containsExactly(
                new Object[] {1L, "Ada", null, null, null},
                new Object[] {2L, "Bob", null, null, null},
                new Object[] {4L, null, null, null, TS});
    }

    @Test
    void headerNamingNoColumnFailsEveryRecordOfTheSplit() {
        FormatHarness harness = harness(Map.of("csv.header", "true")).feed("a;b;c", "1;2;3", "4;5;6");
        assertThat(harness.rows()).isEmpty();
        assertThat(harness.errors()).hasSize(3).allSatisfy(reason -> assertThat(reason)
                .contains("names none of the columns [id, name, balance, active, since]").contains("'csv.field-delimiter'"));
    }

    @Test
    void headerLackingANotNullColumn() {
        List<DataType.Field> schema = List.of(field("id", DataType.of(TypeKind.INTEGER).withNullable(false)), field("name", DataType.varchar()));
        FormatHarness harness = new FormatHarness(CSV, schema, Map.of("csv.header", "true")).feed("name", "Ada");
        assertThat(harness.errors()).containsExactly("field 'id': missing from the header, but the column is NOT NULL");
    }

    @Test
    void customDelimiterAndQuote() {
        Map<String, String> options = new HashMap<>();
        options.put("csv.field-delimiter", "\\t");
        options.put("csv.quote-character", "'");
        assertThat(decodeOne(CSV, USERS, options, "1\t'a\tb ''c'''\t2\tfalse\t"))
                .containsExactly(1L, "a\tb 'c'", new BigDecimal("2.00"), false, null);
        assertThat(decodeOne(CSV, USERS, Map.of("csv.field-delimiter", "|"), "1|a,b|2|true|"))
                .containsExactly(1L, "a,b", new BigDecimal("2.00"), true, null);
    }

    @Test
    void invalidOptionsAreRejectedNamingThem() {
        assertThatThrownBy(() -> harness(Map.of("csv.field-delimiter", ";;")))
                .isInstanceOfSatisfying(WeirException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_OPTION_VALUE))
                .hasMessageContaining("'csv.field-delimiter'");
        assertThatThrownBy(() -> harness(Map.of("csv.quote-character", ",")))
                .hasMessageContaining("'csv.field-delimiter' and 'csv.quote-character'");
    }

    @Test
    void nestedTypesAreRejectedNamingTheColumn() {
        List<DataType.Field> schema = List.of(field("id", DataType.of(TypeKind.INTEGER)), field("tags", DataType.array(DataType.varchar())));
        assertThatThrownBy(() -> new FormatHarness(CSV, schema, Map.of()))
                .isInstanceOfSatisfying(WeirException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.VALIDATION_ERROR))
                .hasMessageContaining("Column 'tags'").hasMessageContaining("ARRAY<VARCHAR>");
    }

    @Test
    void unicodeAndLongRecords() {
        assertThat(one("1,\"名前, 😀 é\",0,true,")[1]).isEqualTo("名前, 😀 é");
        String longName = "ü".repeat(1_000_000);
        assertThat(one("1," + longName + ",0,true,")[1]).isEqualTo(longName);
    }

    @Test
    void allScalarTypes() {
        List<DataType.Field> schema = List.of(
                field("t", DataType.of(TypeKind.TINYINT)), field("d", DataType.of(TypeKind.DOUBLE)),
                field("day", DataType.of(TypeKind.DATE)), field("tm", DataType.time(3)),
                field("b", DataType.of(TypeKind.VARBINARY)), field("c", DataType.charType(3)));
        assertThat(decodeOne(CSV, schema, Map.of(), "-5, 2.5 ,2024-01-15,10:30:00,AQID,ab"))
                .containsExactly(-5L, 2.5, 19737L, 37_800_000L, new byte[] {1, 2, 3}, "ab ");
    }
}
