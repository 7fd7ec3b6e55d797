package io.weir.spi.type;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TemporalsTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "2024-01-15T10:30:00Z|2024-01-15T10:30:00Z",
            "2024-01-15T10:30:00|2024-01-15T10:30:00Z",
            "2024-01-15 10:30:00|2024-01-15T10:30:00Z",
            "2024-01-15 10:30|2024-01-15T10:30:00Z",
            "2024-01-15t10:30:00z|2024-01-15T10:30:00Z",
            "2024-01-15 10:30:00.1|2024-01-15T10:30:00.100Z",
            "2024-01-15 10:30:00.123456789|2024-01-15T10:30:00.123Z",
            "2024-01-15T12:30:00+02:00|2024-01-15T10:30:00Z",
            "2024-01-15T12:30:00+0200|2024-01-15T10:30:00Z",
            "2024-01-15T12:30:00+02|2024-01-15T10:30:00Z",
            "2024-01-15T05:30:00-05:00|2024-01-15T10:30:00Z",
            "2024-01-15 12:30:00 +02:00|2024-01-15T10:30:00Z",
            "2024-01-15T11:30:00+01:00[Europe/Paris]|2024-01-15T10:30:00Z",
            "2024-07-15 12:30:00 Europe/Paris|2024-07-15T10:30:00Z",
            "2024-01-15|2024-01-15T00:00:00Z",
            "  2024-01-15 10:30:00  |2024-01-15T10:30:00Z",
            "2024-02-29 00:00:00|2024-02-29T00:00:00Z",
            "1969-12-31 23:59:59.999|1969-12-31T23:59:59.999Z",
            "0001-01-01 00:00:00|0001-01-01T00:00:00Z",
            "9999-12-31 23:59:59|9999-12-31T23:59:59Z",
    })
    void parsesTimestamps(String text, String expected) {
        assertThat(Temporals.parseTimestamp(text)).isEqualTo(Instant.parse(expected).toEpochMilli());
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "", "2024-13-01", "2024-02-30", "2023-02-29", "2024-01-15T25:00:00", "2024-01-15T10:60",
            "2024-01-15T10:30:61", "2024-01-15X10:30", "2024-01-15 10:30:00.", "2024-01-15 10:30:00 +25:00",
            "2024-01-15 10:30:00 Mars/Olympus", "24-01-15", "2024-1-5 10:30:00 garbage", "2024-01-15 10"})
    void rejectsMalformedTimestampsNamingTheText(String text) {
        assertThatThrownBy(() -> Temporals.parseTimestamp(text))
                .isInstanceOf(ConversionException.class)
                .hasMessageContaining("cannot parse '" + text + "' as TIMESTAMP");
    }

    @Test
    void parsesDatesAndTimes() {
        assertThat(Temporals.parseDate("2024-01-15")).isEqualTo(LocalDate.of(2024, 1, 15).toEpochDay());
        assertThat(Temporals.parseDate("1900-03-01")).isEqualTo(LocalDate.of(1900, 3, 1).toEpochDay());
        assertThat(Temporals.parseTime("10:30")).isEqualTo(LocalTime.of(10, 30).toNanoOfDay() / 1_000_000);
        assertThat(Temporals.parseTime("23:59:59.5")).isEqualTo(86_399_500L);
        assertThatThrownBy(() -> Temporals.parseDate("2024-01-15 10:00")).hasMessageContaining("as DATE");
        assertThatThrownBy(() -> Temporals.parseTime("24:00")).hasMessageContaining("as TIME");
    }

    @Test
    void epochDayMatchesLocalDateForEveryDayOfSeveralCenturies() {
        for (LocalDate day = LocalDate.of(1590, 1, 1); day.isBefore(LocalDate.of(2410, 1, 1)); day = day.plusDays(1)) {
            assertThat(Temporals.epochDay(day.getYear(), day.getMonthValue(), day.getDayOfMonth())).isEqualTo(day.toEpochDay());
        }
    }

    @Test
    void formatsTimestamps() {
        assertThat(Temporals.formatTimestamp(Instant.parse("2024-01-15T10:30:00.123Z").toEpochMilli())).isEqualTo("2024-01-15 10:30:00.123");
        assertThat(Temporals.formatTimestamp(-1)).isEqualTo("1969-12-31 23:59:59.999");
    }

    /** The text with a byte before and after it, as it lies in a record. */
    private static byte[] inRecord(String text) {
        return ("\"" + text + "\"").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void simpleTimestampsFromBytesAreParsedAsFromTextAndOthersAreLeftToIt() {
        java.util.List<String> simple = java.util.List.of("2024-01-15 10:30:00", "2024-01-15T10:30:00.5", "2024-01-15t23:59:59.123Z",
                "2024-02-29 00:00:00.123456789", "1969-12-31 23:59:59.999", "0001-01-01 00:00:00", "2023-11-14 22:13:20.000z");
        java.util.List<String> other = java.util.List.of("2024-01-15", "2024-01-15 10:30", " 2024-01-15 10:30:00", "2024-1-15 10:30:00",
                "2024-01-15 10:30:00+02:00", "2024-01-15 10:30:00 Europe/Paris", "2024-01-15 10:30:00.", "2024-01-15 10:30:00.1234567890",
                "2023-02-29 10:30:00", "2024-13-01 00:00:00", "2024-01-15 24:00:00", "2024-01-15 10:60:00", "2024-01-15 10:30:60",
                "2024-01-15X10:30:00", "2024-01-15 10:30:0a", "abcd-01-15 10:30:00", "2024-01-15 10:30:00ZZ");
        TimestampParser parser = new TimestampParser();
        for (String text : simple) {
            byte[] bytes = inRecord(text);
            long millis = Temporals.parseSimpleTimestamp(bytes, 1, bytes.length - 1);
            assertThat(millis).as(text).isEqualTo(Temporals.parseTimestamp(text));
            assertThat(parser.parse(bytes, 1, bytes.length - 1)).as(text).isEqualTo(millis);
        }
        for (String text : other) {
            byte[] bytes = inRecord(text);
            assertThat(Temporals.parseSimpleTimestamp(bytes, 1, bytes.length - 1)).as(text).isEqualTo(Temporals.NOT_SIMPLE);
            assertThat(parser.parse(bytes, 1, bytes.length - 1)).as(text).isEqualTo(Temporals.NOT_SIMPLE);
        }
    }

    @Test
    void theParserRemembersTheMinuteButChecksTheSeconds() {
        TimestampParser parser = new TimestampParser();
        for (String text : java.util.List.of("2024-01-15 10:30:00.250", "2024-01-15 10:30:07", "2024-01-15 10:30:59.999Z",
                "2024-01-15 10:31:00", "2024-01-15T10:31:01", "2024-01-15 10:31:01.5")) {
            byte[] bytes = inRecord(text);
            assertThat(parser.parse(bytes, 1, bytes.length - 1)).as(text).isEqualTo(Temporals.parseTimestamp(text));
        }
        for (String text : java.util.List.of("2024-01-15 10:31:61", "2024-01-15 10:31:01+01:00", "2024-01-15 10:31:0", "2024-01-15 10:31:01.")) {
            byte[] bytes = inRecord(text);
            assertThat(parser.parse(bytes, 1, bytes.length - 1)).as(text).isEqualTo(Temporals.NOT_SIMPLE);
        }
    }
}
