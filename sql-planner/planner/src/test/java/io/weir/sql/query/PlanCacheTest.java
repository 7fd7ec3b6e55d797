package io.weir.sql.query;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class PlanCacheTest {
    @Test
    void keepsTheMostRecentlyUsedPlansUpToItsCapacity() {
        PlanCache<String, String> cache = new PlanCache<>(2);
        AtomicInteger planned = new AtomicInteger();
        cache.get("a", () -> "plan a " + planned.incrementAndGet());
        cache.get("b", () -> "plan b " + planned.incrementAndGet());
        assertThat(cache.get("a", () -> "plan a " + planned.incrementAndGet())).isEqualTo("plan a 1");

        cache.get("c", () -> "plan c " + planned.incrementAndGet());

        assertThat(cache.size()).isEqualTo(2);
        assertThat(cache.cached("b")).isEmpty();
        assertThat(cache.cached("a")).contains("plan a 1");
        assertThat(planned.get()).isEqualTo(3);
    }

    @Test
    void clearForgetsEverythingAndAPlanMadeMeanwhileIsNotKept() {
        PlanCache<String, String> cache = new PlanCache<>(10);
        cache.get("a", () -> "old a");

        String planned = cache.get("b", () -> {
            cache.clear(); // the catalog changed while b was planned
            return "b over the old catalog";
        });

        assertThat(planned).isEqualTo("b over the old catalog");
        assertThat(cache.cached("a")).isEmpty();
        assertThat(cache.cached("b")).isEmpty();
        assertThat(cache.get("b", () -> "b over the new catalog")).isEqualTo("b over the new catalog");
        assertThat(cache.cached("b")).contains("b over the new catalog");
    }
}
