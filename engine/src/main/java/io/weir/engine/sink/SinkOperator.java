package io.weir.engine.sink;

import io.weir.engine.operator.Operator;
import io.weir.engine.operator.Watermark;
import io.weir.spi.batch.Batch;
import io.weir.spi.connector.SinkWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static java.util.Objects.requireNonNull;

/**
 * The root operator of a persistent query: hands every result batch to the sink's writer. The query
 * runner calls {@link #flush()} at the end of each micro-batch, before the sources commit.
 */
public final class SinkOperator implements Operator {
    private static final Logger LOG = LoggerFactory.getLogger(SinkOperator.class);

    private final String sinkName;
    private final SinkWriter writer;
    private Watermark watermark = Watermark.INITIAL;
    private boolean finished;
    private long rowsWritten;
    private io.weir.engine.latency.ResultArrivals arrivals = io.weir.engine.latency.ResultArrivals.IGNORED;
    private boolean closed;

    public SinkOperator(String sinkName, SinkWriter writer) {
        this.sinkName = requireNonNull(sinkName, "sinkName is null");
        this.writer = requireNonNull(writer, "writer is null");
    }

    @Override
    public boolean needsInput() {
        return !finished;
    }

    @Override
    public void startBatch(io.weir.engine.expression.EvaluationContext context) {
        this.arrivals = context.arrivals();
    }

    @Override
    public void addInput(Batch batch) {
        if (batch.rowCount() > 0) {
            // rows derived from records read in this batch (no operator held them): their first results
            arrivals.contributed(batch.arrivalNanos(), batch.rowCount());
            writer.write(batch);
            rowsWritten += batch.rowCount();
        }
    }

    @Override
    public Batch getOutput() {
        return null;
    }

    @Override
    public void processWatermark(int input, Watermark watermark) {
        this.watermark = watermark;
    }

    @Override
    public Watermark outputWatermark() {
        return watermark;
    }

    /** Returns once every row written so far is delivered; throws the sink's error otherwise. */
    public void flush() {
        writer.flush();
    }

    @Override
    public void finish() {
        finished = true;
    }

    @Override
    public boolean isFinished() {
        return finished;
    }

    /** The sink's writer, for the query's checkpoints. */
    public SinkWriter writer() {
        return writer;
    }

    /** Continues counting from a restored checkpoint's count. */
    public void restoreRowsWritten(long rows) {
        this.rowsWritten = rows;
    }

    /** Rows handed to the writer. */
    public long rowsWritten() {
        return rowsWritten;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            try {
                writer.close();
            } catch (RuntimeException e) {
                LOG.warn("Closing the writer of sink '{}' failed", sinkName, e);
            }
        }
    }
}
