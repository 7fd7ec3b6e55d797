package io.weir.connector.kafka;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

import java.nio.ByteBuffer;
import java.util.List;

import static java.util.Objects.requireNonNull;

/** What a {@link KafkaFetcher} hands to its reader, in order. */
sealed interface FetchEvent {
    /** The partitions read, in split-id order; always the first event. */
    record Assigned(List<TopicPartition> partitions) implements FetchEvent {
        public Assigned {
            partitions = List.copyOf(requireNonNull(partitions, "partitions is null"));
        }
    }

    /**
     * What one poll of the consumer fetched, per partition. The lists are the consumer's own (no
     * per-record copy); the values of uncompressed batches are slices of the fetch response's buffer,
     * which stays reachable until the reader passed its records (the fetcher's queue bounds how many).
     */
    record Records(List<PartitionRecords> partitions, long bytes) implements FetchEvent {
        public Records {
            partitions = List.copyOf(requireNonNull(partitions, "partitions is null"));
            if (bytes < 0) {
                throw new IllegalArgumentException("bytes is negative: " + bytes);
            }
        }

        /** The records' keys and values, as the broker sent them (what the fetcher's queue bounds). */
        static long bytesOf(List<ConsumerRecord<byte[], ByteBuffer>> records) {
            long bytes = 0;
            for (int i = 0; i < records.size(); i++) {
                ConsumerRecord<byte[], ByteBuffer> record = records.get(i);
                bytes += Math.max(0, record.serializedKeySize()) + Math.max(0, record.serializedValueSize());
            }
            return bytes;
        }
    }

    /** Records of one partition, in offset order, never empty. */
    record PartitionRecords(TopicPartition partition, List<ConsumerRecord<byte[], ByteBuffer>> records) {
        public PartitionRecords {
            requireNonNull(partition, "partition is null");
            requireNonNull(records, "records is null");
        }
    }

    /** A bounded read reached the partition's stop offset; no more records of it follow. */
    record PartitionEnded(TopicPartition partition) implements FetchEvent {
        public PartitionEnded {
            requireNonNull(partition, "partition is null");
        }
    }

    /** A bounded read ended in every partition; the last event. */
    record AllEnded() implements FetchEvent {
    }

    /** The fetcher stopped on an error; the last event. */
    record Failed(RuntimeException error) implements FetchEvent {
        public Failed {
            requireNonNull(error, "error is null");
        }
    }
}
