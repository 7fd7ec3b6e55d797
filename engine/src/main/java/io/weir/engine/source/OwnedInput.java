package io.weir.engine.source;

import io.weir.spi.batch.Batch;
import io.weir.spi.batch.BatchBuilder;
import io.weir.spi.connector.SourceReader;
import io.weir.spi.connector.Split;
import io.weir.spi.type.DataType;
import io.weir.spi.type.Projection;

import java.util.List;
import java.util.OptionalLong;

import static java.util.Objects.requireNonNull;

/** A reader that belongs to one query. */
public final class OwnedInput implements SourceInput {
    private final SourceReader reader;
    private final BatchBuilder builder;

    /**
     * @param rowType the reader's row type: the stream's physical columns, then its metadata columns
     * @param chunkRows the capacity of the batches built
     */
    public OwnedInput(SourceReader reader, List<DataType.Field> rowType, int chunkRows) {
        this(reader, rowType, chunkRows, Projection.all());
    }

    /** @param projection the columns the query reads; the others are NULL in the batches */
    public OwnedInput(SourceReader reader, List<DataType.Field> rowType, int chunkRows, Projection projection) {
        this.reader = requireNonNull(reader, "reader is null");
        this.builder = new BatchBuilder(rowType, chunkRows, projection);
    }

    @Override
    public Batch next(int maxRows) {
        return poll(reader, builder, maxRows);
    }

    /**
     * The rows {@code reader} has now, at most {@code maxRows}, as a batch built by {@code builder};
     * null when it has none (the builder is then reset for the next poll).
     */
    static Batch poll(SourceReader reader, BatchBuilder builder, int maxRows) {
        if (reader.poll(builder, maxRows) == 0) {
            builder.reset();
            return null;
        }
        return builder.build();
    }

    @Override
    public List<Split> splits() {
        return reader.splits();
    }

    @Override
    public boolean splitsKnown() {
        return reader.splitsKnown();
    }

    @Override
    public OptionalLong lag() {
        return reader.lag();
    }

    @Override
    public boolean isFinished() {
        return reader.isFinished();
    }

    @Override
    public void commit() {
        reader.commit();
    }

    @Override
    public void close() {
        reader.close();
    }
}
