package io.weir.engine.source;

import io.weir.engine.operator.SourceOperator;
import io.weir.engine.plan.SourceSpec;
import io.weir.spi.connector.OffsetReading;
import io.weir.spi.connector.Source;

import java.util.Optional;

/** Where a query's scan of a stream takes its rows from. */
public final class SourceInputs {
    private SourceInputs() {
    }

    /**
     * A reader shared with the other queries of the stream when the engine shares readers
     * ({@code sharedSources} not null); a persistent query over a source that resumes shares a reader by
     * offsets (each query resuming from its own), or reads on its own when the source cannot be read so.
     */
    public static SourceInput open(SourceSpec spec, Source source, Optional<String> consumerId, SourceOpener opener,
                                   SharedSources sharedSources) {
        if (sharedSources == null) {
            return new OwnedInput(source.createReader(), spec.rowType(), SourceOperator.CHUNK_ROWS, spec.projection());
        }
        if (consumerId.isEmpty() || !source.resumes()) {
            return sharedSources.open(spec, source, SourceOperator.CHUNK_ROWS);
        }
        Optional<OffsetReading> reading = source.offsetReading();
        if (reading.isPresent()) {
            // a shared reader widens to the columns of every query it serves: it reads them through another source
            return sharedSources.openResuming(spec, projection -> projection.equals(spec.projection()) ? reading.get()
                    : opener.source(spec.withProjection(projection), consumerId).offsetReading().orElseThrow(),
                    consumerId.get(), SourceOperator.CHUNK_ROWS);
        }
        return new OwnedInput(source.createReader(), spec.rowType(), SourceOperator.CHUNK_ROWS, spec.projection());
    }
}
