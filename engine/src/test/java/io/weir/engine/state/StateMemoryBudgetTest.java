package io.weir.engine.state;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class StateMemoryBudgetTest {
    private static final long MIB = 1 << 20;

    @Test
    void theQueryPastItsShareFailsWhenTogetherTheyPassTheBudget() {
        StateMemoryBudget budget = new StateMemoryBudget(100 * MIB);
        StateMemoryBudget.Account small = budget.account("small");
        StateMemoryBudget.Account big = budget.account("big");
        small.update(10 * MIB);
        big.update(80 * MIB); // 90 MiB together: within the budget, although over an equal share
        WeirException error = catchThrowableOfType(WeirException.class, () -> big.update(95 * MIB));
        assertThat(error.errorCode()).isEqualTo(ErrorCode.STATE_LIMIT_EXCEEDED);
        assertThat(error.errorCode().sqlState()).isEqualTo("53200");
        assertThat(error.getMessage()).contains("Query big holds about 95.0 MiB").contains("state.max-memory (100.0 MiB");
        // the other query keeps running, and the failed one no longer counts
        small.update(20 * MIB);
    }

    @Test
    void aSmallQueryDoesNotFailBecauseABigOneFillsTheBudget() {
        StateMemoryBudget budget = new StateMemoryBudget(100 * MIB);
        StateMemoryBudget.Account small = budget.account("small");
        StateMemoryBudget.Account big = budget.account("big");
        big.update(99 * MIB);
        small.update(2 * MIB); // together past the budget, but small holds less than its share
        assertThatThrownBy(() -> big.update(99 * MIB)).isInstanceOf(WeirException.class).hasMessageContaining("Query big");
    }

    @Test
    void aClosedAccountFreesItsShare() {
        StateMemoryBudget budget = new StateMemoryBudget(100 * MIB);
        StateMemoryBudget.Account first = budget.account("first");
        first.update(90 * MIB);
        first.close();
        budget.account("second").update(95 * MIB);
    }

    @Test
    void errorCodesKeepTheirVendorCodes() {
        assertThat(ErrorCode.SYNTAX_ERROR.vendorCode()).isEqualTo(1000);
        assertThat(ErrorCode.INTERNAL_ERROR.vendorCode()).isEqualTo(1023);
        assertThat(ErrorCode.STATE_LIMIT_EXCEEDED.vendorCode()).isEqualTo(1024);
        assertThat(java.util.Arrays.stream(ErrorCode.values()).map(ErrorCode::vendorCode).distinct().count())
                .isEqualTo(ErrorCode.values().length);
    }
}
