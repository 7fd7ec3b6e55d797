package io.weir.engine.plan;

import java.util.List;

/** Helpers for the EXPLAIN lines of joins. */
final class JoinKeys {
    private JoinKeys() {
    }

    static List<String> describe(PlanNode node, List<Integer> keys) {
        return keys.stream().map(k -> node.outputType().get(k).name()).toList();
    }
}
