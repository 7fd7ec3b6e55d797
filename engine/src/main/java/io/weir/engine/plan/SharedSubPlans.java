package io.weir.engine.plan;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static java.util.Objects.requireNonNull;

/**
 * Makes equal sub-plans one node, so that a query reads each stream once and computes a common
 * sub-plan once (a self-join's two sides, q5's count per auction and window that feeds both the join
 * and the maximum per window): the plan becomes a DAG in which a node may have several parents, and
 * the engine delivers each of its output batches to each of them.
 *
 * <p>Two nodes are equal when they are the same operator with the same parameters over the same
 * (already shared) inputs. Compiled code is compared by the SQL it was compiled from (a Calc's
 * description, a join's condition text, a computed event time's expression), which the planner
 * renders with every input reference and type. Scans are shared before {@link ScanProjection}
 * narrows them, so one scan reads the union of the columns its parents read.
 *
 * <p>Sharing is right for every node the engine runs: a shared node's parents get exactly the batches
 * that separate copies would have produced, in the same micro-batch, with the same watermark, and a
 * two-input node fed twice by one node gets each batch on both inputs. Only expressions whose value
 * differs between evaluations of one row (a random number) must not be shared; the caller says which
 * nodes those are.
 */
public final class SharedSubPlans {
    private final Predicate<PlanNode> mayShare;
    /** Every node visited so far, to the shared node that replaces it. */
    private final Map<PlanNode, PlanNode> replaced = new IdentityHashMap<>();
    private final Map<Key, PlanNode> shared = new HashMap<>();
    /** A number per shared node, so that keys compare inputs by identity. */
    private final Map<PlanNode, Integer> ids = new IdentityHashMap<>();

    private SharedSubPlans(Predicate<PlanNode> mayShare) {
        this.mayShare = requireNonNull(mayShare, "mayShare is null");
    }

    /** The plan with equal sub-plans made one node; every node may be shared. */
    public static PlanNode share(PlanNode root) {
        return share(root, node -> true);
    }

    /**
     * The plan with equal sub-plans made one node.
     *
     * @param mayShare false for a node that must stay a node of its own although an equal one exists
     *        (its inputs may still be shared)
     */
    public static PlanNode share(PlanNode root, Predicate<PlanNode> mayShare) {
        return new SharedSubPlans(mayShare).visit(requireNonNull(root, "root is null"));
    }

    /**
     * The plan as a tree, each shared node copied for each of its parents: the plan as it was run
     * before sub-plans were shared; {@code root} itself when no node is shared.
     */
    public static PlanNode unshare(PlanNode root) {
        Map<PlanNode, Integer> parents = new IdentityHashMap<>();
        countParents(root, parents);
        if (parents.values().stream().allMatch(count -> count == 1)) {
            return root;
        }
        return copy(root);
    }

    private static void countParents(PlanNode node, Map<PlanNode, Integer> parents) {
        for (PlanNode input : node.inputs()) {
            if (parents.merge(input, 1, Integer::sum) == 1) {
                countParents(input, parents);
            }
        }
    }

    /** A copy of every node of the plan, once per path from the root to it. */
    private static PlanNode copy(PlanNode node) {
        if (node instanceof SourceScan scan) {
            return new SourceScan(scan.spec());
        }
        return PlanInputs.replace(node, node.inputs().stream().map(SharedSubPlans::copy).toList());
    }

    private PlanNode visit(PlanNode node) {
        PlanNode done = replaced.get(node);
        if (done != null) {
            return done;
        }
        List<PlanNode> inputs = new ArrayList<>();
        for (PlanNode input : node.inputs()) {
            inputs.add(visit(input));
        }
        PlanNode rebuilt = PlanInputs.replace(node, inputs);
        PlanNode result = rebuilt;
        if (mayShare.test(node)) {
            result = shared.computeIfAbsent(new Key(parameters(rebuilt), inputIds(rebuilt)), key -> rebuilt);
        }
        ids.putIfAbsent(result, ids.size());
        replaced.put(node, result);
        return result;
    }

    private List<Integer> inputIds(PlanNode node) {
        return node.inputs().stream().map(input -> requireNonNull(ids.get(input), "input visited")).toList();
    }

    /** A node's operator and parameters; inputs are compared apart, by identity. */
    private record Key(List<Object> parameters, List<Integer> inputs) {
    }

    /** Everything but the inputs that decides what a node computes, with compiled code as its SQL. */
    private static List<Object> parameters(PlanNode node) {
        if (node instanceof SourceScan scan) {
            return List.of(SourceScan.class, scan(scan.spec()));
        } else if (node instanceof Calc calc) {
            return List.of(Calc.class, calc.filter().isPresent(), calc.description(), calc.outputType(),
                    calc.eventTimeColumn(), calc.inputColumns());
        } else if (node instanceof WindowAggregate aggregate) {
            return List.of(WindowAggregate.class, aggregate.window(), aggregate.groupKeys(), aggregate.aggregates(),
                    aggregate.outputType(), aggregate.emitOpenWindows(), aggregate.emitIntervalMillis(),
                    aggregate.allowedLatenessMillis());
        } else if (node instanceof GroupAggregate aggregate) {
            return List.of(GroupAggregate.class, aggregate.groupKeys(), aggregate.aggregates(), aggregate.outputType());
        } else if (node instanceof Changelog changelog) {
            return java.util.Arrays.asList(Changelog.class, changelog.keyColumns(), changelog.keepColumn(), changelog.outputType(),
                    changelog.windows());
        } else if (node instanceof Rank rank) {
            return List.of(Rank.class, rank.kind(), rank.partitionKeys(), rank.orderKeys(), rank.limit(), rank.eventTime(),
                    rank.outputType());
        } else if (node instanceof OverAggregate over) {
            return List.of(OverAggregate.class, over.partitionKeys(), over.timeColumn(), over.rows(), over.preceding(),
                    over.aggregates(), over.outputType());
        } else if (node instanceof UnionAll union) {
            return List.of(UnionAll.class, union.outputType());
        } else if (node instanceof SinkWrite write) {
            return List.of(SinkWrite.class, write.spec());
        } else if (node instanceof LookupJoin lookup) {
            // the table is read by the join operator itself, not an input of the DAG: compared whole
            PlanNode table = lookup.table();
            List<Object> tableParameters = table instanceof Calc calc
                    ? List.of(parameters(calc), parameters(calc.input())) : parameters(table);
            return List.of(LookupJoin.class, tableParameters, lookup.streamKeys(), lookup.tableKeys(), lookup.kind(),
                    lookup.condition().isPresent(), lookup.conditionText(), lookup.refreshInterval(), lookup.outputType());
        } else if (node instanceof WindowJoin join) {
            return List.of(WindowJoin.class, join.leftKeys(), join.rightKeys(), join.leftWindowEnd(), join.rightWindowEnd(),
                    join.kind(), join.condition().isPresent(), join.conditionText(), join.outputType());
        } else if (node instanceof IntervalJoin join) {
            return List.of(IntervalJoin.class, join.leftKeys(), join.rightKeys(), join.leftTime(), join.rightTime(),
                    join.lowerMillis(), join.upperMillis(), join.kind(), join.condition().isPresent(), join.conditionText(),
                    join.outputType());
        }
        throw new IllegalArgumentException("unknown plan node " + node.getClass().getName());
    }

    private static List<Object> scan(SourceSpec spec) {
        List<Object> computed = spec.computedEventTime()
                .<List<Object>>map(time -> List.of(time.column(), time.description())).orElse(List.of());
        return List.of(spec.objectName(), spec.kind(), spec.options(), spec.physicalSchema(), spec.eventTimeColumn(),
                spec.watermarkDelay(), spec.idleTimeout(), spec.metadataColumns(), computed, spec.projection());
    }
}
