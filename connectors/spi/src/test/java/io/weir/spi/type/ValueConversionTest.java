package io.weir.spi.type;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ValueConversionTest {
    private static final DataType TINYINT = DataType.of(TypeKind.TINYINT);
    private static final DataType INTEGER = DataType.of(TypeKind.INTEGER);
    private static final DataType BIGINT = DataType.of(TypeKind.BIGINT);

    @Test
    void integersWithRangeChecks() {
        assertThat(ValueConversion.fromText(BIGINT, " 42 ")).isEqualTo(42L);
        assertThat(ValueConversion.fromText(BIGINT, "-9223372036854775808")).isEqualTo(Long.MIN_VALUE);
        assertThat(ValueConversion.fromText(INTEGER, "1e3")).isEqualTo(1000L);
        assertThat(ValueConversion.fromText(INTEGER, "3.0")).isEqualTo(3L);
        assertThat(ValueConversion.fromText(TINYINT, "-128")).isEqualTo(-128L);
        assertThatThrownBy(() -> ValueConversion.fromText(TINYINT, "128")).hasMessage("value 128 is out of range for TINYINT (-128 to 127)");
        assertThatThrownBy(() -> ValueConversion.fromText(BIGINT, "9223372036854775808")).hasMessageContaining("out of range for BIGINT");
        assertThatThrownBy(() -> ValueConversion.fromText(INTEGER, "3.5")).hasMessageContaining("not a whole number");
        assertThatThrownBy(() -> ValueConversion.fromText(INTEGER, "abc")).hasMessage("cannot parse 'abc' as INTEGER");
        assertThatThrownBy(() -> ValueConversion.fromText(INTEGER, "")).hasMessage("cannot parse '' as INTEGER");
        assertThatThrownBy(() -> ValueConversion.fromText(INTEGER, "1e999999999")).isInstanceOf(ConversionException.class);
    }

    @Test
    void floatingPoint() {
        DataType real = DataType.of(TypeKind.REAL);
        DataType dbl = DataType.of(TypeKind.DOUBLE);
        assertThat(ValueConversion.fromText(dbl, "1.5e3")).isEqualTo(1500.0);
        assertThat(ValueConversion.fromText(dbl, "NaN")).isEqualTo(Double.NaN);
        assertThat(ValueConversion.fromText(dbl, "-Infinity")).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(ValueConversion.fromText(real, "0.1")).isEqualTo((double) 0.1f);
        assertThatThrownBy(() -> ValueConversion.fromText(real, "1e39")).hasMessageContaining("out of range for REAL");
        assertThatThrownBy(() -> ValueConversion.fromText(dbl, "1d")).hasMessageContaining("cannot parse '1d' as DOUBLE");
        assertThatThrownBy(() -> ValueConversion.fromText(dbl, "0x10")).isInstanceOf(ConversionException.class);
    }

    @Test
    void decimalsAreExactRoundedToScaleAndChecked() {
        DataType decimal = DataType.decimal(5, 2);
        assertThat(ValueConversion.fromText(decimal, "123.456")).isEqualTo(new BigDecimal("123.46"));
        assertThat(ValueConversion.fromText(decimal, "1")).isEqualTo(new BigDecimal("1.00"));
        assertThat(ValueConversion.fromText(decimal, "0.1")).isEqualTo(new BigDecimal("0.10"));
        assertThatThrownBy(() -> ValueConversion.fromText(decimal, "1234.5")).hasMessageContaining("does not fit DECIMAL(5, 2)");
        assertThatThrownBy(() -> ValueConversion.fromText(decimal, "999.999")).hasMessageContaining("does not fit");
        assertThatThrownBy(() -> ValueConversion.fromText(decimal, "x")).hasMessageContaining("cannot parse 'x' as DECIMAL(5, 2)");
    }

    @Test
    void booleans() {
        DataType bool = DataType.of(TypeKind.BOOLEAN);
        assertThat(ValueConversion.fromText(bool, "TRUE")).isEqualTo(true);
        assertThat(ValueConversion.fromText(bool, "0")).isEqualTo(false);
        assertThatThrownBy(() -> ValueConversion.fromText(bool, "yes")).hasMessageContaining("as BOOLEAN");
    }

    @Test
    void stringsAreLengthCheckedAndCharIsPadded() {
        assertThat(ValueConversion.fromText(DataType.varchar(3), "abc")).isEqualTo("abc");
        assertThat(ValueConversion.fromText(DataType.varchar(3), "abc  ")).isEqualTo("abc");
        assertThat(ValueConversion.fromText(DataType.varchar(2), "日本")).isEqualTo("日本");
        assertThat(ValueConversion.fromText(DataType.varchar(1), "😀")).isEqualTo("😀");
        assertThat(ValueConversion.fromText(DataType.charType(4), "ab")).isEqualTo("ab  ");
        assertThat(ValueConversion.fromText(DataType.varchar(), " keep spaces ")).isEqualTo(" keep spaces ");
        assertThatThrownBy(() -> ValueConversion.fromText(DataType.varchar(3), "abcd"))
                .hasMessage("value of length 4 is too long for VARCHAR(3)");
    }

    @Test
    void temporalsFromTextAndNumbers() {
        DataType ts = DataType.timestamp(3);
        assertThat(ValueConversion.fromText(ts, "1700000000123")).isEqualTo(1_700_000_000_123L);
        assertThat(ValueConversion.fromText(DataType.timestamp(0), "2024-01-15 10:30:00.999"))
                .isEqualTo(Instant.parse("2024-01-15T10:30:00Z").toEpochMilli());
        assertThat(ValueConversion.fromText(DataType.of(TypeKind.DATE), "2024-01-15")).isEqualTo(LocalDate.of(2024, 1, 15).toEpochDay());
        assertThat(ValueConversion.fromText(DataType.of(TypeKind.DATE), "19737")).isEqualTo(19737L);
        assertThat(ValueConversion.fromText(DataType.time(3), "00:00:01.5")).isEqualTo(1500L);
        assertThatThrownBy(() -> ValueConversion.fromText(DataType.time(3), "86400000")).hasMessageContaining("out of range for TIME");
    }

    @Test
    void binaryFromBase64() {
        DataType binary = DataType.of(TypeKind.VARBINARY);
        assertThat((byte[]) ValueConversion.fromText(binary, "AQID")).containsExactly(1, 2, 3);
        assertThat((byte[]) ValueConversion.fromText(binary, "-_8")).containsExactly(0xfb, 0xff);
        assertThatThrownBy(() -> ValueConversion.fromText(binary, "***")).hasMessageContaining("base64");
    }

    @Test
    void javaValuesToRepresentation() {
        assertThat(ValueConversion.fromJava(BIGINT, 5)).isEqualTo(5L);
        assertThat(ValueConversion.fromJava(DataType.of(TypeKind.DOUBLE), 5)).isEqualTo(5.0);
        assertThat(ValueConversion.fromJava(DataType.decimal(4, 1), 2.25)).isEqualTo(new BigDecimal("2.3"));
        assertThat(ValueConversion.fromJava(DataType.timestamp(3), LocalDateTime.of(2024, 1, 15, 10, 30)))
                .isEqualTo(Instant.parse("2024-01-15T10:30:00Z").toEpochMilli());
        assertThat(ValueConversion.fromJava(DataType.timestamp(3), "2024-01-15 10:30:00"))
                .isEqualTo(Instant.parse("2024-01-15T10:30:00Z").toEpochMilli());
        assertThat(ValueConversion.fromJava(DataType.of(TypeKind.DATE), LocalDate.of(1970, 1, 2))).isEqualTo(1L);
        assertThat(ValueConversion.fromJava(DataType.array(DataType.of(TypeKind.INTEGER)), List.of(1, 2))).isEqualTo(List.of(1L, 2L));
        assertThat(ValueConversion.fromJava(DataType.map(DataType.varchar(), BIGINT), Map.of("a", 1))).isEqualTo(Map.of("a", 1L));
        DataType row = DataType.row(List.of(new DataType.Field("x", INTEGER), new DataType.Field("y", DataType.varchar())));
        assertThat((Object[]) ValueConversion.fromJava(row, Map.of("X", 1, "y", "b"))).containsExactly(1L, "b");
        assertThat((Object[]) ValueConversion.fromJava(row, new Object[] {2, null})).containsExactly(2L, null);
        assertThatThrownBy(() -> ValueConversion.fromJava(BIGINT, true)).hasMessageContaining("cannot convert a Boolean");
        assertThatThrownBy(() -> ValueConversion.fromJava(DataType.array(TINYINT), List.of(1, 1000)))
                .hasMessageContaining("element 1: value 1000 is out of range for TINYINT");
    }
}
