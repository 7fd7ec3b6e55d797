package io.weir.engine.exec;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * Identifies a query's operator tree, so that a checkpoint is restored only into the plan it was taken
 * of: the SHA-256 of each node's EXPLAIN line and output columns, in build order.
 */
final class PlanFingerprint {
    private PlanFingerprint() {
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
