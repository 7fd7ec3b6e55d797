package io.weir.connector.kafka;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.batch.Batch;
import io.weir.spi.connector.DeliveryGuarantee;
import io.weir.spi.connector.PreparedCommit;
import io.weir.spi.connector.SinkCounters;
import io.weir.spi.connector.SinkWriter;
import io.weir.spi.connector.SourcePosition;
import io.weir.spi.format.RecordEncoder;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TransactionAbortedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

import static java.util.Objects.requireNonNull;

/**
 * The exactly-once Kafka sink: one transactional producer per query sink, {@code transactional.id} =
 * {@code weir-<writer id>}, and one transaction per checkpoint holding the rows of every micro-batch
 * since the previous checkpoint. {@link #prepareCommit} adds the checkpoint's {@link CheckpointMarker}
 * to the transaction and flushes it; {@link #commit} commits it; the next write begins the next one.
 * Consumers reading with {@code isolation.level=read_committed} see the rows when the checkpoint
 * completes.
 *
 * <p>A transaction open when the process died cannot be committed later: the next producer with the
 * same id aborts it ({@code initTransactions}). Since the engine writes a checkpoint before it commits
 * the checkpoint's transaction, {@link #recover} asks the marker which checkpoint was committed last.
 */
final class TransactionalKafkaSinkWriter implements SinkWriter {
    private static final Logger LOG = LoggerFactory.getLogger(TransactionalKafkaSinkWriter.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration MARKER_READ_TIMEOUT = Duration.ofSeconds(60);
    private static final long NOTHING_PREPARED = -1;

    private final String describedObject;
    private final KafkaSettings settings;
    private final String topic;
    private final RecordEncoder valueEncoder;
    private final Optional<KeyFormat.KeyEncoder> keyEncoder;
    private final String clientId;
    private final String transactionalId;
    private final CheckpointMarker marker;
    private final SourceOffsetsInTransaction sourceOffsets;
    /** Null until the producer joined its transactional id (in {@link #recover} or at the first write). */
    private TopicProducer records;
    private boolean inTransaction;
    private long preparedCheckpoint = NOTHING_PREPARED;
    /**
     * A call failed (a broker unreachable, the query's thread interrupted by a stop): closing then neither
     * aborts the transaction nor waits for the producer, which would block up to {@code max.block.ms};
     * the next run's {@code initTransactions} or the transaction time-out aborts it.
     */
    private final SinkCounters counters;
    private boolean failed;
    private boolean closed;

    TransactionalKafkaSinkWriter(String describedObject, KafkaSettings settings, RecordEncoder valueEncoder,
                                 Optional<KeyFormat.KeyEncoder> keyEncoder, String clientId, String transactionalId,
                                 SinkCounters counters) {
        this.counters = requireNonNull(counters, "counters is null");
        this.describedObject = requireNonNull(describedObject, "describedObject is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.topic = settings.topics().get(0);
        this.valueEncoder = requireNonNull(valueEncoder, "valueEncoder is null");
        this.keyEncoder = requireNonNull(keyEncoder, "keyEncoder is null");
        this.clientId = requireNonNull(clientId, "clientId is null");
        this.transactionalId = requireNonNull(transactionalId, "transactionalId is null");
        this.marker = CheckpointMarker.of(transactionalId, topic);
        this.sourceOffsets = new SourceOffsetsInTransaction(settings.bootstrapServers());
    }

    /** The transactional id of a sink of the persistent query writer {@code writerId} ({@code <query id>.<sink>}). */
    static String transactionalIdOf(String writerId) {
        return "weir-" + writerId;
    }

    @Override
    public DeliveryGuarantee guarantee() {
        return DeliveryGuarantee.EXACTLY_ONCE;
    }

    @Override
    public boolean recover(Optional<PreparedCommit> newest) {
        try {
            return doRecover(newest);
        } catch (RuntimeException e) {
            failed = true;
            throw e;
        }
    }

    private boolean doRecover(Optional<PreparedCommit> newest) {
        ensureOpen();
        requireNonNull(newest, "newest is null");
        if (records != null) {
            throw new IllegalStateException("recover must come before the first write");
        }
        // Aborts the transaction an earlier run left open and fences that run's producer, should it still live.
        open();
        if (newest.isEmpty()) {
            return true;
        }
        long checkpointId = newest.get().checkpointId();
        String preparedBy = new String(newest.get().state(), StandardCharsets.UTF_8);
        if (!preparedBy.equals(transactionalId)) {
            LOG.warn("{}: checkpoint {} was prepared by transactional id '{}', this sink is '{}'; judging it by '{}'",
                    describedObject, checkpointId, preparedBy, transactionalId, marker.group());
        }
        OptionalLong committed = lastCommittedCheckpoint();
        if (committed.isEmpty()) {
            LOG.warn("{}: Kafka has no record of a committed checkpoint in group '{}' (expired after the brokers'"
                            + " offsets.retention.minutes, or deleted); resuming from the checkpoint before {}, so the rows of"
                            + " checkpoint {} may be written twice", describedObject, marker.group(), checkpointId, checkpointId);
            return false;
        }
        long last = committed.getAsLong();
        if (last == checkpointId) {
            LOG.info("{}: the transaction of checkpoint {} was committed; resuming from it", describedObject, checkpointId);
            return true;
        }
        if (last < checkpointId) {
            LOG.info("{}: the transaction of checkpoint {} was not committed before the query stopped and is aborted;"
                    + " resuming from the checkpoint before it", describedObject, checkpointId);
            return false;
        }
        LOG.warn("{}: Kafka records checkpoint {} as committed, newer than the newest checkpoint on disk ({}); rows of"
                + " checkpoints after {} may be written twice", describedObject, last, checkpointId, checkpointId);
        return true;
    }

    @Override
    public void write(Batch batch) {
        try {
            doWrite(batch);
        } catch (RuntimeException e) {
            failed = true;
            throw e;
        }
    }

    private void doWrite(Batch batch) {
        ensureOpen();
        TopicProducer producer = inTransaction();
        producer.send(batch);
    }

    @Override
    public void flush() {
        try {
            doFlush();
        } catch (RuntimeException e) {
            failed = true;
            throw e;
        }
    }

    private void doFlush() {
        ensureOpen();
        // Surfaces send errors at the end of the micro-batch; the rows stay invisible until commit.
        if (inTransaction) {
            records.flush();
        }
    }

    @Override
    public byte[] prepareCommit(long checkpointId) {
        return prepareCommit(checkpointId, List.of());
    }

    /** Also commits the offsets of the query's Kafka sources on this cluster in the checkpoint's transaction. */
    @Override
    public byte[] prepareCommit(long checkpointId, List<SourcePosition> sources) {
        try {
            return doPrepareCommit(checkpointId, sources);
        } catch (RuntimeException e) {
            failed = true;
            throw e;
        }
    }

    private byte[] doPrepareCommit(long checkpointId, List<SourcePosition> sources) {
        ensureOpen();
        // The same checkpoint prepared again (its file could not be written) takes the rows written since as well.
        if (preparedCheckpoint != NOTHING_PREPARED && preparedCheckpoint != checkpointId) {
            throw new IllegalStateException("checkpoint " + preparedCheckpoint + " is prepared but not committed");
        }
        TopicProducer producer = inTransaction();
        try {
            sourceOffsets.addTo(producer.producer(), sources);
            // Also when no row was written: the marker is what tells recover() this checkpoint's commit happened.
            marker.addTo(producer.producer(), checkpointId);
        } catch (KafkaException e) {
            throw transactionFailure("cannot prepare the transaction of checkpoint " + checkpointId, e);
        }
        producer.flush();
        preparedCheckpoint = checkpointId;
        return transactionalId.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void commit(long checkpointId) {
        try {
            doCommit(checkpointId);
        } catch (RuntimeException e) {
            failed = true;
            throw e;
        }
    }

    private void doCommit(long checkpointId) {
        ensureOpen();
        if (preparedCheckpoint != checkpointId) {
            throw new IllegalStateException("commit(" + checkpointId + ") but the prepared checkpoint is "
                    + (preparedCheckpoint == NOTHING_PREPARED ? "none" : Long.toString(preparedCheckpoint)));
        }
        try {
            records.producer().commitTransaction();
        } catch (KafkaException e) {
            throw transactionFailure("cannot commit the transaction of checkpoint " + checkpointId, e);
        }
        inTransaction = false;
        preparedCheckpoint = NOTHING_PREPARED;
    }

    /** The producer, in a transaction: begun lazily, so that a transaction is open only while there is something to commit. */
    private TopicProducer inTransaction() {
        if (records == null) {
            open();
        }
        if (!inTransaction) {
            try {
                records.producer().beginTransaction();
            } catch (KafkaException e) {
                throw transactionFailure("cannot begin a transaction", e);
            }
            inTransaction = true;
        }
        return records;
    }

    private void open() {
        BrokerReachability.check(describedObject, settings.bootstrapServers(), BrokerReachability.CONNECT_TIMEOUT);
        KafkaProducer<byte[], byte[]> producer;
        try {
            producer = new KafkaProducer<>(settings.transactionalProducerConfig(clientId, transactionalId));
        } catch (KafkaException e) {
            throw TopicProducer.failure(describedObject, topic, settings.bootstrapServers(), e);
        }
        try {
            producer.initTransactions();
        } catch (KafkaException e) {
            producer.close(Duration.ZERO);
            throw transactionFailure("cannot start transactions (if the cluster has fewer brokers than its"
                    + " transaction.state.log.replication.factor, lower that setting, or use 'delivery.guarantee' = 'at-least-once')", e);
        }
        records = new TopicProducer(describedObject, topic, settings.bootstrapServers(), valueEncoder, keyEncoder, producer, counters);
    }

    private OptionalLong lastCommittedCheckpoint() {
        try (Admin admin = Admin.create(settings.adminConfig(clientId + "-recovery"))) {
            return marker.lastCommitted(admin, MARKER_READ_TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WeirException(ErrorCode.SINK_ERROR, describedObject + ": interrupted while reading the committed"
                    + " checkpoint from Kafka group '" + marker.group() + "'", e);
        } catch (ExecutionException | TimeoutException | KafkaException e) {
            Exception cause = e instanceof ExecutionException && e.getCause() instanceof Exception inner ? inner : e;
            throw new WeirException(ErrorCode.SINK_ERROR, describedObject + ": cannot read which checkpoint was committed"
                    + " last from the offsets of Kafka group '" + marker.group() + "' at '" + settings.bootstrapServers()
                    + "': " + TopicProducer.describe(cause) + ". Check that the brokers are reachable and that this client"
                    + " may describe and read that group", cause);
        }
    }

    private WeirException transactionFailure(String what, KafkaException cause) {
        String hint;
        if (cause instanceof ProducerFencedException || cause instanceof InvalidProducerEpochException
                || cause instanceof InvalidTxnStateException || cause instanceof TransactionAbortedException) {
            hint = "Either another writer with this transactional id started (is the query running twice?), or the"
                    + " transaction was open longer than its timeout (" + settings.transactionTimeoutMillis() + " ms) and the"
                    + " brokers aborted it; keep 'properties.transaction.timeout.ms' well above the query's"
                    + " 'checkpoint.interval' (and at most the brokers' transaction.max.timeout.ms)";
        } else if (cause instanceof AuthorizationException) {
            hint = "Allow this client to write to the topic, to write and describe transactional id '" + transactionalId
                    + "' and to read group '" + marker.group() + "'";
        } else {
            hint = "Check that the brokers are reachable and support transactions";
        }
        return new WeirException(ErrorCode.SINK_ERROR, describedObject + ": " + what + " on Kafka topic '" + topic
                + "' (transactional id '" + transactionalId + "'): " + TopicProducer.describe(cause) + ". " + hint, cause);
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("writer is closed");
        }
    }

    /** Aborts an open transaction, so that read_committed consumers need not wait for its timeout; its rows are replayed. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (records == null) {
            return;
        }
        if (failed) {
            records.close(Duration.ZERO);
            records = null;
            return;
        }
        if (inTransaction) {
            try {
                records.producer().abortTransaction();
            } catch (KafkaException e) {
                // A fenced or failed producer cannot abort; the next run's initTransactions or the timeout will.
                LOG.debug("{}: cannot abort the open transaction of '{}': {}", describedObject, transactionalId, e.toString());
            }
        }
        records.close(CLOSE_TIMEOUT);
        records = null;
    }
}
