package io.weir.sql.statement;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.connector.memory.InMemoryData;
import io.weir.sql.auth.SessionUser;
import io.weir.sql.catalog.Catalog;
import io.weir.sql.catalog.CatalogStore;
import io.weir.sql.schema.PlannerFrameworks;
import io.weir.sql.session.SessionProperties;
import org.apache.calcite.adapter.enumerable.EnumerableConvention;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.tools.FrameworkConfig;
import org.apache.calcite.tools.Frameworks;
import org.apache.calcite.tools.Planner;
import org.apache.calcite.util.CancelFlag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Planning and bounded execution stop once their statement is cancelled, failing with the cancellation's error. */
class StatementCancelTest {
    private static final WeirException TIMED_OUT = new WeirException(ErrorCode.STATEMENT_TIMEOUT, "ran too long");

    @TempDir
    Path dataDir;

    private StatementExecutor executor;
    private final SessionProperties session = new SessionProperties(Map.of());

    @BeforeEach
    void setUp() {
        executor = new StatementExecutor(Catalog.open(new CatalogStore(dataDir.resolve("catalog"))), dataDir);
        InMemoryData.register("cancel-test", List.of(new Object[] {1L}, new Object[] {2L}, new Object[] {3L}), true);
        executor.execute(session, "CREATE TABLE numbers (n BIGINT) WITH ('connector' = 'memory', 'data' = 'cancel-test')");
    }

    @AfterEach
    void tearDown() {
        InMemoryData.unregister("cancel-test");
    }

    @Test
    void aCancelledStatementIsNotPlannedAndFailsWithTheReason() {
        StatementCancel cancel = new StatementCancel();
        cancel.cancel(TIMED_OUT);

        assertThatThrownBy(() -> executor.prepare(session, "SELECT n FROM numbers", cancel))
                .isInstanceOfSatisfying(WeirException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.STATEMENT_TIMEOUT);
                    assertThat(e.getMessage()).isEqualTo("ran too long");
                });
        PreparedPlan plan = executor.prepare(session, "SELECT n FROM numbers");
        assertThatThrownBy(() -> executor.execute(session, SessionUser.ANONYMOUS, plan, cancel))
                .isInstanceOfSatisfying(WeirException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.STATEMENT_TIMEOUT));
    }

    @Test
    void aBoundedQueryStopsAtTheNextRowOnceCancelled() {
        StatementCancel cancel = new StatementCancel();
        PreparedPlan plan = executor.prepare(session, "SELECT n FROM numbers", cancel);
        StatementResult.Rows result = (StatementResult.Rows) executor.execute(session, SessionUser.ANONYMOUS, plan, cancel);
        Iterator<Object[]> rows = result.rows();
        assertThat(rows.next()).containsExactly(1L);

        cancel.cancel(TIMED_OUT);

        assertThatThrownBy(rows::hasNext)
                .isInstanceOfSatisfying(WeirException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.STATEMENT_TIMEOUT));
    }

    @Test
    void calcitesVolcanoPlannerSeesTheCancelOfTheStatementBeingPlanned() throws Exception {
        StatementCancel cancel = new StatementCancel();
        try (StatementCancel.Scope ignored = cancel.bind()) {
            FrameworkConfig config = PlannerFrameworks.config(Frameworks.createRootSchema(true));
            assertThat(config.getContext().maybeUnwrap(CancelFlag.class)).hasValueSatisfying(flag ->
                    assertThat(flag.atomicBoolean).isSameAs(cancel.flag()));
            Planner planner = Frameworks.getPlanner(config);
            RelNode logical = planner.rel(planner.validate(planner.parse("SELECT 1 + 1"))).project();

            cancel.cancel(TIMED_OUT);

            assertThatThrownBy(() -> planner.transform(0, logical.getTraitSet().replace(EnumerableConvention.INSTANCE), logical))
                    .satisfies(failure -> assertThat(SqlErrors.translate(failure).errorCode()).isEqualTo(ErrorCode.STATEMENT_TIMEOUT));
        }
        assertThat(StatementCancel.current()).isEmpty();
    }

    @Test
    void theFirstReasonWins() {
        StatementCancel cancel = new StatementCancel();
        assertThat(cancel.isCancelled()).isFalse();
        cancel.check();

        cancel.cancel(TIMED_OUT);
        cancel.cancel(StatementCancel.cancelled("its connection was closed"));

        assertThat(cancel.failure().errorCode()).isEqualTo(ErrorCode.STATEMENT_TIMEOUT);
        assertThat(StatementCancel.cancelled("its connection was closed").getMessage())
                .isEqualTo("The statement was cancelled: its connection was closed");
    }
}
