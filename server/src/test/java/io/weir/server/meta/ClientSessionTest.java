package io.weir.server.meta;

import io.weir.sql.auth.SessionUser;
import io.weir.sql.session.SessionProperties;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A session whose statement plans or runs longer than the idle timeout is not idle (the sweep once cancelled such a statement). */
class ClientSessionTest {
    @Test
    void aSessionIsNotIdleWhileAStatementOfItIsAtWork() {
        ClientSession session = new ClientSession("c1", new SessionProperties(Map.of()), SessionUser.ANONYMOUS, new byte[0]);
        session.beginWork();
        long started = System.nanoTime();
        await().atMost(Duration.ofSeconds(5)).until(() -> System.nanoTime() - started > Duration.ofMillis(20).toNanos());
        assertThat(session.idleNanos()).isZero();

        session.endWork();
        await().atMost(Duration.ofSeconds(5)).until(() -> session.idleNanos() > 0);
        long ended = System.nanoTime();
        await().atMost(Duration.ofSeconds(5)).until(() -> System.nanoTime() - ended > Duration.ofMillis(20).toNanos());
        assertThat(session.idleNanos()).isGreaterThanOrEqualTo(Duration.ofMillis(20).toNanos());
    }
}
