package io.weir.engine.plan;

import io.weir.spi.type.Projection;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pushes a plan's column projection into its scans: works out, from the root down, which columns
 * each node reads of its inputs, and gives every {@link SourceScan} the projection of the columns
 * read of it (plus its event-time column, which its operator reads for the watermark). The scans'
 * row types stay the same, so no column index changes; a column no operator reads is left NULL by
 * the source, whose format then skips its field instead of converting it.
 *
 * <p>Conservative where a node's reads are not known exactly: a {@link Calc} without
 * {@link Calc#inputColumns()}, a join condition (compiled code over all the join's columns), a sink
 * (writes every column). Lookup tables, read by their join operator, are read whole.
 */
public final class ScanProjection {
    private ScanProjection() {
    }

    /** The plan with each scan's projection set; {@code root}'s output columns are all read. */
    public static PlanNode apply(PlanNode root) {
        List<PlanNode> order = new ArrayList<>();
        topological(root, new IdentityHashMap<>(), order);
        Map<PlanNode, BitSet> needed = new IdentityHashMap<>();
        needed.put(root, all(root.outputType().size()));
        // parents before children, so that a node read by several parents has all their needs
        for (int i = order.size() - 1; i >= 0; i--) {
            PlanNode node = order.get(i);
            BitSet mine = needed.getOrDefault(node, new BitSet());
            List<PlanNode> inputs = node.inputs();
            for (int input = 0; input < inputs.size(); input++) {
                needed.computeIfAbsent(inputs.get(input), k -> new BitSet()).or(reads(node, input, mine));
            }
        }
        return rebuild(root, needed, new IdentityHashMap<>());
    }

    /** Post-order: every node after its inputs. */
    private static void topological(PlanNode node, Map<PlanNode, Boolean> visited, List<PlanNode> order) {
        if (visited.put(node, Boolean.TRUE) != null) {
            return;
        }
        for (PlanNode input : node.inputs()) {
            topological(input, visited, order);
        }
        order.add(node);
    }

    /** The columns of input {@code input} that {@code node} reads when its columns {@code needed} are read. */
    static BitSet reads(PlanNode node, int input, BitSet needed) {
        PlanNode in = node.inputs().get(input);
        int width = in.outputType().size();
        BitSet reads = new BitSet();
        if (node instanceof Calc calc) {
            if (calc.inputColumns().isAll()) {
                return all(width);
            }
            calc.inputColumns().columns(width).forEach(reads::set);
        } else if (node instanceof WindowAggregate aggregate) {
            aggregate.groupKeys().forEach(reads::set);
            aggregates(aggregate.aggregates(), reads);
            reads.set(aggregate.window().timeColumn());
            if (aggregate.window().startColumn() >= 0) {
                reads.set(aggregate.window().startColumn());
            }
        } else if (node instanceof GroupAggregate aggregate) {
            aggregate.groupKeys().forEach(reads::set);
            aggregates(aggregate.aggregates(), reads);
        } else if (node instanceof UnionAll) {
            reads.or(needed);
        } else if (node instanceof LookupJoin lookup && lookup.condition().isEmpty()) {
            reads.or(needed.get(0, width));
            lookup.streamKeys().forEach(reads::set);
        } else if (node instanceof WindowJoin join && join.condition().isEmpty()) {
            reads.or(side(needed, input, join.left().outputType().size(), width));
            (input == 0 ? join.leftKeys() : join.rightKeys()).forEach(reads::set);
            reads.set(input == 0 ? join.leftWindowEnd() : join.rightWindowEnd());
        } else if (node instanceof IntervalJoin join && join.condition().isEmpty()) {
            reads.or(side(needed, input, join.left().outputType().size(), width));
            (input == 0 ? join.leftKeys() : join.rightKeys()).forEach(reads::set);
            reads.set(input == 0 ? join.leftTime() : join.rightTime());
        } else {
            // a sink writes every column; a join condition is compiled code over all the join's columns
            return all(width);
        }
        return reads;
    }

    private static void aggregates(List<AggregateCall> calls, BitSet reads) {
        for (AggregateCall call : calls) {
            call.arguments().forEach(reads::set);
            if (call.filterColumn() >= 0) {
                reads.set(call.filterColumn());
            }
        }
    }

    /** The columns of one side of a two-input node's output (left columns, then right ones), as that side's indexes. */
    private static BitSet side(BitSet needed, int input, int leftWidth, int width) {
        return input == 0 ? needed.get(0, leftWidth) : needed.get(leftWidth, leftWidth + width);
    }

    private static BitSet all(int width) {
        BitSet bits = new BitSet();
        bits.set(0, width);
        return bits;
    }

    private static PlanNode rebuild(PlanNode node, Map<PlanNode, BitSet> needed, Map<PlanNode, PlanNode> done) {
        PlanNode rebuilt = done.get(node);
        if (rebuilt != null) {
            return rebuilt;
        }
        List<PlanNode> inputs = new ArrayList<>();
        for (PlanNode input : node.inputs()) {
            inputs.add(rebuild(input, needed, done));
        }
        if (node instanceof SourceScan scan) {
            BitSet columns = (BitSet) needed.getOrDefault(scan, new BitSet()).clone();
            if (scan.spec().hasEventTime()) {
                columns.set(scan.spec().eventTimeColumn());
            }
            rebuilt = new SourceScan(scan.spec().withProjection(Projection.of(columns.stream().boxed().toList())));
        } else {
            rebuilt = PlanInputs.replace(node, inputs);
        }
        done.put(node, rebuilt);
        return rebuilt;
    }
}
