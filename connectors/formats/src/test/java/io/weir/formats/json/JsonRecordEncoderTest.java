package io.weir.formats.json;

import io.weir.formats.EncoderHarness;
import io.weir.formats.FormatHarness;
import io.weir.spi.format.FormatFactory;
import io.weir.spi.format.Formats;
import io.weir.spi.type.DataType;
import io.weir.spi.type.TypeKind;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.weir.formats.FormatHarness.field;
import static org.assertj.core.api.Assertions.assertThat;

class JsonRecordEncoderTest {
    private static final FormatFactory JSON = Formats.find("json");
    private static final long TS = Instant.parse("2024-01-15T10:30:00.123Z").toEpochMilli();

    private static final List<DataType.Field> ALL_TYPES = List.of(
            field("b", DataType.of(TypeKind.BOOLEAN)),
            field("ti", DataType.of(TypeKind.TINYINT)),
            field("si", DataType.of(TypeKind.SMALLINT)),
            field("i", DataType.of(TypeKind.INTEGER)),
            field("bi", DataType.of(TypeKind.BIGINT)),
            field("r", DataType.of(TypeKind.REAL)),
            field("d", DataType.of(TypeKind.DOUBLE)),
            field("dec", DataType.decimal(20, 4)),
            field("c", DataType.charType(4)),
            field("UserName", DataType.varchar()),
            field("day", DataType.of(TypeKind.DATE)),
            field("t", DataType.time(3)),
            field("ts", DataType.timestamp(3)),
            field("bin", DataType.of(TypeKind.VARBINARY)),
            field("arr", DataType.array(DataType.of(TypeKind.BIGINT))),
            field("m", DataType.map(DataType.varchar(), DataType.of(TypeKind.DOUBLE))),
            field("nested", DataType.row(List.of(field("x", DataType.of(TypeKind.INTEGER)),
                    field("when", DataType.timestamp(3)), field("tags", DataType.array(DataType.varchar()))))));

    private static Object[] fullRow() {
        Map<Object, Object> map = new LinkedHashMap<>();
        map.put("a", 1.5);
        map.put("b \"quoted\"", null);
        return new Object[]{true, -128L, 32767L, -2147483648L, Long.MAX_VALUE, 0.1f + 0.0, -1.0E300,
                new BigDecimal("1234567890123456.7891"), "ab  ", "line\nbreak, \"quote\" \u00fc \uD83D\uDE00 \\ \t",
                LocalDate.of(2024, 2, 29).toEpochDay(), (long) LocalTime.of(23, 59, 58, 999_000_000).toSecondOfDay() * 1000 + 999,
                TS, new byte[]{0, 1, (byte) 0xff, 'x'}, List.of(1L, -2L), map,
                new Object[]{7L, -1L, List.of("p", "q")}};
    }

    private static Object[] nullRow() {
        return new Object[ALL_TYPES.size()];
    }

    private static List<Object[]> roundTrip(List<DataType.Field> schema, List<Object[]> rows) {
        FormatHarness harness = EncoderHarness.roundTrip(JSON, schema, Map.of(), rows);
        assertThat(harness.errors()).isEmpty();
        return harness.rows();
    }

    @Test
    void everyTypeRoundTrips() {
        List<Object[]> rows = List.of(fullRow(), nullRow());
        List<Object[]> back = roundTrip(ALL_TYPES, rows);
        assertThat(back).hasSize(2);
        Object[] full = back.get(0);
        Object[] expected = fullRow();
        for (int i = 0; i < expected.length; i++) {
            if (expected[i] instanceof Object[] nested) {
                assertThat((Object[]) full[i]).as("column %s", ALL_TYPES.get(i).name()).containsExactly(nested);
            } else {
                assertThat(full[i]).as("column %s", ALL_TYPES.get(i).name()).isEqualTo(expected[i]);
            }
        }
        assertThat(back.get(1)).containsOnlyNulls();
    }

    @Test
    void writesOneObjectWithDeclaredNamesAndReadableTexts() {
        List<DataType.Field> schema = List.of(field("UserId", DataType.of(TypeKind.BIGINT)),
                field("ts", DataType.timestamp(3)), field("day", DataType.of(TypeKind.DATE)),
                field("t", DataType.time(0)), field("amount", DataType.decimal(10, 2)),
                field("bin", DataType.of(TypeKind.VARBINARY)), field("missing", DataType.varchar()));
        List<String> records = EncoderHarness.encode(JSON, schema, Map.of(), List.<Object[]>of(new Object[]{
                42L, TS, 19_737L, 3_600_000L, new BigDecimal("1E+3").setScale(2), "hi".getBytes(StandardCharsets.UTF_8), null}));
        assertThat(records).containsExactly("{\"UserId\":42,\"ts\":\"2024-01-15 10:30:00.123\",\"day\":\"2024-01-15\","
                + "\"t\":\"01:00:00.000\",\"amount\":1000.00,\"bin\":\"aGk=\",\"missing\":null}");
    }

    @Test
    void specialDoublesAndTemporalEdgesRoundTrip() {
        List<DataType.Field> schema = List.of(field("d", DataType.of(TypeKind.DOUBLE)), field("ts", DataType.timestamp(3)),
                field("day", DataType.of(TypeKind.DATE)));
        List<Object[]> rows = List.of(
                new Object[]{Double.NaN, -1L, -1L},
                new Object[]{Double.POSITIVE_INFINITY, 0L, 0L},
                new Object[]{Double.NEGATIVE_INFINITY, Instant.parse("1969-07-20T20:17:40.001Z").toEpochMilli(),
                        LocalDate.of(1, 1, 1).toEpochDay()},
                new Object[]{-0.0, Instant.parse("9999-12-31T23:59:59.999Z").toEpochMilli(), LocalDate.of(9999, 12, 31).toEpochDay()});
        List<Object[]> back = roundTrip(schema, rows);
        assertThat(back).hasSize(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            assertThat(back.get(i)).as("row %s", i).isEqualTo(rows.get(i));
        }
    }

    @Test
    void manyRowsReuseTheEncoder() {
        List<DataType.Field> schema = List.of(field("id", DataType.of(TypeKind.BIGINT)), field("name", DataType.varchar()));
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            rows.add(new Object[]{(long) i, "name " + i});
        }
        List<Object[]> back = roundTrip(schema, rows);
        assertThat(back).hasSize(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            assertThat(Arrays.deepEquals(back.get(i), rows.get(i))).as("row %s", i).isTrue();
        }
    }
}
