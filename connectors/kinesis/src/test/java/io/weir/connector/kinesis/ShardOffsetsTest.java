package io.weir.connector.kinesis;

import io.weir.spi.WeirException;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ShardOffsetsTest {
    /** Sequence numbers from Amazon's Kinesis documentation (GetRecords and PutRecord examples). */
    private static final String AWS_EXAMPLE = "49546986683135544286507457936321625675700192471156785154";
    private static final String AWS_OTHER = "49590338271490256608559692538361571095921575989136588898";

    @Test
    void aRecordsOffsetIsTheIndexInItsSequenceNumber() {
        assertThat(ShardOffsets.recordOffset(AWS_EXAMPLE)).isEqualTo(469);
        assertThat(ShardOffsets.recordOffset(AWS_OTHER)).isEqualTo(1_734_642_199L);
    }

    @Test
    void theSequenceNumberMadeForAnOffsetIsInItsShardAndBelowEveryRecordFromThere() {
        String made = ShardOffsets.sequenceAt(AWS_EXAMPLE, 469);
        assertThat(ShardOffsets.recordOffset(made)).isEqualTo(469);
        assertThat(made).hasSize(AWS_EXAMPLE.length());
        assertThat(new BigInteger(made)).isLessThanOrEqualTo(new BigInteger(AWS_EXAMPLE));
        assertThat(new BigInteger(ShardOffsets.sequenceAt(AWS_EXAMPLE, 470))).isGreaterThan(new BigInteger(AWS_EXAMPLE));
        // the shard's number (the last hex digits) is kept
        assertThat(new BigInteger(made).toString(16)).endsWith(new BigInteger(AWS_EXAMPLE).toString(16).substring(38));
    }

    @Test
    void startPositionsLieBelowEveryRecordAndKeepTheirOrder() {
        long earlier = ShardOffsets.atTimestamp(1_700_000_000_000L);
        long later = ShardOffsets.atTimestamp(1_700_000_001_000L);
        assertThat(ShardOffsets.TRIM_HORIZON).isLessThan(earlier);
        assertThat(earlier).isLessThan(later).isLessThan(0);
        assertThat(ShardOffsets.timestampOf(later)).isEqualTo(1_700_000_001_000L);
        assertThat(ShardOffsets.isTimestamp(ShardOffsets.TRIM_HORIZON)).isFalse();
        assertThat(ShardOffsets.isRecordPosition(ShardOffsets.FINISHED)).isFalse();
        assertThat(ShardOffsets.describe(earlier)).isEqualTo("AT_TIMESTAMP 2023-11-14T22:13:20Z");
    }

    @Test
    void aSequenceNumberOfAnotherLayoutIsRefusedWithAClearError() {
        assertThatThrownBy(() -> ShardOffsets.recordOffset("12345")).isInstanceOf(WeirException.class)
                .hasMessageContaining("not in the layout");
        assertThatThrownBy(() -> ShardOffsets.recordOffset("abc")).isInstanceOf(WeirException.class);
    }
}
