package io.weir.engine.exec;

import io.weir.engine.checkpoint.CheckpointConfig;
import io.weir.engine.plan.PlanNode;
import io.weir.engine.plan.SharedSubPlans;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Optional;

/**
 * The plan a query that checkpoints runs, and the fingerprint its checkpoints hold, the same for its
 * runner at every parallelism ({@link QueryRunner}, {@link io.weir.engine.parallel.ParallelQueryRunner}):
 * both number the plan's operators and sources in the same order, so a checkpoint taken at one
 * parallelism restores at another.
 */
public final class CheckpointedPlan {
    private static final Logger LOG = LoggerFactory.getLogger(CheckpointedPlan.class);

    private CheckpointedPlan() {
    }

    /**
     * The plan to run: {@code plan}, or, when the query's newest checkpoint is of the same plan with its
     * shared sub-plans computed separately (taken by a Weir from before they were shared), that tree,
     * so that the query continues from its state; it shares them once it is started anew.
     */
    public static PlanNode toRun(PlanNode plan, CheckpointConfig config) {
        PlanNode tree = SharedSubPlans.unshare(plan);
        if (tree == plan) {
            return plan;
        }
        Optional<String> newest;
        try {
            newest = config.storage().newestPlanFingerprint();
        } catch (IOException e) {
            return plan; // restoring reports the directory that cannot be read
        }
        String treeFingerprint = PlanFingerprint.of(tree);
        if (newest.isPresent() && newest.get().equals(treeFingerprint) && !treeFingerprint.equals(PlanFingerprint.of(plan))) {
            LOG.info("Query {}: its checkpoint was taken of its plan with the shared sub-plans computed separately (by an"
                    + " earlier Weir); it continues from it with that plan, and shares them when it is started anew",
                    config.queryId());
            return tree;
        }
        return plan;
    }

    /** Identifies the operator tree of {@code plan}; a checkpoint of another tree is not restored. */
    public static String fingerprint(PlanNode plan) {
        return PlanFingerprint.of(plan);
    }
}
