package io.weir.connector.datagen;

import io.weir.spi.connector.ConnectorContext;
import io.weir.spi.connector.Source;
import io.weir.spi.connector.SourceReader;

import static java.util.Objects.requireNonNull;

/** Synthetic rows; bounded when the plan has a row limit. */
final class DatagenSource implements Source {
    private final ConnectorContext context;
    private final DatagenPlan plan;

    DatagenSource(ConnectorContext context, DatagenPlan plan) {
        this.context = requireNonNull(context, "context is null");
        this.plan = requireNonNull(plan, "plan is null");
    }

    @Override
    public boolean isBounded() {
        return plan.bounded();
    }

    @Override
    public SourceReader createReader() {
        return new DatagenReader(context, plan);
    }
}
