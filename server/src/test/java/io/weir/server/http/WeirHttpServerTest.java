package io.weir.server.http;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.weir.server.config.ServerConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class WeirHttpServerTest {
    private final List<WeirHttpServer> servers = new ArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void stop() {
        release.countDown();
        servers.forEach(WeirHttpServer::close);
    }

    private WeirHttpServer start(Consumer<ServerConfig.Builder> settings) throws IOException {
        ServerConfig.Builder config = ServerConfig.builder().port(0).pgPort(0).requestThreads(4)
                .shutdownTimeout(Duration.ofSeconds(5));
        settings.accept(config);
        HttpRouter router = HttpRouter.builder()
                .exact(HttpMethod.POST, "/echo", call -> HttpReply.text(HttpResponseStatus.OK, call.bodyAsString()))
                .exact(HttpMethod.POST, "/slow", call -> {
                    Thread.sleep(Long.parseLong(call.bodyAsString()));
                    return HttpReply.text(HttpResponseStatus.OK, "slept " + call.bodyAsString());
                })
                .exact(HttpMethod.POST, "/block", call -> {
                    release.await();
                    return HttpReply.text(HttpResponseStatus.OK, "released");
                })
                .exact(HttpMethod.POST, "/fail", call -> {
                    throw new IllegalStateException("kaput");
                })
                .exact(HttpMethod.GET, "/health", new HealthEndpoint())
                .exact(HttpMethod.POST, "/held-back", call -> HttpReply.text(HttpResponseStatus.UNAUTHORIZED, "no")
                        .delayedBy(Duration.ofMillis(Long.parseLong(call.bodyAsString()))))
                .build();
        WeirHttpServer server = new WeirHttpServer(config.build(), router);
        servers.add(server);
        server.start();
        return server;
    }

    private WeirHttpServer start() throws IOException {
        return start(config -> { });
    }

    @Test
    void answersWithStatusContentTypeAndLength() throws IOException {
        WeirHttpServer server = start();
        try (RawHttpConnection connection = new RawHttpConnection(server.address())) {
            connection.send(RawHttpConnection.request("POST", "/echo", "héllo"));
            RawHttpConnection.Response response = connection.read();

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("héllo\n");
            assertThat(response.headers()).containsEntry("content-type", "text/plain; charset=utf-8")
                    .containsEntry("content-length", "7")
                    .doesNotContainKey("connection");
        }
    }

    @Test
    void unknownPathIs404AndWrongMethodIs405WithAllow() throws IOException {
        WeirHttpServer server = start();
        try (RawHttpConnection connection = new RawHttpConnection(server.address())) {
            connection.send(RawHttpConnection.request("GET", "/nope", ""));
            RawHttpConnection.Response notFound = connection.read();
            connection.send(RawHttpConnection.request("GET", "/echo", ""));
            RawHttpConnection.Response notAllowed = connection.read();

            assertThat(notFound.status()).isEqualTo(404);
            assertThat(notFound.body()).isEqualTo("No such resource: /nope\n");
            assertThat(notAllowed.status()).isEqualTo(405);
            assertThat(notAllowed.headers()).containsEntry("allow", "POST");
            assertThat(notAllowed.body()).isEqualTo("GET is not allowed on /echo; use POST\n");
        }
    }

    @Test
    void pipelinedRequestsOnOneConnectionAreAnsweredInOrder() throws IOException {
        WeirHttpServer server = start();
        try (RawHttpConnection connection = new RawHttpConnection(server.address())) {
            connection.send(RawHttpConnection.request("POST", "/slow", "300")
                    + RawHttpConnection.request("POST", "/echo", "second"));

            assertThat(connection.read().body()).isEqualTo("slept 300\n");
            assertThat(connection.read().body()).isEqualTo("second\n");
        }
    }

    @Test
    void aBlockedRequestDelaysNoOtherConnection() throws Exception {
        WeirHttpServer server = start();
        try (RawHttpConnection blocked = new RawHttpConnection(server.address())) {
            blocked.send(RawHttpConnection.request("POST", "/block", ""));
            awaitInFlight(server, 1);

            // More connections than request threads: a connection pinned to the blocked thread would hang.
            assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
                for (int i = 0; i < 10; i++) {
                    try (RawHttpConnection other = new RawHttpConnection(server.address())) {
                        other.send(RawHttpConnection.request("GET", "/health", ""));
                        assertThat(other.read().body()).isEqualTo("{\"status\":\"UP\"}");
                    }
                }
            });

            release.countDown();
            assertThat(blocked.read().body()).isEqualTo("released\n");
        }
    }

    @Test
    void endpointFailureIs500WithTheMessage() throws IOException {
        WeirHttpServer server = start();
        try (RawHttpConnection connection = new RawHttpConnection(server.address())) {
            connection.send(RawHttpConnection.request("POST", "/fail", ""));
            RawHttpConnection.Response response = connection.read();

            assertThat(response.status()).isEqualTo(500);
            assertThat(response.body()).isEqualTo("Internal server error: java.lang.IllegalStateException: kaput\n");
            connection.send(RawHttpConnection.request("POST", "/echo", "still open"));
            assertThat(connection.read().body()).isEqualTo("still open\n");
        }
    }

    @Test
    void requestLargerThanTheLimitIs413() throws IOException {
        WeirHttpServer server = start(config -> config.maxRequestBytes(1024));
        try (RawHttpConnection connection = new RawHttpConnection(server.address())) {
            connection.send(RawHttpConnection.request("POST", "/echo", "x".repeat(2000)));

            assertThat(connection.read().status()).isEqualTo(413);
        }
    }

    @Test
    void headersLargerThanTheLimitAre431AndALongRequestLine414() throws IOException {
        WeirHttpServer server = start(config -> config.maxHeaderBytes(2048));
        try (RawHttpConnection connection = new RawHttpConnection(server.address())) {
            connection.send("GET /health HTTP/1.1\r\nHost: localhost\r\nX-Big: " + "y".repeat(3000) + "\r\n\r\n");
            RawHttpConnection.Response response = connection.read();
            assertThat(response.status()).isEqualTo(431);
            assertThat(response.body()).contains("server.max-header-bytes").doesNotContain("Exception");
        }
        try (RawHttpConnection connection = new RawHttpConnection(server.address())) {
            connection.send("GET /health?" + "q".repeat(3000) + " HTTP/1.1\r\nHost: localhost\r\n\r\n");
            assertThat(connection.read().status()).isEqualTo(414);
        }
        try (RawHttpConnection connection = new RawHttpConnection(server.address())) {
            connection.send("GET /health HTTP/1.1\r\nHost: localhost\r\nX-Fine: " + "y".repeat(1000) + "\r\n\r\n");
            assertThat(connection.read().status()).isEqualTo(200);
        }
    }

    @Test
    void http10WithoutKeepAliveIsClosedAfterTheReply() throws IOException {
        WeirHttpServer server = start();
        try (RawHttpConnection connection = new RawHttpConnection(server.address())) {
            connection.send("GET /health HTTP/1.0\r\n\r\n");
            RawHttpConnection.Response response = connection.read();

            assertThat(response.status()).isEqualTo(200);
            assertThat(connection.closedByServer()).isTrue();
        }
    }

    @Test
    void closeLetsRequestsInProgressFinishThenStopsAccepting() throws Exception {
        WeirHttpServer server = start();
        InetSocketAddress address = server.address();
        try (RawHttpConnection connection = new RawHttpConnection(address)) {
            connection.send(RawHttpConnection.request("POST", "/slow", "500"));
            awaitInFlight(server, 1);

            CompletableFuture<Void> closed = CompletableFuture.runAsync(server::close);
            RawHttpConnection.Response response = connection.read();
            closed.get(10, TimeUnit.SECONDS);

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("slept 500\n");
            assertThat(response.headers()).containsEntry("connection", "close");
            assertThat(connection.closedByServer()).isTrue();
        }
        assertThatThrownBy(() -> new Socket(address.getAddress(), address.getPort()).close())
                .isInstanceOf(ConnectException.class);
    }

    @Test
    void closeAbandonsRequestsThatOutliveTheShutdownTimeout() throws Exception {
        WeirHttpServer server = start(config -> config.shutdownTimeout(Duration.ofMillis(200)));
        try (RawHttpConnection connection = new RawHttpConnection(server.address())) {
            connection.send(RawHttpConnection.request("POST", "/block", ""));
            awaitInFlight(server, 1);

            long started = System.nanoTime();
            server.close();
            long tookMillis = (System.nanoTime() - started) / 1_000_000;

            assertThat(tookMillis).isLessThan(5_000);
            // The client learns at once that no answer will come, rather than waiting for its time-out.
            assertThatThrownBy(connection::read).isInstanceOf(IOException.class);
        }
    }

    @Test
    void portInUseFailsWithTheAddress() throws IOException {
        WeirHttpServer first = start();
        int port = first.address().getPort();

        assertThatThrownBy(() -> start(config -> config.port(port)))
                .isInstanceOf(BindException.class)
                .hasMessageStartingWith("Cannot listen on 127.0.0.1:" + port + ": ");
    }

    @Test
    void unknownBindHostFailsWithTheAddress() {
        assertThatThrownBy(() -> start(config -> config.bindAddress("no-such-host.invalid")))
                .isInstanceOf(BindException.class)
                .hasMessageStartingWith("Cannot listen on no-such-host.invalid:0: unknown host");
    }

    @Test
    void startsOnceOnly() throws IOException {
        WeirHttpServer server = start();

        assertThatThrownBy(server::start).isInstanceOf(IllegalStateException.class);
        server.close();
        server.close();
    }

    private static void awaitInFlight(WeirHttpServer server, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (server.requestsInFlight() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("request not received");
            }
            Thread.sleep(10);
        }
    }

    @Test
    void aHeldBackReplyHoldsNoRequestThreadAndClosesItsConnection() throws Exception {
        WeirHttpServer server = start(config -> config.requestThreads(1));
        try (RawHttpConnection held = new RawHttpConnection(server.address());
             RawHttpConnection other = new RawHttpConnection(server.address())) {
            // a request pipelined behind the held-back one is not answered: its reply would overtake
            held.send(RawHttpConnection.request("POST", "/held-back", "1500")
                    + RawHttpConnection.request("POST", "/echo", "behind"));
            // the one request thread is free meanwhile
            other.send(RawHttpConnection.request("POST", "/echo", "meanwhile"));
            assertThat(other.read().body()).isEqualTo("meanwhile\n");

            RawHttpConnection.Response response = held.read();
            assertThat(response.status()).isEqualTo(401);
            assertThat(response.headers()).containsEntry("connection", "close");
            assertThat(held.closedByServer()).isTrue();
        }
        assertThat(server.requestsInFlight()).isZero();
    }
}
