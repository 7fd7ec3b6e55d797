package io.weir.spi.connector;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.wal.WalSettings;
import io.weir.spi.wal.WalSync;
import io.weir.spi.wal.WriteAheadLog;
import io.weir.spi.wal.feed.LogFeed;
import io.weir.spi.wal.feed.LogFeeds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A server's {@link ConnectorServices}: its own logs, feeds and channels, closed with it. */
class ConnectorServicesTest {
    private static final WalSettings WAL = WalSettings.of(WalSync.ALWAYS, Duration.ofHours(1), 1 << 20, 1 << 16);
    private static final InstantSource CLOCK = InstantSource.system();

    @TempDir
    Path dir;

    @Test
    void aDirectoryHasOneOpenLog() {
        try (ConnectorServices services = new ConnectorServices()) {
            WriteAheadLog log = services.writeAheadLogs().open(dir.resolve("a"), "Stream 'a'", WAL, CLOCK);
            assertThat(services.writeAheadLogs().open(dir.resolve("x/../a"), "Stream 'a'", WAL, CLOCK)).isSameAs(log);
            services.writeAheadLogs().close(dir.resolve("a"));
            assertThat(services.writeAheadLogs().open(dir.resolve("a"), "Stream 'a'", WAL, CLOCK)).isNotSameAs(log);
        }
    }

    @Test
    void closingTheServicesClosesTheLogsAndRefusesNewOnes() {
        ConnectorServices services = new ConnectorServices();
        WriteAheadLog log = services.writeAheadLogs().open(dir, "Stream 'a'", WAL, CLOCK);
        log.append(List.of("one".getBytes(StandardCharsets.UTF_8)));
        services.close();

        assertThatThrownBy(() -> log.append(List.of("two".getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(WeirException.class);
        assertThatThrownBy(() -> services.writeAheadLogs().open(dir, "Stream 'a'", WAL, CLOCK))
                .isInstanceOf(WeirException.class)
                .satisfies(e -> assertThat(((WeirException) e).errorCode()).isEqualTo(ErrorCode.SOURCE_ERROR))
                .hasMessageContaining("Stream 'a'").hasMessageContaining("shutting down");
        // What was written is on disk for the next server.
        try (ConnectorServices next = new ConnectorServices()) {
            assertThat(next.writeAheadLogs().open(dir, "Stream 'a'", WAL, CLOCK).endOffset()).isEqualTo(1);
        }
    }

    @Test
    void aFeedIsSharedByItsLeasesAndClosedByTheLastOrByTheServices() {
        AtomicInteger created = new AtomicInteger();
        AtomicInteger closed = new AtomicInteger();
        try (ConnectorServices services = new ConnectorServices()) {
            LogFeeds feeds = services.logFeeds();
            LogFeeds.Lease first = feeds.acquire(dir.resolve("s"), "Stream 's'", WAL, CLOCK, log -> feed(created, closed));
            LogFeeds.Lease second = feeds.acquire(dir.resolve("s"), "Stream 's'", WAL, CLOCK, log -> feed(created, closed));
            assertThat(second.feed()).isSameAs(first.feed());
            assertThat(second.log()).isSameAs(first.log());
            first.close();
            assertThat(closed).hasValue(0);
            second.close();
            assertThat(closed).hasValue(1);

            LogFeeds.Lease held = feeds.acquire(dir.resolve("s"), "Stream 's'", WAL, CLOCK, log -> feed(created, closed));
            assertThat(created).hasValue(2);
            services.close();
            assertThat(closed).hasValue(2);
            held.close(); // after the services closed: releases nothing
            assertThat(closed).hasValue(2);
        }
    }

    @Test
    void serverServicesAreFoundByType() {
        StringBuilder own = new StringBuilder("views");
        try (ConnectorServices services = new ConnectorServices(own)) {
            assertThat(services.find(StringBuilder.class)).containsSame(own);
            assertThat(services.find(CharSequence.class)).containsSame(own);
            assertThat(services.find(Integer.class)).isEmpty();
        }
        try (ConnectorServices none = new ConnectorServices()) {
            assertThat(none.find(StringBuilder.class)).isEqualTo(Optional.empty());
        }
    }

    private static LogFeed feed(AtomicInteger created, AtomicInteger closed) {
        created.incrementAndGet();
        return new LogFeed() {
            private boolean done;

            @Override
            public void start() {
            }

            @Override
            public Optional<Throwable> failure() {
                return Optional.empty();
            }

            @Override
            public synchronized void close() {
                if (!done) {
                    done = true;
                    closed.incrementAndGet();
                }
            }
        };
    }
}
