package io.weir.engine.parallel;

import io.weir.engine.operator.SourceOperator;
import io.weir.engine.plan.SourceScan;
import io.weir.engine.source.SharedSources;
import io.weir.engine.source.SourceInput;
import io.weir.engine.source.SourceInputs;
import io.weir.engine.source.SourceOpener;
import io.weir.engine.source.SplitInput;
import io.weir.spi.connector.OffsetReading;
import io.weir.spi.connector.Source;
import io.weir.spi.connector.SplitOffsets;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * Opens the scans of a parallel query: a stream whose source reads given splits apart
 * ({@link io.weir.spi.connector.Source#splitReading()} for a push query,
 * {@link io.weir.spi.connector.Source#offsetReading()} for a persistent one: the files of a bounded file
 * stream, the partitions of a Kafka topic) and has more than one gets a reader of its own per task,
 * over split i for task {@code i % N} ({@link SplitInput}: a persistent query's task commits its
 * splits' positions for the query's consumer, and starts at a restored checkpoint's); any other stream
 * is read by task 0 as a query at parallelism 1 reads it (sharing readers with other queries where the
 * engine does).
 */
final class ScanOpening {
    /** The consumer a push query's divided stream looks its start up for (only sources that resume use it). */
    private static final String PUSH_CONSUMER = "weir-parallel";

    private final SourceOpener opener;
    private final SharedSources sharedSources;
    private final Optional<String> consumerIdPrefix;
    private final int parallelism;
    private final Map<String, Integer> scansPerStream = new HashMap<>();

    ScanOpening(SourceOpener opener, SharedSources sharedSources, Optional<String> consumerIdPrefix, int parallelism) {
        this.opener = requireNonNull(opener, "opener is null");
        this.sharedSources = sharedSources;
        this.consumerIdPrefix = requireNonNull(consumerIdPrefix, "consumerIdPrefix is null");
        this.parallelism = parallelism;
    }

    ScanInputs open(SourceScan scan) {
        Optional<String> consumerId = consumerIdPrefix.map(prefix -> consumerId(prefix, scan));
        Source source = opener.source(scan.spec(), consumerId);
        Optional<List<SourceInput>> divided = divide(scan, source, consumerId);
        if (divided.isPresent()) {
            return new ScanInputs(divided.get(), source, consumerId);
        }
        return ScanInputs.single(SourceInputs.open(scan.spec(), source, consumerId, opener, sharedSources), parallelism,
                source, consumerId);
    }

    private Optional<List<SourceInput>> divide(SourceScan scan, Source source, Optional<String> consumerId) {
        // a persistent query would resume by its consumer's offsets; a push query divides what a reader would read
        Optional<OffsetReading> reading = consumerId.isPresent() ? source.offsetReading() : source.splitReading();
        if (reading.isEmpty() || !reading.get().dividesSplits()) {
            return Optional.empty();
        }
        List<String> splits;
        Supplier<SplitOffsets> starts;
        if (consumerId.isPresent()) {
            // where the consumer resumes is looked up at the first read, after the sink's recovery (see SplitInput)
            splits = reading.get().splits(consumerId.get());
            starts = once(() -> reading.get().startOffsets(consumerId.get()));
        } else {
            SplitOffsets start = reading.get().startOffsets(PUSH_CONSUMER);
            splits = List.copyOf(start.offsets().keySet());
            starts = () -> start;
        }
        if (splits.size() < 2) {
            return Optional.empty();
        }
        List<List<String>> shares = new ArrayList<>();
        for (int task = 0; task < parallelism; task++) {
            shares.add(new ArrayList<>());
        }
        for (int split = 0; split < splits.size(); split++) {
            shares.get(split % parallelism).add(splits.get(split));
        }
        List<SourceInput> inputs = new ArrayList<>();
        for (List<String> share : shares) {
            // more tasks than splits: a task without a share does not read the stream
            inputs.add(share.isEmpty() ? null : new SplitInput(reading.get(), share, starts, consumerId,
                    scan.spec().rowType(), SourceOperator.CHUNK_ROWS, scan.spec().projection()));
        }
        return Optional.of(inputs);
    }

    /** {@code lookup}'s result, looked up by the first task that asks (tasks may start reading on several threads). */
    private static Supplier<SplitOffsets> once(Supplier<SplitOffsets> lookup) {
        return new Supplier<>() {
            private SplitOffsets result;

            @Override
            public synchronized SplitOffsets get() {
                if (result == null) {
                    result = lookup.get();
                }
                return result;
            }
        };
    }

    /** As a query at parallelism 1 names them: {@code <prefix>.<stream>}, then {@code .<n>} for the n-th scan of a stream. */
    private String consumerId(String prefix, SourceScan scan) {
        String stream = scan.spec().objectName().toLowerCase(Locale.ROOT);
        int occurrence = scansPerStream.merge(stream, 1, Integer::sum);
        return prefix + "." + stream + (occurrence == 1 ? "" : "." + occurrence);
    }
}
