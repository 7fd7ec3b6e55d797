package io.weir.sql.stream;

import io.weir.engine.plan.PlanNode;
import io.weir.engine.state.StateEstimates;
import io.weir.sql.catalog.CatalogObject;
import io.weir.sql.statement.ResultColumn;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rel.RelNode;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * A validated and planned continuous query.
 *
 * @param logicalPlan Calcite's optimized logical plan the physical plan was made from
 * @param physicalPlan the micro-batch operator DAG; its output columns are {@code columns}' types
 * @param limit the query's {@code LIMIT n}, or 0 for none
 * @param empty the query has {@code LIMIT 0} (as BI tools write to learn a result's columns): it
 *        returns no rows, so it need not run
 * @param references the catalog objects the query reads, directly or through views
 * @param warnings what the user should know about the query although it is valid (such as a
 *        materialized view that grows without bound), for the client as SQL warnings
 */
public record ContinuousPlan(String sql, List<ResultColumn> columns, RelNode logicalPlan, PlanNode physicalPlan, long limit,
                             boolean empty, List<CatalogObject> references, List<String> warnings) {
    public ContinuousPlan {
        requireNonNull(sql, "sql is null");
        columns = List.copyOf(columns);
        references = List.copyOf(references);
        warnings = List.copyOf(warnings);
        requireNonNull(logicalPlan, "logicalPlan is null");
        requireNonNull(physicalPlan, "physicalPlan is null");
        if (limit < 0) {
            throw new IllegalArgumentException("limit is negative: " + limit);
        }
    }

    /** A plan without warnings. */
    public ContinuousPlan(String sql, List<ResultColumn> columns, RelNode logicalPlan, PlanNode physicalPlan, long limit,
                          boolean empty, List<CatalogObject> references) {
        this(sql, columns, logicalPlan, physicalPlan, limit, empty, references, List.of());
    }

    /**
     * EXPLAIN's lines: the logical plan, then the physical DAG, each node indented under its consumer.
     * A node shared by several consumers is printed once, under the first, marked {@code (reuse_id=[n])};
     * the others show {@code Reused(reference_id=[n])} in its place (as Flink prints reused sub-plans).
     */
    public List<String> explain() {
        List<String> lines = new ArrayList<>();
        lines.add("== Logical plan (Calcite, optimized) ==");
        for (String line : RelOptUtil.toString(logicalPlan).split("\\R")) {
            if (!line.isBlank()) {
                lines.add(line);
            }
        }
        lines.add("== Physical plan (micro-batch operators) ==");
        int depth = 0;
        if (limit > 0) {
            lines.add("Limit(rows=" + limit + ", state=rows emitted)");
            depth = 1;
        }
        Map<PlanNode, Integer> consumers = new IdentityHashMap<>();
        countConsumers(physicalPlan, consumers);
        explain(physicalPlan, depth, lines, consumers, new IdentityHashMap<>());
        return lines;
    }

    private static void countConsumers(PlanNode node, Map<PlanNode, Integer> consumers) {
        for (PlanNode input : node.inputs()) {
            if (consumers.merge(input, 1, Integer::sum) == 1) {
                countConsumers(input, consumers);
            }
        }
    }

    private static void explain(PlanNode node, int depth, List<String> lines, Map<PlanNode, Integer> consumers,
                                Map<PlanNode, Integer> reuseIds) {
        String indent = "  ".repeat(depth);
        Integer reused = reuseIds.get(node);
        if (reused != null) {
            lines.add(indent + "Reused(reference_id=[" + reused + "])");
            return;
        }
        String estimate = StateEstimates.describe(node).map(state -> " estimated state=" + state).orElse("");
        if (consumers.getOrDefault(node, 0) > 1) {
            int id = reuseIds.size() + 1;
            reuseIds.put(node, id);
            lines.add(indent + node.explain() + "(reuse_id=[" + id + "])" + estimate);
        } else {
            lines.add(indent + node.explain() + estimate);
        }
        for (PlanNode input : node.inputs()) {
            explain(input, depth + 1, lines, consumers, reuseIds);
        }
    }
}
