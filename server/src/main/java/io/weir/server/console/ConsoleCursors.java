package io.weir.server.console;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.Scheduler;
import io.weir.server.meta.ResultCursor;
import io.weir.sql.auth.SessionUser;
import io.weir.sql.statement.ResultColumn;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The continuous queries the web console reads, by cursor id: a random id that only the page that started
 * the query knows, taken only by the user who started it. A cursor is closed (and its query stopped) when
 * the page closes it, when it has not been read for {@link #IDLE} (the page went away without saying so;
 * the query's own 'query.client-timeout' stops it too), or when more than {@link #MAX_CURSORS} are open
 * (the least recently read first). One per server; thread-safe.
 */
final class ConsoleCursors {
    static final Duration IDLE = Duration.ofSeconds(30);
    static final int MAX_CURSORS = 1_000;

    private final SecureRandom random = new SecureRandom();
    private final Cache<String, OpenCursor> cursors;

    ConsoleCursors() {
        this(IDLE);
    }

    ConsoleCursors(Duration idle) {
        this.cursors = Caffeine.newBuilder()
                .expireAfterAccess(requireNonNull(idle, "idle is null"))
                .maximumSize(MAX_CURSORS)
                .scheduler(Scheduler.systemScheduler()) // expire on time, not only at the next request
                .removalListener((String id, OpenCursor cursor, RemovalCause cause) -> {
                    if (cursor != null) {
                        cursor.cursor().close();
                    }
                })
                .build();
    }

    /** A continuous query's open result, with who may read it. */
    record OpenCursor(String id, SessionUser owner, List<ResultColumn> columns, ResultCursor cursor) {
        OpenCursor {
            requireNonNull(id, "id is null");
            requireNonNull(owner, "owner is null");
            columns = List.copyOf(columns);
            requireNonNull(cursor, "cursor is null");
        }
    }

    /** Registers {@code cursor} of {@code owner}; returns it with its new id. */
    OpenCursor open(SessionUser owner, List<ResultColumn> columns, ResultCursor cursor) {
        byte[] bytes = new byte[18];
        random.nextBytes(bytes);
        OpenCursor open = new OpenCursor(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes), owner, columns, cursor);
        cursors.put(open.id(), open);
        return open;
    }

    /** The cursor {@code id} if {@code user} started it. */
    Optional<OpenCursor> get(String id, SessionUser user) {
        OpenCursor open = cursors.getIfPresent(id);
        return open != null && open.owner().equals(user) ? Optional.of(open) : Optional.empty();
    }

    /** Closes the cursor {@code id} (stopping its query) if {@code user} started it; returns whether there was one. */
    boolean close(String id, SessionUser user) {
        Optional<OpenCursor> open = get(id, user);
        open.ifPresent(cursor -> cursors.asMap().remove(id, cursor)); // the removal listener closes it
        return open.isPresent();
    }

    /** Cursors open now, for tests. */
    long size() {
        cursors.cleanUp();
        return cursors.estimatedSize();
    }
}
