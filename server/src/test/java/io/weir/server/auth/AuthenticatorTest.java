package io.weir.server.auth;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.github.benmanes.caffeine.cache.Ticker;
import io.weir.spi.ErrorCode;
import io.weir.sql.auth.SessionUser;
import io.weir.sql.auth.UserDirectory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class AuthenticatorTest {
    private static final InetSocketAddress FROM = new InetSocketAddress("10.1.2.3", 50000);
    private static final InetSocketAddress OTHER = new InetSocketAddress("10.9.9.9", 50000);

    private final AtomicLong nanos = new AtomicLong();
    private final Ticker ticker = nanos::get;
    private final UserDirectory users = UserDirectory.inMemory();
    private final Authenticator authenticator = new Authenticator(users, new FailedLogins(ticker));
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();

    @BeforeEach
    void setUp() {
        users.create("root", "r00t", true, false);
        users.create("bob", "b0b", false, false);
        ((Logger) LoggerFactory.getLogger(Authenticator.class)).addAppender(log);
        log.start();
    }

    @AfterEach
    void tearDown() {
        ((Logger) LoggerFactory.getLogger(Authenticator.class)).detachAppender(log);
    }

    private Authenticator.Outcome password(String user, String password, InetSocketAddress from) {
        return authenticator.authenticate(new Credentials.Password(user, password), from);
    }

    @Test
    void aWrongPasswordAndAnUnknownUserGetOneAnswerAndOneLogLineEach() {
        Authenticator.Outcome wrong = password("bob", "guess", FROM);
        Authenticator.Outcome unknown = password("nobody", "guess", FROM);

        assertThat(wrong).isInstanceOfSatisfying(Authenticator.Outcome.Failed.class, failed -> {
            assertThat(failed.error().errorCode()).isEqualTo(ErrorCode.AUTHENTICATION_FAILED);
            assertThat(failed.error().errorCode().sqlState()).isEqualTo("28P01");
        });
        String wrongMessage = ((Authenticator.Outcome.Failed) wrong).error().getMessage();
        String unknownMessage = ((Authenticator.Outcome.Failed) unknown).error().getMessage();
        assertThat(unknownMessage.replace("nobody", "X")).isEqualTo(wrongMessage.replace("bob", "X"));

        assertThat(log.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly(
                "Authentication failed for user 'bob' from 10.1.2.3: wrong password (failure 1 from this address)",
                "Authentication failed for user 'nobody' from 10.1.2.3: no such user (failure 2 from this address)");
        assertThat(log.list).allSatisfy(event -> assertThat(event.getFormattedMessage()).doesNotContain("guess"));
    }

    @Test
    void answersAreHeldBackLongerAfterEachFailureFromOneAddress() {
        Duration[] delays = new Duration[8];
        for (int i = 0; i < delays.length; i++) {
            delays[i] = ((Authenticator.Outcome.Failed) password("bob", "guess" + i, FROM)).delay();
        }
        assertThat(delays).containsExactly(Duration.ZERO, Duration.ZERO, Duration.ofMillis(250), Duration.ofMillis(500),
                Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(5));
        assertThat(((Authenticator.Outcome.Failed) password("bob", "guess", OTHER)).delay())
                .as("another address has its own count").isZero();
        assertThat(password("bob", "b0b", FROM)).as("the right password is not held back")
                .isInstanceOf(Authenticator.Outcome.Authenticated.class);

        nanos.addAndGet(FailedLogins.MEMORY.plusSeconds(1).toNanos());
        assertThat(authenticator.failures(FROM)).as("forgotten after a quiet while").isZero();
        assertThat(((Authenticator.Outcome.Failed) password("bob", "guess", FROM)).delay()).isZero();
    }

    @Test
    void aRememberedPasswordStopsWorkingOnceChangedOrDropped() {
        assertThat(password("BOB", "b0b", FROM)).isInstanceOfSatisfying(Authenticator.Outcome.Authenticated.class,
                ok -> assertThat(ok.user()).isEqualTo(SessionUser.of("bob")));
        assertThat(password("bob", "b0b", FROM)).isInstanceOf(Authenticator.Outcome.Authenticated.class);

        users.alter("bob", "n3w", null);
        assertThat(password("bob", "b0b", FROM)).isInstanceOf(Authenticator.Outcome.Failed.class);
        assertThat(password("bob", "n3w", FROM)).isInstanceOf(Authenticator.Outcome.Authenticated.class);

        users.drop("bob", false);
        assertThat(password("bob", "n3w", FROM)).isInstanceOf(Authenticator.Outcome.Failed.class);
    }

    @Test
    void tokensAuthenticateTheirUserUntilDropped() {
        String token = users.createToken("t", "bob");
        Authenticator.Outcome ok = authenticator.authenticate(new Credentials.Bearer(token), FROM);
        assertThat(ok).isInstanceOfSatisfying(Authenticator.Outcome.Authenticated.class,
                authenticated -> assertThat(authenticated.user().name()).isEqualTo("bob"));

        users.dropToken("t", false);
        Authenticator.Outcome revoked = authenticator.authenticate(new Credentials.Bearer(token), FROM);
        assertThat(revoked).isInstanceOfSatisfying(Authenticator.Outcome.Failed.class, failed -> {
            assertThat(failed.bearer()).isTrue();
            assertThat(failed.error().getMessage()).contains("Token authentication failed");
        });
        assertThat(log.list).singleElement().extracting(ILoggingEvent::getFormattedMessage).asString()
                .doesNotContain(token).contains("unknown or dropped token");
    }

    @Test
    void noCredentialsAskForThemAndForgedLogLinesAreDefused() {
        assertThat(authenticator.authenticate(new Credentials.None(), FROM)).isInstanceOf(Authenticator.Outcome.Missing.class);
        assertThat(authenticator.authenticate(new Credentials.Malformed("the Basic credentials are not user:password"), FROM))
                .isInstanceOfSatisfying(Authenticator.Outcome.Failed.class,
                        failed -> assertThat(failed.error().errorCode().sqlState()).isEqualTo("28000"));

        password("bob\nINFO forged line", "x", FROM);
        assertThat(log.list.get(log.list.size() - 1).getFormattedMessage()).contains("'bob?INFO forged line'").doesNotContain("\n");
        assertThat(Authenticator.printable("x".repeat(100))).hasSize(67).endsWith("...");
    }
}
