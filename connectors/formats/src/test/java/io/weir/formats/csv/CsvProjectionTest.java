package io.weir.formats.csv;

import io.weir.spi.batch.BatchBuilder;
import io.weir.spi.format.FormatFactory;
import io.weir.spi.format.Formats;
import io.weir.spi.format.RecordDecodeException;
import io.weir.spi.format.RecordDecoder;
import io.weir.spi.option.OptionValidator;
import io.weir.spi.option.OptionValues;
import io.weir.spi.type.DataType;
import io.weir.spi.type.Projection;
import io.weir.spi.type.TypeKind;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static io.weir.formats.FormatHarness.field;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code 'format' = 'csv'} with a projection: the columns read are filled as without one, the others
 * are NULL, and their fields are checked as CSV but not converted. Compared with decoding every
 * column on records of every shape, valid and not.
 */
class CsvProjectionTest {
    private static final FormatFactory CSV = Formats.find("csv");

    private static final List<DataType.Field> SCHEMA = List.of(
            field("id", DataType.of(TypeKind.BIGINT).withNullable(false)),
            field("name", DataType.varchar()),
            field("amount", DataType.decimal(10, 2)),
            field("ok", DataType.of(TypeKind.BOOLEAN)),
            field("ts", DataType.timestamp(3)),
            field("n", DataType.of(TypeKind.INTEGER).withNullable(false)));

    /** Per column, CSV field texts of every kind: plain, quoted, NULL, empty, and values the column cannot take. */
    private static final List<List<String>> TOKENS = List.of(
            List.of("1", "-42", "\"7\"", "", "NULL", "abc", "99999999999999999999", " 5", "\"\""),
            List.of("Ada", "\"a,b\"", "\"say \"\"hi\"\"\"", "\"two\nlines\"", "\"\"", "", "NULL", "\"NULL\"", "caf\u00e9",
                    "x\"y", "\"\r\n\""),
            List.of("10.5", "\"3\"", "", "NULL", "1e400", "ten", "\"1,5\"", "-0.005"),
            List.of("true", "FALSE", "", "NULL", "yes", "\"true\"", "2"),
            List.of("2024-01-15 10:30:00", "\"2024-01-15T10:30:00Z\"", "", "NULL", "2024-02-30 00:00:00", "1700000000000",
                    "yesterday"),
            List.of("0", "2147483647", "2147483648", "", "NULL", "\"12\"", "1.5"));

    /** Per column, a field every decoder accepts: what a column not read is replaced with for the reference. */
    private static final List<String> VALID = List.of("1", "x", "1", "true", "2024-01-15 10:30:00", "1");

    /** Records that are not well-formed CSV, or have the wrong number of fields: errors whatever is read. */
    private static final List<String> MALFORMED = List.of(
            "1,\"never closed,1,true,,0",
            "1,\"closed\"x,1,true,,0",
            "1,Ada,1,true,,\"unterminated",
            "1,Ada,1,true,,0,extra",
            "1,Ada,1,true,,\"0\",\"\"",
            "1,Ada,1,true",
            "1",
            "\"a\"\"b\"c,Ada,1,true,,0",
            "1,\"x\"\"\",1,true,,\"0\"\"");

    private static OptionValues options(Map<String, String> options) {
        return OptionValidator.validate("format 'csv'", CSV.options(), options);
    }

    private static RecordDecoder decoder(Map<String, String> options, Projection projection) {
        return CSV.createDecoder(SCHEMA, options(options), projection);
    }

    /** The row, or the error's reason, decoding {@code record}. */
    private static Object decode(RecordDecoder decoder, String record) {
        BatchBuilder out = new BatchBuilder(SCHEMA, 2);
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

    private static List<Projection> projections() {
        List<Projection> projections = new ArrayList<>();
        projections.add(Projection.of());
        for (int column = 0; column < SCHEMA.size(); column++) {
            projections.add(Projection.of(column));
        }
        projections.add(Projection.of(0, 4));
        projections.add(Projection.of(1, 2, 5));
        projections.add(Projection.of(0, 1, 2, 3, 4));
        return projections;
    }

    /**
     * What decoding {@code fields} with {@code projection} must give: decoding every column of the record with
     * the fields not read replaced by valid ones, with the columns not read NULL.
     */
    private static Object expected(RecordDecoder whole, List<String> fields, Projection projection) {
        List<String> replaced = new ArrayList<>(fields);
        for (int column = 0; column < replaced.size(); column++) {
            if (!projection.reads(column)) {
                replaced.set(column, VALID.get(column));
            }
        }
        Object result = decode(whole, String.join(",", replaced));
        if (result instanceof List<?> row) {
            List<Object> masked = new ArrayList<>(row);
            for (int column = 0; column < masked.size(); column++) {
                if (!projection.reads(column)) {
                    masked.set(column, null);
                }
            }
            return masked;
        }
        return result;
    }

    @Test
    void projectedDecodingAgreesWithDecodingEveryColumn() {
        for (Map<String, String> options : List.of(Map.<String, String>of(), Map.of("csv.null-literal", "NULL"))) {
            RecordDecoder whole = decoder(options, Projection.all());
            Random random = new Random(5);
            int rows = 0;
            int errors = 0;
            for (int i = 0; i < 400; i++) {
                List<String> fields = new ArrayList<>();
                for (List<String> tokens : TOKENS) {
                    fields.add(tokens.get(random.nextInt(tokens.size())));
                }
                String record = String.join(",", fields);
                for (Projection projection : projections()) {
                    Object actual = decode(decoder(options, projection), record);
                    assertThat(actual).as("%s with %s reading %s", record, options, projection)
                            .isEqualTo(expected(whole, fields, projection));
                    if (actual instanceof List<?>) {
                        rows++;
                    } else {
                        errors++;
                    }
                }
            }
            // the records mix rows and errors in the columns read
            assertThat(rows).isGreaterThan(500);
            assertThat(errors).isGreaterThan(500);
        }
    }

    @Test
    void malformedRecordsAreErrorsWhateverIsRead() {
        RecordDecoder whole = decoder(Map.of(), Projection.all());
        for (String record : MALFORMED) {
            Object reference = decode(whole, record);
            assertThat(reference).as(record).asString().startsWith("error: ");
            for (Projection projection : projections()) {
                assertThat(decode(decoder(Map.of(), projection), record)).as("%s reading %s", record, projection).isEqualTo(reference);
            }
        }
    }

    @Test
    void fieldsNotReadAreNotConverted() {
        RecordDecoder idOnly = decoder(Map.of(), Projection.of(0));
        // a bad number, a bad timestamp and NULL for a NOT NULL column, all in columns not read
        assertThat(decode(idOnly, "7,\"a,\"\"b\"\"\",ten,maybe,never,")).isEqualTo(Arrays.asList(7L, null, null, null, null, null));
        assertThat(decode(decoder(Map.of(), Projection.all()), "7,\"a,\"\"b\"\"\",ten,maybe,never,"))
                .isEqualTo("error: field 'amount': cannot parse 'ten' as DECIMAL(10, 2)");
        // the columns read are still checked
        assertThat(decode(decoder(Map.of(), Projection.of(5)), "7,a,1,true,,")).isEqualTo("error: field 'n': NULL for a NOT NULL column");
        assertThat(decode(decoder(Map.of(), Projection.of(1, 2)), "x,\"q\"\"\",\"2.5\",no,,")).isEqualTo(
                Arrays.asList(null, "q\"", new BigDecimal("2.50"), null, null, null));
    }

    @Test
    void withAHeaderTheColumnsReadAreFoundByName() {
        Map<String, String> header = Map.of("csv.header", "true");
        RecordDecoder projected = decoder(header, Projection.of(2, 5));
        RecordDecoder whole = decoder(header, Projection.all());
        List<String> records = List.of("N,unknown,Amount,id", "1,\"x,y\",2.5,3", "oops,z,\"4\",bad", "5,,,6", "7,\"multi\nline\",8");
        List<Object> actual = new ArrayList<>();
        List<Object> reference = new ArrayList<>();
        for (String record : records) {
            actual.add(decode(projected, record));
            reference.add(decode(whole, record));
        }
        assertThat(actual).containsExactly("no row", Arrays.asList(null, null, new BigDecimal("2.50"), null, null, 1L),
                "error: field 'n': cannot parse 'oops' as INTEGER", Arrays.asList(null, null, null, null, null, 5L),
                "error: expected 4 fields (as in the header) but found 3");
        // without a projection the id column is read too, and the header lacks no NOT NULL column read here
        assertThat(reference).containsExactly("no row", Arrays.asList(3L, null, new BigDecimal("2.50"), null, null, 1L),
                "error: field 'n': cannot parse 'oops' as INTEGER", Arrays.asList(6L, null, null, null, null, 5L),
                "error: expected 4 fields (as in the header) but found 3");
    }
}
