package io.weir.connector.datagen;

import io.weir.connector.datagen.generator.ValueGenerator;
import io.weir.connector.datagen.nexmark.NexmarkConfig;
import io.weir.connector.datagen.nexmark.NexmarkGenerator;
import io.weir.connector.datagen.nexmark.NexmarkProfile;
import io.weir.connector.datagen.profile.WeblogsGenerator;
import io.weir.spi.batch.BatchBuilder;
import io.weir.spi.connector.ConnectorContext;
import io.weir.spi.connector.SourceReader;
import io.weir.spi.connector.Split;

import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Generates rows as they fall due: with a rate r, row i is due (and has event time) i / r seconds
 * after the reader was created, by the context clock. A poll generates the rows due now and returns;
 * it never sleeps or spins, the engine's poll interval paces it. Rows depend only on the seed, the
 * start time and their index, not on how they are split into polls. One split (id 0).
 */
final class DatagenReader implements SourceReader {
    private static final int SPLIT = 0;

    private final ConnectorContext context;
    private final DatagenPlan plan;
    private final long createdMillis;
    private final long baseMillis;
    private final ValueGenerator[] generators;
    private final WeblogsGenerator weblogs;
    private final NexmarkGenerator nexmark;
    private final NexmarkProfile.EventWriter nexmarkWriter;
    private long emitted;
    private boolean closed;

    DatagenReader(ConnectorContext context, DatagenPlan plan) {
        this.context = context;
        this.plan = plan;
        this.createdMillis = context.clock().millis();
        this.baseMillis = plan.startTime().orElse(createdMillis);
        if (plan.nexmark().isPresent()) {
            DatagenPlan.NexmarkPlan profile = plan.nexmark().get();
            // The generator's own rate only sets auction lengths; event times come from this reader's pacing.
            long rate = plan.rowsPerSecond() > 0 ? plan.rowsPerSecond() : 1000;
            this.nexmark = new NexmarkGenerator(NexmarkConfig.defaults(rate, baseMillis), plan.seed());
            this.nexmarkWriter = new NexmarkProfile.EventWriter(profile.eventType(), context.schema(), profile.columns());
        } else {
            this.nexmark = null;
            this.nexmarkWriter = null;
        }
        if (plan.profile().isPresent()) {
            DatagenPlan.ProfilePlan profile = plan.profile().get();
            this.weblogs = new WeblogsGenerator(plan.seed(), context.schema(), profile.columns(), profile.nullRates(),
                    profile.maxDisorderMillis());
            this.generators = new ValueGenerator[0];
        } else if (plan.nexmark().isPresent()) {
            this.weblogs = null;
            this.generators = new ValueGenerator[0];
        } else {
            this.weblogs = null;
            this.generators = new ValueGenerator[plan.columns().size()];
            for (int column = 0; column < generators.length; column++) {
                String name = context.schema().get(column).name().toLowerCase(Locale.ROOT);
                generators[column] = plan.columns().get(column).create(new SplittableRandom(columnSeed(plan.seed(), name)), baseMillis);
            }
        }
    }

    /** Each column has its own stream, so adding a column does not change the others' values. */
    private static long columnSeed(long seed, String column) {
        long z = seed + 0x9E3779B97F4A7C15L * (column.hashCode() + 1L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    @Override
    public int poll(BatchBuilder out, int maxRows) {
        if (closed) {
            throw new IllegalStateException("reader is closed");
        }
        long now = context.clock().millis();
        long available = due(now) - emitted;
        if (plan.bounded()) {
            available = Math.min(available, plan.rowLimit() - emitted);
        }
        int count = (int) Math.max(0, Math.min(maxRows, available));
        out.setSplit(SPLIT);
        for (int i = 0; i < count; i++) {
            long row = emitted + i;
            long time = eventTime(row, now);
            if (nexmarkWriter != null) {
                nexmarkWriter.writeNext(nexmark, out, time);
            } else if (weblogs != null) {
                weblogs.write(out, time);
            } else {
                for (int column = 0; column < generators.length; column++) {
                    generators[column].write(out, column, row, time);
                }
            }
            out.commitRow();
        }
        emitted += count;
        context.errorHandler().recordsRead(count);
        return count;
    }

    /** Rows due by {@code now}: all of them when unthrottled. */
    private long due(long now) {
        long rate = plan.rowsPerSecond();
        if (rate == 0) {
            return Long.MAX_VALUE;
        }
        long elapsed = Math.max(0, now - createdMillis);
        try {
            return Math.multiplyExact(elapsed, rate) / 1000;
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    private long eventTime(long row, long now) {
        long rate = plan.rowsPerSecond();
        if (rate > 0) {
            return baseMillis + (long) (row * 1000.0 / rate);
        }
        return plan.startTime().isPresent() ? baseMillis + row : now;
    }

    @Override
    public List<Split> splits() {
        return List.of(new Split(SPLIT, "datagen", isFinished()));
    }

    @Override
    public boolean isFinished() {
        return plan.bounded() && emitted >= plan.rowLimit();
    }

    @Override
    public void close() {
        closed = true;
    }
}
