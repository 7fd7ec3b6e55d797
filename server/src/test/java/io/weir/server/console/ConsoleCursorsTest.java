package io.weir.server.console;

import io.weir.server.meta.ResultCursor;
import io.weir.sql.auth.SessionUser;
import org.apache.calcite.avatica.Meta;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The console's open query results: ids that cannot be guessed, one user's alone, closed when closed or abandoned. */
class ConsoleCursorsTest {
    private static final class CountingCursor implements ResultCursor {
        final AtomicInteger closes = new AtomicInteger();

        @Override
        public CompletableFuture<Meta.Frame> fetch(long offset, int maxRowCount, Duration maxWait) {
            return CompletableFuture.completedFuture(new Meta.Frame(offset, false, List.of()));
        }

        @Override
        public void close() {
            closes.incrementAndGet();
        }
    }

    @Test
    void aCursorIsItsOwnersAndClosingItClosesTheResult() {
        ConsoleCursors cursors = new ConsoleCursors();
        CountingCursor result = new CountingCursor();
        ConsoleCursors.OpenCursor open = cursors.open(SessionUser.of("alice"), List.of(), result);
        assertThat(open.id()).matches("[A-Za-z0-9_-]{24}");
        assertThat(cursors.open(SessionUser.of("alice"), List.of(), new CountingCursor()).id()).isNotEqualTo(open.id());

        assertThat(cursors.get(open.id(), SessionUser.of("bob"))).isEmpty();
        assertThat(cursors.close(open.id(), SessionUser.of("bob"))).isFalse();
        assertThat(cursors.get(open.id(), SessionUser.of("alice"))).contains(open);

        assertThat(cursors.close(open.id(), SessionUser.of("alice"))).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> result.closes.get() == 1);
        assertThat(cursors.get(open.id(), SessionUser.of("alice"))).isEmpty();
        assertThat(cursors.close(open.id(), SessionUser.of("alice"))).isFalse();
    }

    @Test
    void aCursorNotReadForItsIdleTimeIsClosed() {
        ConsoleCursors cursors = new ConsoleCursors(Duration.ofMillis(300));
        CountingCursor abandoned = new CountingCursor();
        cursors.open(SessionUser.ANONYMOUS, List.of(), abandoned);
        await().atMost(Duration.ofSeconds(10)).until(() -> abandoned.closes.get() == 1);
        assertThat(cursors.size()).isZero();
    }
}
