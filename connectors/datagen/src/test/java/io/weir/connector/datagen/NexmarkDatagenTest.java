package io.weir.connector.datagen;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.connector.ObjectKind;
import io.weir.spi.connector.SourceHarness;
import io.weir.spi.type.DataType;
import io.weir.spi.type.TypeKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code 'profile' = 'nexmark'} through the datagen connector. */
class NexmarkDatagenTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final long START = Instant.parse("2024-01-15T10:00:00Z").toEpochMilli();
    private static final DataType BIGINT = DataType.of(TypeKind.BIGINT);
    private static final List<DataType.Field> BID = List.of(
            new DataType.Field("auction", BIGINT), new DataType.Field("bidder", BIGINT), new DataType.Field("price", BIGINT),
            new DataType.Field("channel", DataType.varchar()), new DataType.Field("url", DataType.varchar()),
            new DataType.Field("DATETIME", DataType.timestamp(3)), new DataType.Field("extra", DataType.varchar()));

    @TempDir
    Path tempDir;

    private SourceHarness open(List<DataType.Field> schema, String... keyValues) {
        Map<String, String> options = new HashMap<>();
        options.put("connector", "datagen");
        for (int i = 0; i < keyValues.length; i += 2) {
            options.put(keyValues[i], keyValues[i + 1]);
        }
        return SourceHarness.create("bids", ObjectKind.STREAM, schema, options, tempDir, InstantSource.system());
    }

    @Test
    void bidStreamHasFlinkColumnsAndPacedEventTimes() {
        List<Object[]> rows = open(BID, "profile", "nexmark", "rows-per-second", "1000", "number-of-rows", "2000",
                "start-time", "2024-01-15 10:00:00").readAll(TIMEOUT);
        assertThat(rows).hasSize(2000);
        for (int i = 0; i < rows.size(); i++) {
            Object[] row = rows.get(i);
            assertThat((Long) row[0]).isGreaterThanOrEqualTo(1000L);
            assertThat((Long) row[1]).isGreaterThanOrEqualTo(1000L);
            assertThat((Long) row[2]).isPositive();
            assertThat((String) row[3]).isNotEmpty();
            assertThat((String) row[4]).startsWith("https://www.nexmark.com/");
            assertThat(row[5]).isEqualTo(START + i);
        }
    }

    @Test
    void chosenEventTypeAndSubsetOfColumns() {
        List<DataType.Field> auction = List.of(new DataType.Field("id", BIGINT), new DataType.Field("seller", BIGINT),
                new DataType.Field("expires", DataType.timestamp(3)), new DataType.Field("itemName", DataType.varchar()));
        List<Object[]> rows = open(auction, "profile", "nexmark", "nexmark.event-type", "auction", "rows-per-second", "0",
                "number-of-rows", "30", "seed", "5").readAll(TIMEOUT);
        assertThat(rows).extracting(row -> row[0]).containsExactlyElementsOf(
                java.util.stream.LongStream.range(1000, 1030).boxed().map(Object.class::cast).toList());
        List<DataType.Field> person = List.of(new DataType.Field("id", BIGINT), new DataType.Field("state", DataType.varchar()));
        assertThat(open(person, "profile", "nexmark", "nexmark.event-type", "person", "rows-per-second", "0",
                "number-of-rows", "5").readAll(TIMEOUT)).extracting(row -> row[0]).containsExactly(1000L, 1001L, 1002L, 1003L, 1004L);
    }

    @Test
    void sameSeedSameRows() {
        String[] options = {"profile", "nexmark", "rows-per-second", "0", "number-of-rows", "200", "seed", "11",
            "start-time", "2024-01-15 10:00:00"};
        assertThat(open(BID, options).readAll(TIMEOUT)).usingRecursiveFieldByFieldElementComparator()
                .containsExactlyElementsOf(open(BID, options).readAll(TIMEOUT));
    }

    @Test
    void rejectsColumnsOfOtherEventsWrongTypesAndMisplacedOptions() {
        assertThatThrownBy(() -> open(List.of(new DataType.Field("seller", BIGINT)), "profile", "nexmark").createSource())
                .isInstanceOf(WeirException.class)
                .satisfies(e -> assertThat(((WeirException) e).errorCode()).isEqualTo(ErrorCode.UNKNOWN_COLUMN))
                .hasMessageContaining("'seller'").hasMessageContaining("auction, bidder, price");
        assertThatThrownBy(() -> open(List.of(new DataType.Field("price", DataType.varchar())), "profile", "nexmark").createSource())
                .isInstanceOf(WeirException.class).hasMessageContaining("BIGINT");
        assertThatThrownBy(() -> open(BID, "nexmark.event-type", "bid").createSource())
                .isInstanceOf(WeirException.class).hasMessageContaining("'profile' = 'nexmark'");
        assertThatThrownBy(() -> open(BID, "profile", "nexmark", "nexmark.event-type", "bids").createSource())
                .isInstanceOf(WeirException.class).hasMessageContaining("nexmark.event-type");
        assertThatThrownBy(() -> open(BID, "profile", "nexmark", "fields.price.kind", "constant").createSource())
                .isInstanceOf(WeirException.class).hasMessageContaining("fields.price.kind");
    }
}
