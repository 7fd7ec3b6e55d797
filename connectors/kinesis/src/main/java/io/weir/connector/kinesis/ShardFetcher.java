package io.weir.connector.kinesis;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.connector.SplitOffsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ExpiredIteratorException;
import software.amazon.awssdk.services.kinesis.model.GetRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.GetShardIteratorRequest;
import software.amazon.awssdk.services.kinesis.model.InvalidArgumentException;
import software.amazon.awssdk.services.kinesis.model.KinesisException;
import software.amazon.awssdk.services.kinesis.model.LimitExceededException;
import software.amazon.awssdk.services.kinesis.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * The thread of one Kinesis reader: lists the shards, then loops over the readable ones with
 * {@code GetShardIterator} and {@code GetRecords} and queues what they return for the reader's poll. A shard
 * is readable once its parents are finished (read to their end) or no longer listed, so after a reshard the
 * records of a key come in order. Per shard it waits at least {@code 'scan.get-records.interval'} between
 * calls, and longer after a big response (2 MB/s per shard); throttling
 * ({@code ProvisionedThroughputExceededException}) and unreachable endpoints are retried with back-off and
 * logged, an expired iterator is asked for again after the last record fetched. The queue is bounded, so a
 * slow query holds the thread back rather than filling memory.
 */
final class ShardFetcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ShardFetcher.class);
    private static final int QUEUE_CAPACITY = 16;
    private static final long BYTES_PER_SECOND = 2L * 1024 * 1024;
    /** kinesalite never answers AT_TIMESTAMP when no record is that new yet; a short timeout retries it later. */
    private static final Duration ITERATOR_CALL_TIMEOUT = Duration.ofSeconds(2);
    private static final long MAX_WAIT_MILLIS = 1000;

    private final KinesisSettings settings;
    private final String describedObject;
    private final Supplier<KinesisClient> clients;
    private final Optional<SplitOffsets> start;
    private final InstantSource clock;
    private final Backoff backoffTemplate;
    private final PositionStore positions;
    private final BlockingQueue<ShardEvent> events = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final Object wakeUp = new Object();
    private final AtomicReference<Map<String, SplitOffsets>> pendingCommits = new AtomicReference<>(Map.of());
    private final Map<String, ShardState> shards = new LinkedHashMap<>();
    private final Backoff endpointBackoff;
    private volatile boolean closed;
    private Thread thread;
    private KinesisClient client;
    private long unreachableSince = -1;

    /**
     * @param start the position of each shard to start at (a reader by offsets); empty to start where
     *        {@code 'scan.startup.mode'} says
     * @param positions where consumers' committed positions are kept
     */
    ShardFetcher(KinesisSettings settings, String describedObject, Supplier<KinesisClient> clients, Optional<SplitOffsets> start,
                 InstantSource clock, Backoff backoff, PositionStore positions) {
        this.settings = requireNonNull(settings, "settings is null");
        this.describedObject = requireNonNull(describedObject, "describedObject is null");
        this.clients = requireNonNull(clients, "clients is null");
        this.start = requireNonNull(start, "start is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.backoffTemplate = requireNonNull(backoff, "backoff is null");
        this.positions = requireNonNull(positions, "positions is null");
        this.endpointBackoff = backoff.fresh();
    }

    private static final class ShardState {
        final ShardInfo info;
        final long startOffset;
        final Backoff backoff;
        /** Start with a LATEST iterator: a new reader of 'latest' (its position is the start time until a record comes). */
        boolean latest;
        String lastSequence;
        String iterator;
        long nextCallAt;
        boolean finished;

        ShardState(ShardInfo info, long startOffset, Backoff backoff) {
            this.info = info;
            this.startOffset = startOffset;
            this.backoff = backoff;
            this.finished = startOffset == ShardOffsets.FINISHED;
        }
    }

    synchronized void start() {
        if (thread != null || closed) {
            return;
        }
        thread = new Thread(this::run, "weir-kinesis-" + settings.stream());
        thread.setDaemon(true);
        thread.start();
    }

    /** The next event, or null when there is none now. Never blocks. */
    ShardEvent next() {
        return events.poll();
    }

    ShardEvent peek() {
        return events.peek();
    }

    /** Asks the thread to store that {@code consumerId} processed everything before {@code offsets}. */
    void requestCommit(String consumerId, SplitOffsets offsets) {
        pendingCommits.updateAndGet(pending -> {
            Map<String, SplitOffsets> next = new LinkedHashMap<>(pending);
            next.put(consumerId, offsets);
            return Map.copyOf(next);
        });
        synchronized (wakeUp) {
            wakeUp.notifyAll();
        }
    }

    private void run() {
        try {
            client = clients.get();
            List<ShardInfo> listed = retrying("list the shards of", () -> StreamShards.list(client, settings.stream()));
            if (listed == null) {
                return;
            }
            long now = clock.millis();
            Map<String, Long> initial = StreamShards.initial(listed, settings.startupMode(),
                    settings.startTimestamp().orElse(0L), now);
            Map<String, Long> offsets = start.map(given -> StreamShards.resume(listed, given.offsets(), initial)).orElse(initial);
            Map<String, Long> discovered = new LinkedHashMap<>();
            for (ShardInfo shard : listed) {
                long offset = offsets.get(shard.id());
                ShardState state = new ShardState(shard, offset, backoffTemplate.fresh());
                state.latest = start.isEmpty() && settings.startupMode() == StartupMode.LATEST && !shard.closed();
                shards.put(shard.id(), state);
                discovered.put(shard.id(), offset);
            }
            LOG.info("{}: reading Kinesis stream '{}', {} shard(s): {}", describedObject, settings.stream(), listed.size(),
                    describe(discovered));
            if (!offer(new ShardEvent.Discovered(discovered))) {
                return;
            }
            loop();
        } catch (RuntimeException e) {
            if (!closed) {
                LOG.warn("{}: reading Kinesis stream '{}' failed: {}", describedObject, settings.stream(), e.toString());
                events.clear();
                events.offer(new ShardEvent.Failed(e instanceof WeirException ? e : new WeirException(ErrorCode.SOURCE_ERROR,
                        describedObject + ": reading Kinesis stream '" + settings.stream() + "' failed: " + e, e)));
            }
        } finally {
            storeCommits();
            if (client != null) {
                client.close();
            }
        }
    }

    private void loop() {
        while (!closed) {
            storeCommits();
            long now = clock.millis();
            long wakeAt = now + MAX_WAIT_MILLIS;
            for (ShardState state : List.copyOf(shards.values())) {
                if (closed) {
                    return;
                }
                if (state.finished || !readable(state)) {
                    continue;
                }
                if (state.nextCallAt > now) {
                    wakeAt = Math.min(wakeAt, state.nextCallAt);
                    continue;
                }
                if (!step(state)) {
                    return;
                }
                now = clock.millis();
                if (!state.finished) {
                    wakeAt = Math.min(wakeAt, state.nextCallAt);
                }
            }
            long wait = wakeAt - clock.millis();
            if (wait > 0) {
                synchronized (wakeUp) {
                    if (!closed && pendingCommits.get().isEmpty()) {
                        try {
                            wakeUp.wait(Math.min(wait, MAX_WAIT_MILLIS));
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return;
                        }
                    }
                }
            }
        }
    }

    private boolean readable(ShardState state) {
        for (String parent : state.info.parents()) {
            ShardState known = shards.get(parent);
            if (known != null && !known.finished) {
                return false;
            }
        }
        return true;
    }

    /** One GetRecords call on the shard (and an iterator first when it has none); false when the fetcher should stop. */
    private boolean step(ShardState state) {
        try {
            if (state.iterator == null) {
                state.iterator = iterator(state);
                state.latest = false;
            }
            String iterator = state.iterator;
            GetRecordsResponse response = client.getRecords(GetRecordsRequest.builder().shardIterator(iterator)
                    .limit(settings.maxRecordsPerGet()).build());
            reachable();
            state.backoff.reset();
            List<Record> records = response.records();
            long bytes = 0;
            for (Record record : records) {
                bytes += record.data().asByteArrayUnsafe().length;
            }
            if (!records.isEmpty()) {
                if (!offer(new ShardEvent.Fetched(state.info.id(), records))) {
                    return false;
                }
                state.lastSequence = records.get(records.size() - 1).sequenceNumber();
            }
            state.iterator = response.nextShardIterator();
            long pause = Math.max(settings.getRecordsInterval().toMillis(), bytes * 1000 / BYTES_PER_SECOND);
            state.nextCallAt = clock.millis() + pause;
            if (state.iterator == null) {
                return finish(state);
            }
            return true;
        } catch (ExpiredIteratorException e) {
            LOG.debug("{}: iterator of shard {} expired; asking for a new one", describedObject, state.info.id());
            state.iterator = null;
            return true;
        } catch (ProvisionedThroughputExceededException | LimitExceededException e) {
            // a refused call counts against the shard's 5 calls a second as well
            long wait = Math.max(settings.getRecordsInterval().toMillis(), state.backoff.nextMillis());
            LOG.debug("{}: Kinesis throttles reading shard {} ({}); next call in {} ms", describedObject, state.info.id(),
                    e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorCode(), wait);
            state.nextCallAt = clock.millis() + wait;
            return true;
        } catch (ResourceNotFoundException e) {
            throw new WeirException(ErrorCode.SOURCE_ERROR, describedObject + ": Kinesis stream '" + settings.stream()
                    + "' or its shard " + state.info.id() + " does not exist (" + message(e) + "); create the stream or fix "
                    + "the option 'stream'", e);
        } catch (InvalidArgumentException e) {
            throw new WeirException(ErrorCode.SOURCE_ERROR, describedObject + ": Kinesis refused to read shard "
                    + state.info.id() + " of stream '" + settings.stream() + "' from " + ShardOffsets.describe(state.startOffset)
                    + ": " + message(e), e);
        } catch (SdkException e) {
            if (!transientFailure(e)) {
                throw new WeirException(ErrorCode.SOURCE_ERROR, describedObject + ": reading Kinesis stream '"
                        + settings.stream() + "' failed: " + message(e), e);
            }
            if (state.iterator == null && e instanceof ApiCallTimeoutException && ShardOffsets.isTimestamp(state.startOffset)
                    && state.lastSequence == null) {
                // kinesalite answers AT_TIMESTAMP only once a record that new exists: ask again a little later
                LOG.debug("{}: no AT_TIMESTAMP iterator for shard {} yet; asking again", describedObject, state.info.id());
                state.nextCallAt = clock.millis() + settings.getRecordsInterval().toMillis();
                return true;
            }
            state.nextCallAt = clock.millis() + Math.max(settings.getRecordsInterval().toMillis(), unreachable(e, state));
            return true;
        }
    }

    /** The shard is read to its end: its children (new shards listed now) follow. */
    private boolean finish(ShardState state) {
        state.finished = true;
        LOG.info("{}: shard {} of Kinesis stream '{}' is closed and read to its end", describedObject, state.info.id(),
                settings.stream());
        if (!offer(new ShardEvent.Finished(state.info.id()))) {
            return false;
        }
        List<ShardInfo> listed = retrying("list the shards of", () -> StreamShards.list(client, settings.stream()));
        if (listed == null) {
            return false;
        }
        Map<String, Long> added = new LinkedHashMap<>();
        for (ShardInfo shard : listed) {
            if (!shards.containsKey(shard.id())) {
                shards.put(shard.id(), new ShardState(shard, ShardOffsets.TRIM_HORIZON, backoffTemplate.fresh()));
                added.put(shard.id(), ShardOffsets.TRIM_HORIZON);
            }
        }
        if (!added.isEmpty()) {
            LOG.info("{}: Kinesis stream '{}' was resharded; reading new shard(s) {} from their start", describedObject,
                    settings.stream(), added.keySet());
            return offer(new ShardEvent.Discovered(added));
        }
        return true;
    }

    private String iterator(ShardState state) {
        GetShardIteratorRequest.Builder request = GetShardIteratorRequest.builder().streamName(settings.stream())
                .shardId(state.info.id())
                .overrideConfiguration(o -> o.apiCallTimeout(ITERATOR_CALL_TIMEOUT));
        long offset = state.startOffset;
        if (state.lastSequence != null) {
            request.shardIteratorType(ShardIteratorType.AFTER_SEQUENCE_NUMBER).startingSequenceNumber(state.lastSequence);
        } else if (state.latest) {
            request.shardIteratorType(ShardIteratorType.LATEST);
        } else if (offset == ShardOffsets.TRIM_HORIZON) {
            request.shardIteratorType(ShardIteratorType.TRIM_HORIZON);
        } else if (ShardOffsets.isTimestamp(offset)) {
            request.shardIteratorType(ShardIteratorType.AT_TIMESTAMP).timestamp(Instant.ofEpochMilli(ShardOffsets.timestampOf(offset)));
        } else {
            request.shardIteratorType(ShardIteratorType.AT_SEQUENCE_NUMBER)
                    .startingSequenceNumber(ShardOffsets.sequenceAt(state.info.startingSequenceNumber(), offset));
        }
        return client.getShardIterator(request.build()).shardIterator();
    }

    /** Calls {@code call} until it succeeds, backing off while the endpoint is unreachable; null once closed. */
    private <T> T retrying(String what, Supplier<T> call) {
        while (!closed) {
            try {
                T result = call.get();
                reachable();
                return result;
            } catch (ResourceNotFoundException e) {
                throw new WeirException(ErrorCode.SOURCE_ERROR, describedObject + ": Kinesis stream '" + settings.stream()
                        + "' does not exist (" + message(e) + "); create it or fix the option 'stream'", e);
            } catch (SdkException e) {
                if (!transientFailure(e)) {
                    throw new WeirException(ErrorCode.SOURCE_ERROR, describedObject + ": cannot " + what + " Kinesis stream '"
                            + settings.stream() + "': " + message(e), e);
                }
                long wait = unreachable(e, null);
                synchronized (wakeUp) {
                    try {
                        if (!closed) {
                            wakeUp.wait(wait);
                        }
                    } catch (InterruptedException interrupted) {
                        Thread.currentThread().interrupt();
                        return null;
                    }
                }
            }
        }
        return null;
    }

    /** Connection failures, timeouts, throttling and server errors: worth another attempt later. */
    static boolean transientFailure(SdkException e) {
        if (e instanceof ApiCallTimeoutException || e instanceof ApiCallAttemptTimeoutException || e instanceof AbortedException) {
            return true;
        }
        if (e instanceof SdkClientException) {
            return connectionProblem(e);
        }
        if (e instanceof ProvisionedThroughputExceededException || e instanceof LimitExceededException) {
            return true;
        }
        if (e instanceof KinesisException service) {
            return service.statusCode() >= 500 || service.isThrottlingException();
        }
        return e.retryable();
    }

    /** An I/O failure on the way (refused, reset, timed out), not a response the SDK could not read. */
    private static boolean connectionProblem(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof java.io.IOException && !cause.getClass().getName().contains("jackson")) {
                return true;
            }
        }
        return false;
    }

    /** Logs the first failure of an outage (then one line a minute) and returns how long to wait. */
    private long unreachable(SdkException e, ShardState state) {
        long now = clock.millis();
        long wait = (state == null ? endpointBackoff : state.backoff).nextMillis();
        if (unreachableSince < 0) {
            unreachableSince = now;
            LOG.warn("{}: Kinesis at {} does not answer ({}); retrying with back-off", describedObject,
                    settings.endpoint().map(Object::toString).orElse("region " + settings.region()), message(e));
        } else if (LOG.isDebugEnabled()) {
            LOG.debug("{}: Kinesis still does not answer after {} ms: {}", describedObject, now - unreachableSince, message(e));
        }
        return wait;
    }

    private void reachable() {
        if (unreachableSince >= 0) {
            LOG.info("{}: Kinesis answers again after {} ms", describedObject, clock.millis() - unreachableSince);
            unreachableSince = -1;
            endpointBackoff.reset();
        }
    }

    private static String message(SdkException e) {
        String message = e.getMessage();
        return message == null ? e.getClass().getSimpleName() : message;
    }

    /** Queues an event, waiting while the queue is full; false once closed. */
    private boolean offer(ShardEvent event) {
        try {
            while (!closed) {
                if (events.offer(event, 100, TimeUnit.MILLISECONDS)) {
                    return true;
                }
                storeCommits();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    private void storeCommits() {
        Map<String, SplitOffsets> pending = pendingCommits.getAndSet(Map.of());
        pending.forEach(positions::store);
    }

    private static String describe(Map<String, Long> offsets) {
        List<String> parts = new ArrayList<>();
        offsets.forEach((shard, offset) -> parts.add(shard + " at " + ShardOffsets.describe(offset)));
        return String.join(", ", parts);
    }

    @Override
    public void close() {
        Thread running;
        synchronized (this) {
            closed = true;
            running = thread;
        }
        synchronized (wakeUp) {
            wakeUp.notifyAll();
        }
        if (running != null && running != Thread.currentThread()) {
            try {
                // A call in flight is given a moment, then interrupted (the SDK aborts it) so that closing stays quick.
                running.join(1000);
                if (running.isAlive()) {
                    running.interrupt();
                    running.join(10_000);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } else {
            storeCommits();
        }
        events.clear();
    }
}
