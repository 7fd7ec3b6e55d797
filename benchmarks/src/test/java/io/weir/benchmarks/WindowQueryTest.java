package io.weir.benchmarks;

import io.weir.engine.plan.WindowAggregate;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The benchmark's plans and open-state counts (the measurements themselves are run by hand). */
class WindowQueryTest {
    @Test
    void everyQueryPlansACountPerKeyAndWindow() {
        for (WindowQuery query : WindowQuery.values()) {
            WindowAggregate plan = (WindowAggregate) query.plan("data");
            assertThat(plan.outputType()).extracting(field -> field.name().toLowerCase())
                    .containsExactly(query == WindowQuery.TUMBLE_PER_AUCTION || query == WindowQuery.HOP_PER_AUCTION ? "auction" : "bidder",
                            "window_start", "window_end", "cnt");
            assertThat(plan.explain()).contains(query == WindowQuery.SESSION_PER_BIDDER ? "SESSION" : query.name().contains("HOP") ? "HOP" : "TUMBLE");
        }
    }

    @Test
    void openStatesWhenAllBidsFallInTheLastWindows() {
        // 1,000 bids at 1,000 events/s span about a second from a 10 s boundary: every window is still open.
        BidData data = BidData.generate(1_000, 1_000, 1);
        assertThat(data.time(0) / 10_000).isEqualTo(data.maxTime() / 10_000);
        assertThat(data.maxTime() - data.time(0)).isLessThan(2_000);
        Set<Long> auctions = new HashSet<>();
        Set<Long> bidders = new HashSet<>();
        for (int i = 0; i < data.size(); i++) {
            auctions.add(data.auction(i));
            bidders.add(data.bidder(i));
        }
        assertThat(WindowQuery.TUMBLE_PER_AUCTION.openStates(data)).isEqualTo(auctions.size());
        assertThat(WindowQuery.SESSION_PER_BIDDER.openStates(data)).isEqualTo(bidders.size());
        assertThat(WindowQuery.PROCTIME_TUMBLE_PER_BIDDER.openStates(data)).isEqualTo(bidders.size());
        // Each bid is in five 10 s windows sliding by 2 s; the ones before the last 2 s boundary see every auction.
        assertThat(WindowQuery.HOP_PER_AUCTION.openStates(data)).isBetween(4L * auctions.size(), 5L * auctions.size());
    }
}
