package io.weir.engine.source;

import io.weir.engine.plan.SourceSpec;
import io.weir.spi.batch.Batch;
import io.weir.spi.batch.BatchBuilder;
import io.weir.spi.connector.OffsetReading;
import io.weir.spi.connector.Source;
import io.weir.spi.connector.SourceReader;
import io.weir.spi.connector.Split;
import io.weir.spi.connector.SplitOffsets;
import io.weir.spi.type.DataType;
import io.weir.spi.type.Projection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.function.LongSupplier;

import static java.util.Objects.requireNonNull;

/**
 * One reader per stream for all the queries reading it: ten queries over a Kafka topic consume and
 * decode it once. The reader is polled by whichever query needs rows next; the batches it returns are
 * kept until every query sharing it has taken them (batches are immutable, so queries share them
 * without copying). A query joins a running reader when the source {@linkplain Source#startsAtLiveEnd()
 * starts at the live end} (it then reads from where the reader is), or when the reader still holds
 * every batch it has read (it then reads them all from the start): a new reader keeps its batches for
 * {@link #JOIN_GRACE} (up to {@value #GRACE_MAX_BATCHES} batches), so queries started together share
 * it. Otherwise a query opens a reader of its own, which later queries may share in turn. The slowest
 * query bounds how far ahead the others read ({@value #MAX_PENDING_BATCHES} batches).
 *
 * <p>A reader decodes the columns of the queries it serves ({@link SourceSpec#projection()}): a query
 * that reads more joins only if the reader can decode those too from then on
 * ({@link SourceReader#widenProjection}; Kafka's can), and on a source not read at the live end only
 * before the reader's first batch; otherwise it opens a reader of its own.
 *
 * <p>Persistent queries over a source that resumes from committed positions (Kafka) share a reader by
 * offsets instead ({@link #openResuming}), where each resumes from its own offsets. Thread-safe.
 */
public final class SharedSources {
    private static final Logger LOG = LoggerFactory.getLogger(SharedSources.class);
    static final int MAX_PENDING_BATCHES = 64;
    static final Duration JOIN_GRACE = Duration.ofSeconds(1);
    static final int GRACE_MAX_BATCHES = 256;

    private final Map<Key, List<SharedReader>> readers = new HashMap<>();
    private final Map<Key, List<SharedOffsetReader>> offsetReaders = new HashMap<>();
    private final Duration offsetReaderGather;
    private final LongSupplier nanoClock;

    public SharedSources() {
        this(SharedOffsetReader.GATHER, System::nanoTime);
    }

    /**
     * @param offsetReaderGather how long persistent queries may join a new reader by offsets before it starts
     * @param nanoClock {@link System#nanoTime()}, or a test's clock
     */
    public SharedSources(Duration offsetReaderGather, LongSupplier nanoClock) {
        this.offsetReaderGather = requireNonNull(offsetReaderGather, "offsetReaderGather is null");
        this.nanoClock = requireNonNull(nanoClock, "nanoClock is null");
    }

    /**
     * What makes readers interchangeable: the stream, as declared when the query was planned (whatever
     * columns its queries read: a reader widens for them).
     */
    record Key(String stream, Map<String, String> options, List<DataType.Field> rowType) {
        static Key of(SourceSpec spec) {
            return new Key(spec.objectName().toLowerCase(Locale.ROOT), spec.options(), spec.rowType());
        }
    }

    /** A batch a shared reader read, and the reader's splits right after it. */
    record Read(Batch batch, List<Split> splits) {
    }

    /** A query's place in a reader by offsets, and the reader's offsets where it joined. */
    record Joined(SharedOffsetReader reader, SplitOffsets offsets) {
    }

    /**
     * The input of a persistent query for {@code spec} over a source read by offsets: it resumes from
     * the offsets of {@code consumerId} and shares the stream's reader with the other persistent
     * queries (see {@link ResumingInput}). No I/O until the first poll.
     */
    public SourceInput openResuming(SourceSpec spec, OffsetReading reading, String consumerId, int chunkRows) {
        requireNonNull(reading, "reading is null");
        return openResuming(spec, projection -> reading, consumerId, chunkRows);
    }

    /**
     * As {@link #openResuming(SourceSpec, OffsetReading, String, int)}, with the stream's reading by offsets
     * for any projection: the shared reader decodes the union of the columns its queries read, and a query
     * that reads more than it decodes makes it decode those too.
     */
    public SourceInput openResuming(SourceSpec spec, Function<Projection, OffsetReading> readings, String consumerId,
                                    int chunkRows) {
        requireNonNull(spec, "spec is null");
        return new ResumingInput(this, Key.of(spec), readings, spec.projection(), consumerId, spec.rowType(),
                chunkRows);
    }

    /** Joins the stream's reader by offsets (see {@link SharedOffsetReader#join}), or starts one at {@code start}. */
    synchronized Joined joinOffsetReader(Key key, Function<Projection, OffsetReading> readings, Projection projection,
                                         SplitOffsets start, ResumingInput input, List<DataType.Field> rowType, int chunkRows) {
        for (SharedOffsetReader reader : offsetReaders.getOrDefault(key, List.of())) {
            SplitOffsets at = reader.join(input, start, projection);
            if (at != null) {
                LOG.debug("A persistent query joined the shared reader of stream '{}' at {}", key.stream(), at);
                return new Joined(reader, at);
            }
        }
        SharedOffsetReader reader = new SharedOffsetReader(readings, projection, start, offsetReaderGather, nanoClock, rowType, chunkRows,
                closed -> release(offsetReaders, key, closed));
        offsetReaders.computeIfAbsent(key, k -> new ArrayList<>()).add(reader);
        LOG.debug("A persistent query started the shared reader of stream '{}' at {}", key.stream(), start);
        return new Joined(reader, reader.join(input, start, projection));
    }

    /** The input of one query for {@code spec}: a place in a shared reader, or a new reader others may join. */
    public SourceInput open(SourceSpec spec, Source source, int chunkRows) {
        requireNonNull(spec, "spec is null");
        requireNonNull(source, "source is null");
        Key key = Key.of(spec);
        synchronized (this) {
            for (SharedReader reader : readers.getOrDefault(key, List.of())) {
                SourceInput joined = reader.tryJoin(spec.projection());
                if (joined != null) {
                    LOG.debug("A query joined the shared reader of stream '{}'", spec.objectName());
                    return joined;
                }
            }
            SharedReader reader = new SharedReader(key, source.createReader(), spec.rowType(), spec.projection(), chunkRows,
                    source.startsAtLiveEnd());
            readers.computeIfAbsent(key, k -> new ArrayList<>()).add(reader);
            return reader.tryJoin(spec.projection());
        }
    }

    /** Readers currently open, for tests and monitoring. */
    public synchronized int openReaders() {
        return readers.values().stream().mapToInt(List::size).sum() + offsetReaders.values().stream().mapToInt(List::size).sum();
    }

    /** Forgets a closed reader of stream {@code key}, so that no query joins it. */
    private synchronized <R> void release(Map<Key, List<R>> open, Key key, R reader) {
        List<R> list = open.get(key);
        if (list != null) {
            list.remove(reader);
            if (list.isEmpty()) {
                open.remove(key);
            }
        }
    }

    /** A reader and the batches it returned that some of its queries have not taken yet. */
    private final class SharedReader {
        final Key key;
        private final SourceReader reader;
        private final List<DataType.Field> rowType;
        /** The columns the reader decodes: the union of those its queries read. */
        private Projection projection;
        private BatchBuilder builder;
        /** Whether the reader returned a batch yet. */
        private boolean read;
        private final int chunkRows;
        private final boolean live;
        private final PendingBatches<Read> pending = new PendingBatches<>();
        private final long graceEndNanos = System.nanoTime() + JOIN_GRACE.toNanos();
        private boolean closed;
        private RuntimeException failure;

        SharedReader(Key key, SourceReader reader, List<DataType.Field> rowType, Projection projection, int chunkRows,
                     boolean live) {
            this.key = key;
            this.reader = reader;
            this.rowType = rowType;
            this.projection = projection;
            this.builder = new BatchBuilder(rowType, chunkRows, projection);
            this.chunkRows = chunkRows;
            this.live = live;
        }

        synchronized SourceInput tryJoin(Projection columns) {
            if (closed || failure != null || (!live && !pending.holdsFirst())) {
                return null;
            }
            if (!projection.covers(columns, rowType.size())) {
                // The reader must decode the query's columns too. A query on a live source takes only batches
                // read after it joined; otherwise it reads from the first batch, so only before there is one.
                Projection union = projection.union(columns).normalized(rowType.size());
                if ((!live && read) || !reader.widenProjection(union)) {
                    return null;
                }
                projection = union;
                builder = new BatchBuilder(rowType, chunkRows, union);
            }
            Subscriber subscriber = new Subscriber(this);
            // on a live source a new query starts with what arrives after it came; otherwise from the start
            if (live) {
                pending.joinAtEnd(subscriber);
                subscriber.splits = List.copyOf(reader.splits());
            } else {
                pending.joinAtOldest(subscriber);
            }
            return subscriber;
        }

        /**
         * The subscriber's next batch: one another query already read, or a new one of at most
         * {@code maxRows} rows. A batch read for another query is handed over whole, so a query with a
         * smaller per-batch cap than the others may take a few more rows in a micro-batch than its cap.
         */
        synchronized Batch next(Subscriber subscriber, int maxRows) {
            if (failure != null) {
                throw failure;
            }
            Read held = pending.next(subscriber);
            // batches kept for the join grace are dropped once it is over, also when no query took one since
            trim();
            if (held != null) {
                subscriber.splits = held.splits();
                return held.batch();
            }
            if (pending.size() >= (inGrace() ? GRACE_MAX_BATCHES : MAX_PENDING_BATCHES)) {
                return null; // the slowest query holds the others back
            }
            Batch batch;
            try {
                batch = OwnedInput.poll(reader, builder, Math.max(1, Math.min(maxRows, chunkRows)));
            } catch (RuntimeException e) {
                failure = e; // every query sharing the reader fails with it
                throw e;
            }
            if (batch == null) {
                return null;
            }
            this.read = true;
            Read read = new Read(batch, List.copyOf(reader.splits()));
            pending.add(read, subscriber);
            subscriber.splits = read.splits();
            trim();
            return read.batch();
        }

        /** Whether queries may still join a reader of a non-live source and read it from the start. */
        private boolean inGrace() {
            return !live && pending.holdsFirst() && pending.size() < GRACE_MAX_BATCHES && System.nanoTime() - graceEndNanos < 0;
        }

        private void trim() {
            if (!inGrace()) {
                pending.trim();
            }
        }

        /** The splits as the subscriber has read them: a split the reader finished is not finished for a query that has rows of it to take. */
        synchronized List<Split> splits(Subscriber subscriber) {
            return pending.tookAll(subscriber) ? List.copyOf(reader.splits()) : subscriber.splits;
        }

        /** The reader's lag plus the rows it read that this subscriber has not taken yet. */
        synchronized OptionalLong lag(Subscriber subscriber) {
            OptionalLong behind = reader.lag();
            if (behind.isEmpty()) {
                return behind;
            }
            return OptionalLong.of(behind.getAsLong() + pending.behind(subscriber, read -> read.batch().rowCount()));
        }

        /** Whether the subscriber's splits are known: the reader's are, and the subscriber took a batch or all of them. */
        synchronized boolean splitsKnown(Subscriber subscriber) {
            return reader.splitsKnown() && (!subscriber.splits.isEmpty() || pending.tookAll(subscriber));
        }

        synchronized boolean isFinished(Subscriber subscriber) {
            return reader.isFinished() && pending.tookAll(subscriber);
        }

        void leave(Subscriber subscriber) {
            synchronized (this) {
                if (!pending.leave(subscriber)) {
                    return;
                }
                if (pending.hasQueries()) {
                    trim();
                    return;
                }
                closed = true;
            }
            release(readers, key, this);
            reader.close();
        }
    }

    /** One query's place in a shared reader. */
    private static final class Subscriber implements SourceInput {
        private final SharedReader shared;
        /** The reader's splits right after the last batch this query took; guarded by the reader. */
        private List<Split> splits = List.of();

        Subscriber(SharedReader shared) {
            this.shared = shared;
        }

        @Override
        public Batch next(int maxRows) {
            return shared.next(this, maxRows);
        }

        @Override
        public List<Split> splits() {
            return shared.splits(this);
        }

        @Override
        public OptionalLong lag() {
            return shared.lag(this);
        }

        @Override
        public boolean splitsKnown() {
            return shared.splitsKnown(this);
        }

        @Override
        public boolean isFinished() {
            return shared.isFinished(this);
        }

        @Override
        public void commit() {
            // shared readers belong to push queries, which do not resume
        }

        @Override
        public void close() {
            shared.leave(this);
        }
    }
}
