package io.weir.engine.changelog;

import io.weir.engine.expression.EvaluationContext;
import io.weir.engine.operator.Watermark;
import io.weir.engine.plan.Changelog;
import io.weir.engine.plan.PlanNode;
import io.weir.engine.plan.SourceScan;
import io.weir.engine.plan.SourceSpec;
import io.weir.spi.batch.Batch;
import io.weir.spi.batch.BatchBuilder;
import io.weir.spi.connector.ObjectKind;
import io.weir.spi.type.DataType;
import io.weir.spi.type.TypeKind;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.weir.engine.testing.TestPlans.show;
import static org.assertj.core.api.Assertions.assertThat;

/** The changes a group's successive rows make: INSERT, UPDATE_BEFORE/AFTER, nothing when equal, DELETE when not kept. */
class ChangelogOperatorTest {
    private static final List<DataType.Field> ROWS = List.of(
            new DataType.Field("k", DataType.varchar()),
            new DataType.Field("n", DataType.of(TypeKind.BIGINT)),
            new DataType.Field("$keep", DataType.of(TypeKind.BOOLEAN)));

    private final ChangelogOperator changes = new ChangelogOperator(new Changelog(input(), List.of(0), true,
            Changelog.outputType(ROWS, true)));

    private static PlanNode input() {
        return new SourceScan(new SourceSpec("rows", ObjectKind.STREAM, Map.of("connector", "memory", "data", "rows"), ROWS,
                -1, Duration.ZERO, Optional.empty()));
    }

    private List<String> batch(long now, Object[]... rows) {
        changes.startBatch(new EvaluationContext(now, Long.MIN_VALUE));
        BatchBuilder in = new BatchBuilder(ROWS, 4);
        for (Object[] row : rows) {
            for (int c = 0; c < row.length; c++) {
                in.set(c, row[c]);
            }
            in.commitRow();
        }
        changes.addInput(in.build());
        changes.processWatermark(0, Watermark.INITIAL);
        List<Object[]> out = new ArrayList<>();
        for (Batch batch = changes.getOutput(); batch != null; batch = changes.getOutput()) {
            out.addAll(batch.rows());
        }
        return show(out);
    }

    @Test
    void eachGroupsRowsBecomeItsChanges() {
        assertThat(batch(0, new Object[] {"a", 1L, true}, new Object[] {"b", 1L, true}))
                .containsExactly("[INSERT, a, 1]", "[INSERT, b, 1]");
        assertThat(batch(1, new Object[] {"a", 2L, true}, new Object[] {"b", 1L, true}))
                .as("b is unchanged").containsExactly("[UPDATE_BEFORE, a, 1]", "[UPDATE_AFTER, a, 2]");
        assertThat(batch(2, new Object[] {"a", 3L, false}, new Object[] {"c", 1L, false}))
                .as("a is no longer kept; c never was").containsExactly("[DELETE, a, 2]");
        assertThat(batch(3, new Object[] {"a", 4L, true})).containsExactly("[INSERT, a, 4]");
        assertThat(changes.groups()).isEqualTo(2);
    }

    @Test
    void groupsNotUpdatedForTheTtlAreForgotten() {
        changes.expireAfter(Duration.ofMillis(1_000));
        batch(0, new Object[] {"a", 1L, true}, new Object[] {"b", 1L, true});
        batch(600, new Object[] {"a", 2L, true});
        assertThat(batch(1_200, new Object[] {"a", 3L, true})).hasSize(2);
        assertThat(changes.groups()).as("b expired").isEqualTo(1);
        assertThat(batch(1_300, new Object[] {"b", 1L, true})).containsExactly("[INSERT, b, 1]");
    }
}
