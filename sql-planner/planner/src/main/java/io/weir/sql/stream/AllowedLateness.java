package io.weir.sql.stream;

import io.weir.engine.plan.Calc;
import io.weir.engine.plan.PlanInputs;
import io.weir.engine.plan.PlanNode;
import io.weir.engine.plan.WindowAggregate;
import io.weir.engine.plan.WindowKind;
import io.weir.spi.WeirException;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * Gives a query's outermost window aggregation its allowed lateness ({@code 'allowed-lateness'}): its fired
 * windows are kept that long for late rows, whose corrected rows it sends again. Only the outermost one:
 * the operators above an inner aggregation take each window's row once. Windows over processing time take
 * none (their rows are never late); sessions and windows of windows are refused.
 */
final class AllowedLateness {
    private AllowedLateness() {
    }

    /** The lateness of a session's {@code 'allowed-lateness'} in milliseconds; 0 for none. */
    static long millis(Duration lateness) {
        return lateness == null || lateness.isNegative() ? 0 : lateness.toMillis();
    }

    /**
     * Whether {@code node}'s outermost window aggregation (under Calcs) keeps fired windows with {@code millis}:
     * an event-time one. Refuses one that cannot.
     */
    static boolean applies(PlanNode node, long millis, Function<String, WeirException> reject) {
        if (millis <= 0) {
            return false;
        }
        while (node instanceof Calc calc) {
            node = calc.input();
        }
        if (!(node instanceof WindowAggregate window) || !window.window().eventTime()) {
            return false;
        }
        if (window.window().kind() == WindowKind.SESSION) {
            throw reject.apply("'allowed-lateness' applies to TUMBLE, HOP and CUMULATE windows; a session's bounds move as"
                    + " late rows come, so a closed session cannot be corrected. SET 'allowed-lateness' = '0 s' for this query");
        }
        if (window.window().kind() == WindowKind.WINDOWED) {
            throw reject.apply("'allowed-lateness' applies to a GROUP BY of TUMBLE, HOP or CUMULATE windows, not to a second"
                    + " aggregation of windowed results, which takes each window once. SET 'allowed-lateness' = '0 s' for this query");
        }
        return true;
    }

    /** {@code node} with its outermost window aggregation keeping fired windows for {@code millis}, if {@link #applies}. */
    static PlanNode apply(PlanNode node, long millis, Function<String, WeirException> reject) {
        return applies(node, millis, reject) ? rebuild(node, millis) : node;
    }

    private static PlanNode rebuild(PlanNode node, long millis) {
        if (node instanceof Calc calc) {
            return PlanInputs.replace(calc, List.of(rebuild(calc.input(), millis)));
        }
        return ((WindowAggregate) node).withAllowedLateness(millis);
    }
}
