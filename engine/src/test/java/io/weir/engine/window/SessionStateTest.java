package io.weir.engine.window;

import io.weir.engine.operator.Watermark;
import io.weir.engine.plan.WindowAggregate;
import io.weir.engine.plan.WindowSpec;
import io.weir.spi.batch.Batch;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.weir.engine.testing.TestPlans.KV_TS;
import static io.weir.engine.testing.TestPlans.aggregate;
import static io.weir.engine.testing.TestPlans.countStar;
import static io.weir.engine.testing.TestPlans.row;
import static io.weir.engine.testing.TestPlans.stream;
import static org.assertj.core.api.Assertions.assertThat;

/** Fired sessions free their slots, and keys left without sessions leave the key table. */
class SessionStateTest {
    @Test
    void firedSessionsAndTheirKeysAreFreed() {
        WindowAggregate plan = aggregate(stream("unused", 0), WindowSpec.session(2, true, 10), List.of(0), List.of(countStar()));
        SessionWindowAggregateOperator operator = (SessionWindowAggregateOperator) WindowAggregationBase.create(plan);
        List<Object[]> rows = new ArrayList<>();
        for (long key = 0; key < 3000; key++) {
            rows.add(row(key, 1L, key % 5));
        }
        rows.add(row(-1L, 1L, 1000L));
        operator.addInput(Batch.of(KV_TS, rows));
        assertThat(operator.openSessions()).isEqualTo(3001);
        assertThat(operator.keyTableSize()).isEqualTo(3001);

        operator.processWatermark(0, Watermark.active(100));
        int fired = 0;
        Batch batch;
        while ((batch = operator.getOutput()) != null) {
            fired += batch.rowCount();
        }
        assertThat(fired).isEqualTo(3000);
        assertThat(operator.openSessions()).isEqualTo(1);
        assertThat(operator.keyTableSize()).isEqualTo(1);
        assertThat(operator.openGroups()).isEqualTo(1);
    }
}
