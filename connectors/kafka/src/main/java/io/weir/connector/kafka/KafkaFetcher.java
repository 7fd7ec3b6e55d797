package io.weir.connector.kafka;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/**
 * Owns one {@link KafkaConsumer} on a dedicated thread (the consumer is not thread-safe, and its
 * metadata calls block) and hands what it fetches to the reader through a bounded queue, so that
 * {@link KafkaSourceReader#poll} never waits on the network and memory stays bounded when the engine
 * falls behind. Events come in order: {@link FetchEvent.Assigned} first, then records, and for a
 * bounded read {@link FetchEvent.PartitionEnded} per partition and {@link FetchEvent.AllEnded}; an
 * error ends the stream of events with {@link FetchEvent.Failed}. Commits run on the same thread:
 * to the consumer's own group through the consumer, and for a reader by offsets (which has no group)
 * to the groups of the queries it reads for through an admin client.
 */
final class KafkaFetcher implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaFetcher.class);
    /** Fetched batches (of up to max.poll.records each) waiting for the reader. */
    static final int QUEUE_CAPACITY = 8;
    /**
     * The bytes of the records waiting for the reader, beyond the first batch: with thousands of records a
     * poll, the count of batches alone would not bound the memory of a reader that falls behind.
     */
    static final long QUEUE_BYTES = 16L << 20;
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(100);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);
    private static final long OFFER_WAIT_MILLIS = 100;
    private static final Duration COMMIT_TIMEOUT = Duration.ofSeconds(10);
    /**
     * Commits go out at most this often (and when the reader closes): each is a write to the broker's
     * offsets topic, and a persistent query asks at every micro-batch. A crash then reads at most this
     * much more again.
     */
    static final Duration COMMIT_INTERVAL = Duration.ofSeconds(1);

    private final KafkaSettings settings;
    private final String describedObject;
    private final String clientId;
    private final FetchQueue queue = new FetchQueue(QUEUE_CAPACITY, QUEUE_BYTES);
    private final Thread thread;
    private volatile boolean closing;
    /** Records behind the end offsets after the last poll, summed over the partitions; -1 before it is known. */
    private volatile long lag = -1;
    private volatile KafkaConsumer<byte[], ByteBuffer> consumer;
    /** Per group, the offsets the reader asked to commit, not yet committed; guarded by itself. */
    private final Map<String, Map<TopicPartition, OffsetAndMetadata>> pendingCommit = new LinkedHashMap<>();
    /** The partitions to read and their start offsets, for a reader by offsets; null to discover them. */
    private final Map<TopicPartition, Long> startOffsets;
    private final boolean committing;
    private Admin admin;
    private long lastCommitNanos = System.nanoTime();

    /** A fetcher of the stream's topics, starting where the settings say. */
    KafkaFetcher(KafkaSettings settings, String describedObject, String clientId) {
        this(settings, describedObject, clientId, null);
    }

    /**
     * @param startOffsets the partitions to read, in split order, each from its offset; null to read the
     *        partitions of the settings' topics from where the settings say
     */
    KafkaFetcher(KafkaSettings settings, String describedObject, String clientId, Map<TopicPartition, Long> startOffsets) {
        this.settings = requireNonNull(settings, "settings is null");
        this.describedObject = requireNonNull(describedObject, "describedObject is null");
        this.clientId = requireNonNull(clientId, "clientId is null");
        this.startOffsets = startOffsets == null ? null : new LinkedHashMap<>(startOffsets);
        this.committing = settings.commitOffsets() || startOffsets != null;
        this.thread = new Thread(this, clientId);
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** The next event if one is ready; never blocks. */
    FetchEvent nextEvent() {
        return queue.poll();
    }

    /** The next event without taking it, or null. */
    FetchEvent peekEvent() {
        return queue.peek();
    }

    /**
     * Asks the consumer thread to commit these next offsets to the consumer's group (the consumer
     * belongs to that thread); done before its next fetch and, at the latest, before the consumer
     * closes. Later requests for a partition replace earlier ones. A failed commit is retried with
     * the next one.
     */
    void requestCommit(Map<TopicPartition, Long> nextOffsets) {
        requestCommit(settings.groupId().orElseThrow(() -> new IllegalStateException("the consumer has no group")), nextOffsets);
    }

    /** As {@link #requestCommit(Map)}, to {@code group}. */
    void requestCommit(String group, Map<TopicPartition, Long> nextOffsets) {
        if (!committing) {
            throw new IllegalStateException("this fetcher does not commit");
        }
        synchronized (pendingCommit) {
            Map<TopicPartition, OffsetAndMetadata> offsets = pendingCommit.computeIfAbsent(group, g -> new HashMap<>());
            nextOffsets.forEach((partition, offset) -> offsets.put(partition, new OffsetAndMetadata(offset)));
            pendingCommit.notifyAll();
        }
    }

    /** Stops the thread and closes the consumer; waits at most a few seconds. Idempotent. */
    void close() {
        closing = true;
        KafkaConsumer<byte[], ByteBuffer> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        if (thread.isAlive() && thread != Thread.currentThread()) {
            try {
                thread.join(CLOSE_TIMEOUT.plusSeconds(1).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (thread.isAlive()) {
                LOG.warn("{}: Kafka consumer thread {} did not stop in time; it stops on its own", describedObject, clientId);
            }
        }
        queue.clear();
    }

    @Override
    public void run() {
        KafkaConsumer<byte[], ByteBuffer> kafka;
        try {
            kafka = new KafkaConsumer<>(settings.consumerConfig(clientId));
        } catch (RuntimeException e) {
            emit(new FetchEvent.Failed(failure(e)));
            return;
        }
        consumer = kafka;
        try {
            if (!closing) {
                fetch(kafka);
            }
        } catch (WakeupException | InterruptException e) {
            if (!closing) {
                emit(new FetchEvent.Failed(failure(e)));
            }
        } catch (RuntimeException e) {
            if (closing) {
                LOG.debug("{}: Kafka consumer {} failed while closing", describedObject, clientId, e);
            } else {
                emit(new FetchEvent.Failed(failure(e)));
            }
        } finally {
            consumer = null;
            commitBeforeClosing(kafka);
            try {
                kafka.close(CloseOptions.timeout(CLOSE_TIMEOUT));
            } catch (RuntimeException e) {
                LOG.warn("{}: cannot close Kafka consumer {} cleanly", describedObject, clientId, e);
            }
            if (admin != null) {
                try {
                    admin.close(CLOSE_TIMEOUT);
                } catch (RuntimeException e) {
                    LOG.warn("{}: cannot close Kafka admin client {} cleanly", describedObject, clientId, e);
                }
            }
        }
    }

    private void fetch(KafkaConsumer<byte[], ByteBuffer> kafka) {
        List<TopicPartition> partitions;
        if (startOffsets == null) {
            partitions = TopicDiscovery.partitions(kafka, settings, describedObject);
            kafka.assign(partitions);
            StartPositions.seek(kafka, partitions, settings);
        } else {
            partitions = List.copyOf(startOffsets.keySet());
            kafka.assign(partitions);
            startOffsets.forEach(kafka::seek);
        }
        // Resolve the positions now (seekToEnd is lazy): records produced after the reader started are then read.
        partitions.forEach(kafka::position);
        Map<TopicPartition, Long> stopOffsets = settings.bounded() ? new HashMap<>(kafka.endOffsets(partitions)) : Map.of();
        LOG.info("{}: reading {} partitions of {} from Kafka at {}{}", describedObject, partitions.size(), settings.describeTopics(),
                settings.bootstrapServers(), settings.bounded() ? " up to end offsets " + stopOffsets : "");
        if (!emit(new FetchEvent.Assigned(partitions))) {
            return;
        }
        Set<TopicPartition> active = new LinkedHashSet<>(partitions);
        if (settings.bounded() && !endPartitions(kafka, active, stopOffsets)) {
            return;
        }
        while (!closing && !(settings.bounded() && active.isEmpty())) {
            ConsumerRecords<byte[], ByteBuffer> records = kafka.poll(POLL_TIMEOUT);
            lag = currentLag(kafka, active) + records.count();
            if (!records.isEmpty()) {
                // The consumer's per-partition lists as they are: no per-record copy or lookup here.
                List<FetchEvent.PartitionRecords> batch = new ArrayList<>(records.partitions().size());
                long bytes = 0;
                for (TopicPartition partition : records.partitions()) {
                    List<ConsumerRecord<byte[], ByteBuffer>> fetched = records.records(partition);
                    if (settings.bounded()) {
                        fetched = beforeStop(fetched, stopOffsets.get(partition));
                    }
                    if (!fetched.isEmpty()) {
                        batch.add(new FetchEvent.PartitionRecords(partition, fetched));
                        bytes += FetchEvent.Records.bytesOf(fetched);
                    }
                }
                if (!batch.isEmpty() && !emit(new FetchEvent.Records(batch, bytes))) {
                    return;
                }
            }
            if (System.nanoTime() - lastCommitNanos >= COMMIT_INTERVAL.toNanos()) {
                commitPending(kafka);
                lastCommitNanos = System.nanoTime();
            }
            if (settings.bounded() && !endPartitions(kafka, active, stopOffsets)) {
                return;
            }
        }
        if (settings.bounded() && !closing) {
            emit(new FetchEvent.AllEnded());
            // The consumer stays open for the commits of the last rows, which come after the engine processed them.
            while (committing && !closing) {
                awaitCommitRequest();
                commitPending(kafka);
            }
        }
    }

    /** A bounded read keeps only what was in the log when it started: the records before {@code stopOffset}. */
    private static List<ConsumerRecord<byte[], ByteBuffer>> beforeStop(List<ConsumerRecord<byte[], ByteBuffer>> records, long stopOffset) {
        int end = records.size();
        while (end > 0 && records.get(end - 1).offset() >= stopOffset) {
            end--;
        }
        return end == records.size() ? records : records.subList(0, end);
    }

    private static long currentLag(KafkaConsumer<byte[], ByteBuffer> kafka, Set<TopicPartition> partitions) {
        long total = 0;
        for (TopicPartition partition : partitions) {
            // the consumer knows this from its last fetch, without a request to the broker
            total += kafka.currentLag(partition).orElse(0);
        }
        return total;
    }

    /** Records the consumer had not fetched at its last poll plus those fetched then, or -1 when unknown. */
    long lag() {
        return lag;
    }

    private void awaitCommitRequest() {
        synchronized (pendingCommit) {
            if (pendingCommit.isEmpty() && !closing) {
                try {
                    pendingCommit.wait(POLL_TIMEOUT.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    closing = true;
                }
            }
        }
    }

    /** Commits what the reader asked for; on failure keeps it for the next attempt (newer requests win). */
    private void commitPending(KafkaConsumer<byte[], ByteBuffer> kafka) {
        Map<String, Map<TopicPartition, OffsetAndMetadata>> groups;
        synchronized (pendingCommit) {
            if (pendingCommit.isEmpty()) {
                return;
            }
            groups = new LinkedHashMap<>(pendingCommit);
            pendingCommit.clear();
        }
        // The groups of the queries a shared reader reads for are committed at once, each in a request of its own.
        Map<String, KafkaFuture<Void>> sent = new LinkedHashMap<>();
        for (Map.Entry<String, Map<TopicPartition, OffsetAndMetadata>> entry : groups.entrySet()) {
            String group = entry.getKey();
            try {
                if (settings.groupId().filter(group::equals).isPresent()) {
                    kafka.commitSync(entry.getValue(), COMMIT_TIMEOUT);
                    LOG.debug("{}: committed offsets {} for group '{}'", describedObject, entry.getValue(), group);
                } else {
                    sent.put(group, admin().alterConsumerGroupOffsets(group, entry.getValue()).all());
                }
            } catch (RuntimeException e) {
                commitFailed(group, entry.getValue(), e);
            }
        }
        long deadline = System.nanoTime() + COMMIT_TIMEOUT.toNanos();
        for (Map.Entry<String, KafkaFuture<Void>> entry : sent.entrySet()) {
            String group = entry.getKey();
            try {
                await(entry.getValue(), deadline);
                LOG.debug("{}: committed offsets {} for group '{}'", describedObject, groups.get(group), group);
            } catch (RuntimeException e) {
                commitFailed(group, groups.get(group), e);
            }
        }
    }

    /** Keeps the offsets for the next attempt (newer requests win); rethrows a wake-up or interrupt. */
    private void commitFailed(String group, Map<TopicPartition, OffsetAndMetadata> offsets, RuntimeException e) {
        synchronized (pendingCommit) {
            Map<TopicPartition, OffsetAndMetadata> retry = pendingCommit.computeIfAbsent(group, g -> new HashMap<>());
            offsets.forEach(retry::putIfAbsent);
        }
        if (e instanceof WakeupException || e instanceof InterruptException) {
            throw e;
        }
        // Not fatal: the rows are read again after a restart (at-least-once); the next commit retries.
        LOG.warn("{}: cannot commit offsets to Kafka group '{}' (will retry): {}", describedObject, group, e.toString());
    }

    /** Groups of persistent queries have no members (their readers assign partitions), so an admin may set their offsets. */
    private Admin admin() {
        if (admin == null) {
            admin = Admin.create(settings.adminConfig(clientId + "-commits"));
        }
        return admin;
    }

    private static void await(KafkaFuture<Void> future, long deadlineNanos) {
        try {
            future.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptException(e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : new KafkaException(e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new TimeoutException("no answer from the group coordinator within " + COMMIT_TIMEOUT.toSeconds() + " s", e);
        }
    }

    /** The last commit of a closing reader; a pending wake-up from close() may interrupt the first attempt. */
    private void commitBeforeClosing(KafkaConsumer<byte[], ByteBuffer> kafka) {
        if (!committing) {
            return;
        }
        for (int attempt = 0; attempt < 2; attempt++) {
            try {
                commitPending(kafka);
                return;
            } catch (WakeupException | InterruptException e) {
                LOG.debug("{}: commit before closing interrupted, retrying", describedObject);
            } catch (RuntimeException e) {
                LOG.warn("{}: cannot commit offsets before closing", describedObject, e);
                return;
            }
        }
    }

    /** Reports and pauses the active partitions whose position reached the stop offset; false when closing. */
    private boolean endPartitions(KafkaConsumer<byte[], ByteBuffer> kafka, Set<TopicPartition> active,
                                  Map<TopicPartition, Long> stopOffsets) {
        for (Iterator<TopicPartition> it = active.iterator(); it.hasNext(); ) {
            TopicPartition partition = it.next();
            // The position, not the last record's offset: transaction markers and compaction leave gaps.
            if (kafka.position(partition) >= stopOffsets.get(partition)) {
                it.remove();
                kafka.pause(List.of(partition));
                if (!emit(new FetchEvent.PartitionEnded(partition))) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Queues an event, waiting while the queue is full; false when the fetcher is closing. */
    private boolean emit(FetchEvent event) {
        try {
            while (!closing) {
                if (queue.offer(event, OFFER_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                    return true;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    private RuntimeException failure(RuntimeException e) {
        return failure(settings, describedObject, e);
    }

    /** A failure to read the stream's topics, as the user should see it. */
    static RuntimeException failure(KafkaSettings settings, String describedObject, RuntimeException e) {
        if (e instanceof WeirException) {
            return e;
        }
        String hint = e instanceof TimeoutException
                ? ". Check that the brokers are reachable ('bootstrap.servers' = '" + settings.bootstrapServers()
                + "') and that the topics exist"
                : "";
        String what = e instanceof KafkaException && e.getMessage() != null ? e.getMessage() : e.toString();
        return new WeirException(ErrorCode.SOURCE_ERROR, describedObject + ": cannot read " + settings.describeTopics()
                + " from Kafka at '" + settings.bootstrapServers() + "': " + what + hint, e);
    }
}
