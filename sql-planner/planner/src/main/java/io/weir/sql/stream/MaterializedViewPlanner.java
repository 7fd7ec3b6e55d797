package io.weir.sql.stream;

import io.weir.engine.plan.PlanNode;
import io.weir.engine.plan.SinkSpec;
import io.weir.engine.plan.SinkWrite;
import io.weir.engine.view.MaterializedViewConnectorFactory;
import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.connector.CommonOptions;
import io.weir.spi.type.DataType;
import io.weir.spi.type.TypeKind;
import io.weir.sql.statement.ResultColumn;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rex.RexBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Plans a materialized view's query under a {@link SinkWrite} into the view's store. A view whose
 * outermost operation is a GROUP BY (windowed or not) keeps one row per group, replaced as the group
 * changes: the store is keyed by the selected grouping columns, and a HAVING is not a filter but a
 * trailing keep flag, so that a group that stops satisfying it leaves the view. Any other view (filters
 * and projections of streams) keeps every row it produced, subject to its retention.
 */
final class MaterializedViewPlanner {
    private static final Logger LOG = LoggerFactory.getLogger(MaterializedViewPlanner.class);
    static final String KEEP_COLUMN = TopAggregate.KEEP_COLUMN;
    static final String RETENTION = "retention";
    /** The view's windows send their open values this often (as EMIT EVERY in its query does). */
    static final String EMIT_EARLY_INTERVAL = "emit.early-interval";
    static final String ALLOWED_LATENESS = "allowed-lateness";

    private MaterializedViewPlanner() {
    }

    /** The view's 'emit.early-interval': how often its open windows' values are updated; zero for final rows only. */
    static java.time.Duration earlyInterval(Map<String, String> viewOptions) {
        try {
            return io.weir.spi.option.OptionParsing.parseDuration(viewOptions.get(EMIT_EARLY_INTERVAL));
        } catch (RuntimeException e) {
            throw new WeirException(ErrorCode.INVALID_OPTION_VALUE, "Materialized view option 'emit.early-interval' takes a"
                    + " duration such as '5 s' or '1 min', not '" + viewOptions.get(EMIT_EARLY_INTERVAL) + "'");
        }
    }

    /** The view's 'allowed-lateness', else {@code sessionDefault} (the session's it was created in). */
    static java.time.Duration allowedLateness(Map<String, String> viewOptions, java.time.Duration sessionDefault) {
        if (!viewOptions.containsKey(ALLOWED_LATENESS)) {
            return sessionDefault;
        }
        try {
            java.time.Duration lateness = io.weir.spi.option.OptionParsing.parseDuration(viewOptions.get(ALLOWED_LATENESS));
            if (lateness.isNegative()) {
                throw new IllegalArgumentException("negative");
            }
            return lateness;
        } catch (RuntimeException e) {
            throw new WeirException(ErrorCode.INVALID_OPTION_VALUE, "Materialized view option 'allowed-lateness' takes a"
                    + " duration such as '30 s' or '5 min', not '" + viewOptions.get(ALLOWED_LATENESS) + "'");
        }
    }

    /**
     * @param reject makes the error for a view query that cannot be maintained
     * @param warn receives what the user should know about a view that is valid, such as one that grows without bound
     */
    static PlanNode plan(String viewName, Map<String, String> viewOptions, List<ResultColumn> columns, RelNode query,
                         PhysicalPlanConverter converter, Function<String, WeirException> reject, Consumer<String> warn,
                         long latenessMillis) {
        for (String key : viewOptions.keySet()) {
            if (!key.equals(RETENTION) && !key.equals(EMIT_EARLY_INTERVAL) && !key.equals(ALLOWED_LATENESS)) {
                throw new WeirException(ErrorCode.UNKNOWN_OPTION, "Unknown materialized view option '" + key
                        + "'. Materialized views take 'retention' (e.g. '24 hours'), 'emit.early-interval' (e.g. '5 s') and"
                        + " 'allowed-lateness' (e.g. '30 s')");
            }
        }
        readsAView(query).ifPresent(view -> {
            throw reject.apply("A materialized view reads streams, and '" + view + "' is a materialized view; build this"
                    + " view from the streams '" + view + "' reads, or query '" + view + "' with a plain SELECT");
        });
        RexBuilder rexBuilder = query.getCluster().getRexBuilder();
        Map<String, String> options = new LinkedHashMap<>();
        options.put(CommonOptions.CONNECTOR.key(), MaterializedViewConnectorFactory.NAME);
        options.put(MaterializedViewConnectorFactory.VIEW.key(), viewName);
        if (viewOptions.containsKey(RETENTION)) {
            options.put(MaterializedViewConnectorFactory.RETENTION.key(), viewOptions.get(RETENTION));
        }
        List<DataType.Field> schema = new ArrayList<>();
        for (ResultColumn column : columns) {
            schema.add(new DataType.Field(column.name(), column.type()));
        }
        PlanNode body;
        java.util.Optional<TopAggregate> top = TopAggregate.of(query);
        java.util.Optional<RankPlanner.Upserts> ranked = top.isEmpty() ? converter.rankUpserts(query, reject)
                : java.util.Optional.empty();
        if (ranked.isPresent()) {
            // keep-last deduplication or Top-N of a stream: one row per partition (and row number), replaced as it changes
            body = ranked.get().rows();
            options.put(MaterializedViewConnectorFactory.KEY_COLUMNS.key(),
                    ranked.get().keyColumns().stream().map(String::valueOf).collect(Collectors.joining(",")));
        } else if (top.isEmpty()) {
            if (containsAggregate(query)) {
                throw reject.apply("A materialized view's GROUP BY must be its outermost operation: SELECT ... FROM ..."
                        + " GROUP BY ... [HAVING ...], with no further query around it");
            }
            body = converter.convert(query);
        } else {
            Aggregate aggregate = top.get().aggregate();
            PlanNode grouped = AllowedLateness.apply(converter.aggregate(aggregate), latenessMillis, reject);
            List<Integer> keyColumns = top.get().keyColumns("A materialized view over GROUP BY keeps one row per group", reject);
            options.put(MaterializedViewConnectorFactory.KEY_COLUMNS.key(),
                    keyColumns.stream().map(String::valueOf).collect(Collectors.joining(",")));
            windowEndColumn(keyColumns, columns).ifPresent(column ->
                    options.put(MaterializedViewConnectorFactory.WINDOW_END_COLUMN.key(), String.valueOf(column)));
            if (top.get().condition().isPresent()) {
                // a HAVING decides whether the group's row is in the view, batch by batch
                options.put(MaterializedViewConnectorFactory.KEEP_COLUMN.key(), "true");
                schema.add(new DataType.Field(KEEP_COLUMN, DataType.of(TypeKind.BOOLEAN)));
            }
            body = converter.project(grouped, aggregate.getRowType(), top.get().projectsWithKeep(),
                    top.get().outputType(rexBuilder.getTypeFactory(), columns));
        }
        if (!options.containsKey(MaterializedViewConnectorFactory.KEY_COLUMNS.key())
                && !options.containsKey(MaterializedViewConnectorFactory.RETENTION.key())) {
            // allowed, but it grows with its stream: tell the user who creates it and the operator
            String warning = "Materialized view '" + viewName + "' keeps every row of its stream and grows without bound;"
                    + " give it a retention to bound it: CREATE OR REPLACE MATERIALIZED VIEW " + viewName
                    + " WITH ('retention' = '24 hours') AS ...";
            LOG.warn(warning);
            warn.accept(warning);
        }
        List<DataType.Field> written = body.outputType();
        if (written.size() != schema.size()) {
            throw new WeirException(ErrorCode.INTERNAL_ERROR, "Internal error: materialized view '" + viewName
                    + "' writes " + written.size() + " columns for " + schema.size() + ". This is a bug in Weir");
        }
        return new SinkWrite(body, new SinkSpec(viewName, options, schema));
    }

    private static java.util.Optional<String> readsAView(RelNode node) {
        if (node instanceof org.apache.calcite.rel.core.TableScan scan) {
            io.weir.sql.schema.CatalogTable table = scan.getTable().unwrap(io.weir.sql.schema.CatalogTable.class);
            if (table != null && table.object().type() == io.weir.sql.catalog.ObjectType.MATERIALIZED_VIEW) {
                return java.util.Optional.of(table.object().name());
            }
        }
        for (RelNode input : node.getInputs()) {
            java.util.Optional<String> view = readsAView(input);
            if (view.isPresent()) {
                return view;
            }
        }
        return java.util.Optional.empty();
    }

    private static boolean containsAggregate(RelNode node) {
        if (node instanceof Aggregate) {
            return true;
        }
        for (RelNode input : node.getInputs()) {
            if (containsAggregate(input)) {
                return true;
            }
        }
        return false;
    }

    /** The key column holding the window end (or start), for retention. */
    private static java.util.Optional<Integer> windowEndColumn(List<Integer> keyColumns, List<ResultColumn> columns) {
        Integer chosen = null;
        for (int column : keyColumns) {
            if (columns.get(column).type().kind() == TypeKind.TIMESTAMP) {
                if (chosen == null || columns.get(column).name().toLowerCase(Locale.ROOT).contains("end")) {
                    chosen = column;
                }
            }
        }
        return java.util.Optional.ofNullable(chosen);
    }
}
