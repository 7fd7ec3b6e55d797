package io.weir.server.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OptionTypeTest {
    private final OptionType<Duration> duration = OptionType.duration(Duration.ZERO, Duration.ofDays(2));
    private final OptionType<Integer> size = OptionType.byteSize(1024, Integer.MAX_VALUE);

    @ParameterizedTest
    @CsvSource({"500ms, 500", "30s, 30000", "5m, 300000", "1h, 3600000", "1d, 86400000", "PT2S, 2000",
            "pt0.5s, 500", "' 10 s ', 10000", "0s, 0"})
    void readsDurations(String text, long millis) {
        assertThat(duration.parse(text)).isEqualTo(Duration.ofMillis(millis));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "5", "five seconds", "-1s", "3w", "1.5s", "3d"})
    void rejectsBadDurations(String text) {
        assertThatThrownBy(() -> duration.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("expected a duration from 0s to 2d such as 500ms, 30s, 5m, 1h or PT30S");
    }

    @ParameterizedTest
    @CsvSource({"1024, 1024", "1k, 1024", "2KB, 2048", "64MiB, 67108864", "64m, 67108864", "1GiB, 1073741824",
            "' 4 kib ', 4096"})
    void readsSizes(String text, int bytes) {
        assertThat(size.parse(text)).isEqualTo(bytes);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1023", "2GiB", "99999999999", "12 parsecs", "-1k", "1.5m"})
    void rejectsBadSizes(String text) {
        assertThatThrownBy(() -> size.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("expected a size from 1KiB to 2147483647 bytes such as 65536, 512KiB or 64MiB");
    }

    @Test
    void memoryIsAShareOfTheHeapOrASize() {
        OptionType<Long> memory = OptionType.memory();
        assertThat(memory.parse("60%")).isEqualTo(Runtime.getRuntime().maxMemory() / 100 * 60);
        assertThat(memory.parse(" 4GiB ")).isEqualTo(4L << 30);
        assertThat(memory.parse("1536m")).isEqualTo(1536L << 20);
        for (String bad : new String[] {"0%", "101%", "512KiB", "lots", "3TiB"}) {
            assertThatThrownBy(() -> memory.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("percentage of the JVM's heap");
        }
    }

    @Test
    void formatsValuesAsTheyCanBeWritten() {
        assertThat(duration.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
        assertThat(duration.format(Duration.ofMinutes(90))).isEqualTo("90m");
        assertThat(size.format(64 << 20)).isEqualTo("64MiB");
        assertThat(size.format(1500)).isEqualTo("1500");
    }

    @Test
    void integersAreRangeChecked() {
        OptionType<Integer> port = OptionType.integer(0, 65535);

        assertThat(port.parse(" 80 ")).isEqualTo(80);
        assertThatThrownBy(() -> port.parse("65536")).hasMessage("expected an integer from 0 to 65535");
        assertThatThrownBy(() -> port.parse("eighty")).hasMessage("expected an integer from 0 to 65535");
    }

    @Test
    void hostsHaveNoSpaces() {
        assertThat(OptionType.host().parse(" 0.0.0.0 ")).isEqualTo("0.0.0.0");
        assertThatThrownBy(() -> OptionType.host().parse("a b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OptionType.host().parse(" ")).isInstanceOf(IllegalArgumentException.class);
    }
}
