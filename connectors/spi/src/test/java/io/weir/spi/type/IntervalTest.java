package io.weir.spi.type;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IntervalTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "0|0|0|00:00:00",
            "0|0|5400000000|01:30:00",
            "0|1|7200000000|1 day 02:00:00",
            "0|0|-5000000|-00:00:05",
            "14|0|0|1 year 2 mons",
            "1|0|0|1 mon",
            "0|3|0|3 days",
            "0|1|0|1 day",
            "0|-1|7200000000|-1 days +02:00:00",
            "0|-1|-7200000000|-1 days -02:00:00",
            "-14|0|0|-1 years -2 mons",
            "-1|3|0|-1 mons +3 days",
            "0|0|1500000|00:00:01.5",
            "0|0|-1500000|-00:00:01.5",
            "0|0|123|00:00:00.000123",
            "0|0|360000000000|100:00:00",
            "13|2|3723000000|1 year 1 mon 2 days 01:02:03",
    })
    void printsAsPostgresqlWithItsDefaultIntervalStyle(int months, int days, long micros, String text) {
        assertThat(new Interval(months, days, micros).toPostgresText()).isEqualTo(text);
        assertThat(Interval.parse(text)).as("read back").isEqualTo(new Interval(months, days, micros));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "5 minutes|0|0|300000000",
            "5 mins|0|0|300000000",
            "5min|0|0|300000000",
            "@ 5 mins|0|0|300000000",
            "@ 5 mins ago|0|0|-300000000",
            "1 day ago|0|-1|0",
            "1 day 02:00:00|0|1|7200000000",
            "1 02:00:00|0|1|7200000000",
            "01:30:00|0|0|5400000000",
            "01:30|0|0|5400000000",
            "-00:00:05|0|0|-5000000",
            "00:00:01.5|0|0|1500000",
            "90|0|0|90000000",
            "1.5|0|0|1500000",
            "1.5 hours|0|0|5400000000",
            "1.5 days|0|1|43200000000",
            "1.5 months|1|15|0",
            "2 weeks|0|14|0",
            "1 year 2 months|14|0|0",
            "1 yr 2 mon|14|0|0",
            "1-2|14|0|0",
            "-1-2|-14|0|0",
            "1 decade|120|0|0",
            "10 s 250 ms|0|0|10250000",
            "3 microseconds|0|0|3",
            "1 day 2 hours 3 minutes 4.5 seconds|0|1|7384500000",
            "-1 day +2 hours|0|-1|7200000000",
            "  5 MINUTES  |0|0|300000000",
            "PT5M|0|0|300000000",
            "pt5m|0|0|300000000",
            "P1DT2H|0|1|7200000000",
            "P1Y2M|14|0|0",
            "P2W|0|14|0",
            "PT0.5S|0|0|500000",
            "-PT0.5S|0|0|-500000",
            "PT-5M|0|0|-300000000",
            "P1Y2M3DT4H5M6.7S|14|3|14706700000",
    })
    void readsPostgresqlsInputFormsAndIso8601(String text, int months, int days, long micros) {
        assertThat(Interval.parse(text)).isEqualTo(new Interval(months, days, micros));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  ", "abc", "5 minutez", "minutes", "5 minutes ago ago", "ago 5 minutes", "P", "PT", "PT5X",
            "P5H", "10:75:00", "00:00:61", "1:2:3:4", "5 % minutes", "99999999999999999999 days", "1-13"})
    void refusesWhatIsNotAnInterval(String text) {
        assertThatThrownBy(() -> Interval.parse(text)).isInstanceOf(ConversionException.class)
                .hasMessageContaining("invalid interval").hasMessageContaining("'5 minutes'");
    }

    @Test
    void dayTimeMillisSplitIntoDaysOfOneSignAsPostgresqlPrintsATimestampDifference() {
        assertThat(Interval.ofMillis(93_600_000L)).isEqualTo(new Interval(0, 1, 7_200_000_000L));
        assertThat(Interval.ofMillis(-93_600_000L)).isEqualTo(new Interval(0, -1, -7_200_000_000L));
        assertThat(Interval.ofMillis(259_200_000L).toPostgresText()).isEqualTo("3 days");
        assertThat(Interval.ofMillis(5_400_000L).toPostgresText()).isEqualTo("01:30:00");
        assertThat(Interval.ofMillis(-5_000L).toPostgresText()).isEqualTo("-00:00:05");
        assertThat(Interval.ofMillis(1_234L).toPostgresText()).isEqualTo("00:00:01.234");
    }

    @Test
    void millisOfADayTimeIntervalAndARefusalForMonths() {
        assertThat(Interval.parse("1 day 02:00:00.0019").toMillis()).isEqualTo(93_600_001L);
        assertThat(Interval.parse("-00:00:00.0019").toMillis()).isEqualTo(-1L);
        assertThat(Interval.parse("26 hours").toMillis()).isEqualTo(93_600_000L);
        assertThatThrownBy(() -> Interval.parse("1 mon 2 days").toMillis()).isInstanceOf(ConversionException.class)
                .hasMessageContaining("'1 mon 2 days' mixes months with days or time");
        assertThatThrownBy(() -> Interval.parse("1 year").toMillis()).isInstanceOf(ConversionException.class)
                .hasMessageContaining("'1 year' has months, whose length varies");
        assertThat(Interval.parse("1 mon").isYearMonth()).isTrue();
        assertThat(Interval.parse("1 mon 1 day").isYearMonth()).isFalse();
    }
}
