package io.weir.engine.parallel;

import io.weir.engine.plan.PlanNode;
import io.weir.engine.plan.SourceScan;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * A plan's operators as the DAG they are (a sub-plan shared by several parents is one node), numbered
 * as {@link io.weir.engine.exec.QueryRunner} builds them: depth first, a node before its inputs, in
 * input order, a node reached again through another parent not again. Checkpoint sections are named
 * by these numbers and the sources' order, so both runners read each other's checkpoints.
 */
final class PlanGraph {
    private final List<PlanNode> nodes = new ArrayList<>();
    /** Per node, the index of each of its inputs. */
    private final List<int[]> inputs = new ArrayList<>();
    /** Per node, how many (parent, input) pairs it feeds. */
    private final List<Integer> parentEdges = new ArrayList<>();
    private final List<Integer> scans = new ArrayList<>();

    private PlanGraph() {
    }

    static PlanGraph of(PlanNode root) {
        PlanGraph graph = new PlanGraph();
        graph.add(root, new IdentityHashMap<>());
        return graph;
    }

    private int add(PlanNode plan, Map<PlanNode, Integer> numbered) {
        int index = nodes.size();
        nodes.add(plan);
        inputs.add(null);
        parentEdges.add(0);
        numbered.put(plan, index);
        if (plan instanceof SourceScan) {
            scans.add(index);
        }
        List<PlanNode> planInputs = plan.inputs();
        int[] children = new int[planInputs.size()];
        for (int i = 0; i < children.length; i++) {
            Integer child = numbered.get(planInputs.get(i));
            children[i] = child != null ? child : add(planInputs.get(i), numbered);
            parentEdges.set(children[i], parentEdges.get(children[i]) + 1);
        }
        inputs.set(index, children);
        return index;
    }

    int size() {
        return nodes.size();
    }

    PlanNode node(int index) {
        return nodes.get(index);
    }

    int[] inputs(int index) {
        return inputs.get(index);
    }

    int parentEdges(int index) {
        return parentEdges.get(index);
    }

    /** The indexes of the source scans, in order (the sources' numbers in checkpoints). */
    List<Integer> scans() {
        return scans;
    }
}
