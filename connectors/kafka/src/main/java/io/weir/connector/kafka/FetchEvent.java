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

        /**
         * About the bytes of the records' keys and values, as the broker sent them (what the fetcher's queue bounds):
         * their number times the mean size of the first and the last. Not a sum over every record: that loop, on the
         * consumer's thread, was 5% of its CPU (async-profiler, FlinkComparisonBenchmark q12 over Kafka).
         */
        static long bytesOf(List<ConsumerRecord<byte[], ByteBuffer>> records) {
            if (records.isEmpty()) {
                return 0;
            }
            long firstAndLast = size(records.get(0)) + size(records.get(records.size() - 1));
            return firstAndLast * records.size() / 2;
        }

        private static long size(ConsumerRecord<byte[], ByteBuffer> record) {
            return Math.max(0, record.serializedKeySize()) + Math.max(0, record.serializedValueSize());
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
