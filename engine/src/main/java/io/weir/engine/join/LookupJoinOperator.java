package io.weir.engine.join;

import io.weir.engine.operator.Operator;
import io.weir.engine.operator.Watermark;
import io.weir.engine.plan.JoinKind;
import io.weir.engine.plan.LookupJoin;
import io.weir.engine.source.SourceOpener;
import io.weir.spi.batch.Batch;
import io.weir.spi.batch.BatchBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/**
 * Stream–table (lookup) join: probes each stream row's key in a hash table holding the whole
 * reference table, read when the query starts. With a refresh interval, a background thread reads
 * the table again every interval and swaps the new version in atomically; a failed refresh keeps
 * the previous version (and is logged). The stream's watermark passes through unchanged.
 */
public final class LookupJoinOperator implements Operator {
    private static final Logger LOG = LoggerFactory.getLogger(LookupJoinOperator.class);

    private final int[] streamKeys;
    private final int streamWidth;
    private final int tableWidth;
    private final boolean keepUnmatched;
    /** SEMI or ANTI: the output is the stream rows with (without) a match, not the pairs. */
    private final JoinKind kind;
    private final JoinOutput output;
    /** For SEMI and ANTI: the stream rows kept. */
    private final java.util.ArrayDeque<Batch> kept = new java.util.ArrayDeque<>();
    private final LookupTableLoader loader;
    private final ScheduledExecutorService refresher;
    private volatile RowStore table;
    private RowStore probing;
    private boolean[] matched = new boolean[64];
    private Watermark watermark = Watermark.INITIAL;
    private boolean finishing;
    private final JoinOutput.MatchListener markMatched = (streamRow, tableRow) -> matched[streamRow] = true;

    /** Reads the table (blocking) and, with a refresh interval, starts re-reading it in the background. */
    public LookupJoinOperator(LookupJoin plan, SourceOpener opener) {
        requireNonNull(plan, "plan is null");
        this.streamKeys = plan.streamKeys().stream().mapToInt(Integer::intValue).toArray();
        this.streamWidth = plan.input().outputType().size();
        this.tableWidth = plan.table().outputType().size();
        this.keepUnmatched = plan.kind() == JoinKind.LEFT;
        this.kind = plan.kind();
        // pairs are the stream's columns, then the table's, whatever the output (the condition reads both)
        List<io.weir.spi.type.DataType.Field> pairType = new java.util.ArrayList<>(plan.input().outputType());
        pairType.addAll(plan.table().outputType());
        this.output = new JoinOutput(kind.keepsLeftColumnsOnly() ? pairType : plan.outputType(), plan.condition());
        this.loader = new LookupTableLoader(plan.table(), plan.tableSpec(), requireNonNull(opener, "opener is null"),
                plan.tableKeys());
        this.table = loader.load();
        LOG.debug("Lookup table '{}' loaded: {} rows", loader.tableName(), table.size());
        Optional<Duration> refresh = plan.refreshInterval();
        if (refresh.isPresent()) {
            long millis = Math.max(1, refresh.get().toMillis());
            refresher = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "weir-lookup-refresh-" + loader.tableName());
                thread.setDaemon(true);
                return thread;
            });
            refresher.scheduleWithFixedDelay(this::refresh, millis, millis, TimeUnit.MILLISECONDS);
        } else {
            refresher = null;
        }
    }

    private void refresh() {
        try {
            RowStore fresh = loader.load();
            table = fresh;
            LOG.debug("Lookup table '{}' refreshed: {} rows", loader.tableName(), fresh.size());
        } catch (RuntimeException e) {
            LOG.warn("Refreshing lookup table '{}' failed; the join keeps using the version read before", loader.tableName(), e);
        }
    }

    /** The version of the table in use now (for tests). */
    public int tableRows() {
        return table.size();
    }

    @Override
    public boolean needsInput() {
        return !finishing;
    }

    @Override
    public void addInput(Batch batch) {
        int rows = batch.rowCount();
        if (rows == 0) {
            return;
        }
        probing = table; // one version for the whole batch
        if (matched.length < rows) {
            matched = new boolean[Math.max(rows, matched.length * 2)];
        }
        Arrays.fill(matched, 0, rows, false);
        BatchBuilder pairs = output.pairs();
        for (int row = 0; row < rows; row++) {
            if (RowStore.hasNullKey(batch, row, streamKeys)) {
                continue;
            }
            long hash = RowStore.hash(batch, row, streamKeys);
            for (int id = probing.firstWithHash(hash); id >= 0; id = probing.nextWithHash(id)) {
                if (probing.keyEquals(id, batch, row, streamKeys)) {
                    JoinOutput.copyRow(batch, row, 0, streamWidth, pairs, 0);
                    probing.write(id, pairs, streamWidth);
                    output.commitPair(row, id);
                }
            }
        }
        // the joined rows are results of this batch's rows: they carry their arrival
        pairs.arrived(batch.arrivalNanos(), pairs.rowCount());
        if (kind.keepsLeftColumnsOnly()) {
            output.matchPairs(markMatched);
            keepStreamRows(batch, rows, kind == JoinKind.SEMI);
            probing = null;
            return;
        }
        output.flushPairs(markMatched);
        if (keepUnmatched) {
            BatchBuilder padded = output.padded();
            for (int row = 0; row < rows; row++) {
                if (!matched[row]) {
                    JoinOutput.copyRow(batch, row, 0, streamWidth, padded, 0);
                    JoinOutput.writeNulls(padded, streamWidth, tableWidth);
                    padded.commitRow();
                }
            }
            padded.arrived(batch.arrivalNanos(), padded.rowCount());
            output.flushPadded();
        }
        probing = null;
    }

    /** SEMI and ANTI: the batch's rows with a match (or without one), once each, with the stream's columns. */
    private void keepStreamRows(Batch batch, int rows, boolean withMatch) {
        int[] selection = new int[rows];
        int count = 0;
        for (int row = 0; row < rows; row++) {
            if (matched[row] == withMatch) {
                selection[count++] = row;
            }
        }
        if (count == rows) {
            kept.add(batch);
        } else if (count > 0) {
            kept.add(batch.select(selection, count, null));
        }
    }

    @Override
    public Batch getOutput() {
        Batch pairs = output.poll();
        return pairs != null ? pairs : kept.poll();
    }

    @Override
    public void processWatermark(int input, Watermark watermark) {
        this.watermark = watermark;
    }

    @Override
    public Watermark outputWatermark() {
        return watermark;
    }

    @Override
    public void finish() {
        finishing = true;
    }

    @Override
    public boolean isFinished() {
        return finishing && output.isEmpty() && kept.isEmpty();
    }

    @Override
    public void close() {
        if (refresher != null) {
            refresher.shutdownNow();
        }
    }
}
