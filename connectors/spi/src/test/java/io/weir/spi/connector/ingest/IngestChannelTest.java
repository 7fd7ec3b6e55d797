package io.weir.spi.connector.ingest;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IngestChannelTest {
    @Test
    void everyReaderGetsEveryRecordFromItsOwnOffset() {
        IngestChannel channel = new IngestChannel("readings", 100);
        channel.append(records(0, 3));
        long first = channel.firstOffset();
        long second = channel.firstOffset();

        IngestChannel.Slice a = channel.read(first, 10);
        channel.append(records(3, 5));
        IngestChannel.Slice b = channel.read(second, 10);
        IngestChannel.Slice aAgain = channel.read(a.nextOffset(), 10);

        assertThat(texts(a)).containsExactly("r0", "r1", "r2");
        assertThat(texts(b)).containsExactly("r0", "r1", "r2", "r3", "r4");
        assertThat(texts(aAgain)).containsExactly("r3", "r4");
        assertThat(aAgain.nextOffset()).isEqualTo(5).isEqualTo(channel.endOffset());
        assertThat(channel.read(channel.endOffset(), 10).records()).isEmpty();
    }

    @Test
    void readReturnsAtMostTheRequestedNumberOfRecords() {
        IngestChannel channel = new IngestChannel("readings", 100);
        channel.append(records(0, 10));

        IngestChannel.Slice slice = channel.read(2, 3);

        assertThat(texts(slice)).containsExactly("r2", "r3", "r4");
        assertThat(slice.nextOffset()).isEqualTo(5);
        assertThat(slice.missed()).isZero();
    }

    @Test
    void aFullBufferDropsTheOldestRecordsAndCountsThem() {
        IngestChannel channel = new IngestChannel("readings", 4);
        channel.append(records(0, 3));
        channel.append(records(3, 10));

        assertThat(channel.size()).isEqualTo(4);
        assertThat(channel.droppedRecords()).isEqualTo(6);
        assertThat(channel.firstOffset()).isEqualTo(6);
        assertThat(texts(channel.read(channel.firstOffset(), 100))).containsExactly("r6", "r7", "r8", "r9");
    }

    @Test
    void aReaderThatFellBehindSeesTheGap() {
        IngestChannel channel = new IngestChannel("readings", 3);
        channel.append(records(0, 2));
        IngestChannel.Slice first = channel.read(0, 1);
        channel.append(records(2, 8));

        IngestChannel.Slice behind = channel.read(first.nextOffset(), 100);

        assertThat(behind.missed()).isEqualTo(4);
        assertThat(texts(behind)).containsExactly("r5", "r6", "r7");
        assertThat(behind.nextOffset()).isEqualTo(8);
    }

    @Test
    void theRingGrowsBeyondItsInitialSizeUpToTheCapacity() {
        IngestChannel channel = new IngestChannel("readings", 1000);
        for (int i = 0; i < 1500; i += 7) {
            channel.append(records(i, Math.min(i + 7, 1500)));
        }

        assertThat(channel.size()).isEqualTo(1000);
        assertThat(channel.droppedRecords()).isEqualTo(500);
        assertThat(texts(channel.read(500, 2000)))
                .containsExactlyElementsOf(IntStream.range(500, 1500).mapToObj(i -> "r" + i).toList());
    }

    @Test
    void shrinkingDropsTheOldestRecordsAndGrowingKeepsThem() {
        IngestChannel channel = new IngestChannel("readings", 10);
        channel.append(records(0, 8));

        channel.resize(3);
        assertThat(texts(channel.read(channel.firstOffset(), 100))).containsExactly("r5", "r6", "r7");
        assertThat(channel.droppedRecords()).isEqualTo(5);

        channel.resize(100);
        channel.append(records(8, 100));
        assertThat(channel.size()).isEqualTo(95);
        assertThat(channel.droppedRecords()).isEqualTo(5);
    }

    @Test
    void offsetsBeyondTheEndAreRejected() {
        IngestChannel channel = new IngestChannel("readings", 10);
        channel.append(records(0, 2));

        assertThatThrownBy(() -> channel.read(3, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void channelsAreSharedByNameIgnoringCase() {
        IngestChannels channels = new IngestChannels();
        IngestChannel channel = channels.channel("Shared", 5);
        assertThat(channels.channel("shared", 5)).isSameAs(channel);
        assertThat(channels.find("SHARED")).containsSame(channel);
        assertThat(channels.channel("Shared", 7).capacity()).isEqualTo(7);
        assertThat(channels.remove("sHARED")).isTrue();
        assertThat(channels.find("Shared")).isEmpty();
    }

    @Test
    void eachServersChannelsAreItsOwn() {
        IngestChannels first = new IngestChannels();
        IngestChannels second = new IngestChannels();
        first.channel("readings", 5).append(records(0, 2));

        assertThat(second.find("readings")).isEmpty();
        assertThat(second.channel("readings", 5).endOffset()).isZero();
        assertThat(first.channel("readings", 5).endOffset()).isEqualTo(2);
    }

    static List<byte[]> records(int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> ("r" + i).getBytes(StandardCharsets.UTF_8)).toList();
    }

    private static List<String> texts(IngestChannel.Slice slice) {
        return slice.records().stream().map(bytes -> new String(bytes, StandardCharsets.UTF_8)).toList();
    }
}
