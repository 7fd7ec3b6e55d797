package io.weir.engine.exec;

import io.weir.engine.plan.PlanNode;
import io.weir.engine.plan.SourceScan;
import io.weir.spi.type.Projection;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Identifies a query's operator DAG, so that a checkpoint is restored only into the plan it was taken
 * of: the SHA-256 of each node's EXPLAIN line and output columns, in the order {@link QueryRunner}
 * numbers the nodes (depth first, each node once), and for each further parent of a shared node a
 * line naming the edge. A tree has no such lines: its fingerprint is what it was before plans could
 * share nodes.
 */
final class PlanFingerprint {
    private PlanFingerprint() {
    }

    static String of(PlanNode plan) {
        List<String> lines = new ArrayList<>();
        describe(plan, new IdentityHashMap<>(), lines);
        return of(lines);
    }

    private static int describe(PlanNode plan, Map<PlanNode, Integer> numbered, List<String> lines) {
        int number = numbered.size();
        numbered.put(plan, number);
        // A scan's projection changes no state, so it is left out: a checkpoint is restored whatever columns are read.
        PlanNode described = plan instanceof SourceScan scan ? new SourceScan(scan.spec().withProjection(Projection.all())) : plan;
        lines.add(described.explain() + " -> " + plan.outputType());
        List<PlanNode> inputs = plan.inputs();
        for (int i = 0; i < inputs.size(); i++) {
            Integer input = numbered.get(inputs.get(i));
            if (input == null) {
                describe(inputs.get(i), numbered, lines);
            } else {
                lines.add("Reused(node=" + input + ") as input " + i + " of node " + number);
            }
        }
        return number;
    }

    static String of(List<String> nodes) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (String node : nodes) {
                digest.update(node.getBytes(StandardCharsets.UTF_8));
                digest.update((byte) '\n');
            }
            return HexFormat.of().formatHex(digest.digest(), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
