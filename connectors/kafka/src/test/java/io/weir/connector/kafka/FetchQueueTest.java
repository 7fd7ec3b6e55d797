package io.weir.connector.kafka;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class FetchQueueTest {
    private static final TopicPartition PARTITION = new TopicPartition("t", 0);

    /** A record as the consumer returns it, with the sizes the broker sent. */
    private static ConsumerRecord<byte[], ByteBuffer> record(long offset, byte[] key, ByteBuffer value) {
        return new ConsumerRecord<>("t", 0, offset, 0L, TimestampType.CREATE_TIME, key == null ? -1 : key.length,
                value == null ? -1 : value.remaining(), key, value, new RecordHeaders(), Optional.empty());
    }

    /** One record of {@code valueBytes} bytes of value (and a 3-byte key) as an event. */
    private static FetchEvent.Records records(int valueBytes) {
        ConsumerRecord<byte[], ByteBuffer> record = record(0, new byte[3], ByteBuffer.allocate(valueBytes));
        List<ConsumerRecord<byte[], ByteBuffer>> list = List.of(record);
        return new FetchEvent.Records(List.of(new FetchEvent.PartitionRecords(PARTITION, list)), FetchEvent.Records.bytesOf(list));
    }

    @Test
    void estimatesTheKeysAndValuesOfTheRecordsFromTheFirstAndTheLast() {
        ConsumerRecord<byte[], ByteBuffer> record = record(0, new byte[3], ByteBuffer.allocate(10));
        ConsumerRecord<byte[], ByteBuffer> larger = record(1, new byte[3], ByteBuffer.allocate(30));
        ConsumerRecord<byte[], ByteBuffer> tombstone = record(2, null, null);
        assertThat(FetchEvent.Records.bytesOf(List.of())).isZero();
        assertThat(FetchEvent.Records.bytesOf(List.of(record))).isEqualTo(13);
        assertThat(FetchEvent.Records.bytesOf(List.of(record, record, larger))).isEqualTo(3 * (13 + 33) / 2);
        assertThat(FetchEvent.Records.bytesOf(List.of(record, tombstone))).isEqualTo(13);
    }

    @Test
    void boundsTheEventsWaiting() throws Exception {
        FetchQueue queue = new FetchQueue(2, 1 << 20);
        assertThat(queue.offer(records(10), 0, TimeUnit.MILLISECONDS)).isTrue();
        assertThat(queue.offer(new FetchEvent.PartitionEnded(PARTITION), 0, TimeUnit.MILLISECONDS)).isTrue();
        assertThat(queue.offer(records(10), 10, TimeUnit.MILLISECONDS)).isFalse();
        assertThat(queue.poll()).isInstanceOf(FetchEvent.Records.class);
        assertThat(queue.offer(records(10), 0, TimeUnit.MILLISECONDS)).isTrue();
    }

    @Test
    void boundsTheBytesWaitingButAlwaysTakesAnEventWhenEmpty() throws Exception {
        FetchQueue queue = new FetchQueue(8, 100);
        // larger than the limit, but the queue is empty: a poll larger than the limit still goes through
        assertThat(queue.offer(records(500), 0, TimeUnit.MILLISECONDS)).isTrue();
        assertThat(queue.bytes()).isEqualTo(503);
        assertThat(queue.offer(records(10), 10, TimeUnit.MILLISECONDS)).isFalse();
        queue.poll();
        assertThat(queue.bytes()).isZero();
        assertThat(queue.offer(records(40), 0, TimeUnit.MILLISECONDS)).isTrue();
        assertThat(queue.offer(records(40), 0, TimeUnit.MILLISECONDS)).isTrue();
        assertThat(queue.offer(records(40), 10, TimeUnit.MILLISECONDS)).isFalse();
        assertThat(queue.bytes()).isEqualTo(86);
    }

    @Test
    void aWaitingProducerGoesOnOnceTheReaderTakesAnEvent() throws Exception {
        FetchQueue queue = new FetchQueue(1, 1 << 20);
        queue.offer(records(10), 0, TimeUnit.MILLISECONDS);
        FetchEvent.Records next = records(20);
        CompletableFuture<Boolean> offered = CompletableFuture.supplyAsync(() -> {
            try {
                return queue.offer(next, 30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(queue.peek()).isNotSameAs(next);
        queue.poll();
        assertThat(offered.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(queue.poll()).isSameAs(next);
        assertThat(queue.poll()).isNull();
    }

    @Test
    void clearFreesTheRoom() throws Exception {
        FetchQueue queue = new FetchQueue(1, 1 << 20);
        queue.offer(records(10), 0, TimeUnit.MILLISECONDS);
        queue.clear();
        assertThat(queue.peek()).isNull();
        assertThat(queue.bytes()).isZero();
        assertThat(queue.offer(records(10), 0, TimeUnit.MILLISECONDS)).isTrue();
    }
}
