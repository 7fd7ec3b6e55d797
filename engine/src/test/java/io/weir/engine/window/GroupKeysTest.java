package io.weir.engine.window;

import io.weir.engine.exec.QueryRunner;
import io.weir.engine.plan.WindowAggregate;
import io.weir.engine.plan.WindowSpec;
import io.weir.engine.testing.ManualClock;
import io.weir.spi.connector.memory.InMemoryData;
import io.weir.spi.type.DataType;
import io.weir.spi.type.TypeKind;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static io.weir.engine.testing.TestPlans.aggregate;
import static io.weir.engine.testing.TestPlans.countStar;
import static io.weir.engine.testing.TestPlans.row;
import static io.weir.engine.testing.TestPlans.runner;
import static io.weir.engine.testing.TestPlans.show;
import static io.weir.engine.testing.TestPlans.stream;
import static org.assertj.core.api.Assertions.assertThat;

/** Keys other than one integer column: strings, several columns, NULLs, no key at all. */
class GroupKeysTest {
    private static final List<DataType.Field> SCHEMA = List.of(
            new DataType.Field("name", DataType.varchar()),
            new DataType.Field("n", DataType.of(TypeKind.INTEGER)),
            new DataType.Field("ts", DataType.timestamp(3)));

    private List<String> run(List<Integer> keys, WindowSpec window, List<Object[]> rows) {
        String data = "keys-" + System.nanoTime();
        InMemoryData.register(data, rows, true);
        WindowAggregate plan = aggregate(stream(data, SCHEMA, 2, 0, Optional.empty()), window, keys, List.of(countStar()));
        List<Object[]> out = new ArrayList<>();
        try (QueryRunner runner = runner(plan, new ManualClock(0), out)) {
            runner.runBatch();
            assertThat(runner.isFinished()).isTrue();
        } finally {
            InMemoryData.unregister(data);
        }
        return show(out);
    }

    private static final List<Object[]> ROWS = List.of(
            row("b", 1, 1), row("a", 2, 2), row("b", 1, 3), row(null, 1, 4), row("a", null, 5), row("a", 2, 6), row("b", 2, 15));

    @Test
    void compositeKeysWithNullsGroupAndSortNullsFirst() {
        assertThat(run(List.of(0, 1), WindowSpec.tumble(2, true, 10), ROWS)).containsExactly(
                "[null, 1, 0, 10, 1]", "[a, null, 0, 10, 1]", "[a, 2, 0, 10, 2]", "[b, 1, 0, 10, 2]", "[b, 2, 10, 20, 1]");
    }

    @Test
    void stringKeys() {
        assertThat(run(List.of(0), WindowSpec.tumble(2, true, 10), ROWS)).containsExactly(
                "[null, 0, 10, 1]", "[a, 0, 10, 3]", "[b, 0, 10, 2]", "[b, 10, 20, 1]");
    }

    @Test
    void integerKeyWithNull() {
        assertThat(run(List.of(1), WindowSpec.tumble(2, true, 10), ROWS)).containsExactly(
                "[null, 0, 10, 1]", "[1, 0, 10, 3]", "[2, 0, 10, 2]", "[2, 10, 20, 1]");
    }

    @Test
    void noKeyAggregatesTheWholeWindow() {
        assertThat(run(List.of(), WindowSpec.tumble(2, true, 10), ROWS)).containsExactly("[0, 10, 6]", "[10, 20, 1]");
    }

    @Test
    void sessionsPerStringKey() {
        // gap 3: a: 2, 5, 6 -> [2, 9); b: 1, 3 -> [1, 6), 15 -> [15, 18); null: 4 -> [4, 7)
        assertThat(run(List.of(0), WindowSpec.session(2, true, 3), ROWS)).containsExactly(
                "[b, 1, 6, 2]", "[null, 4, 7, 1]", "[a, 2, 9, 3]", "[b, 15, 18, 1]");
    }
}
