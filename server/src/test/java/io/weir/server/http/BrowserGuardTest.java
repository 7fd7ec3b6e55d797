package io.weir.server.http;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.weir.server.testing.RunningServer;
import org.apache.calcite.avatica.proto.Common;
import org.apache.calcite.avatica.proto.Requests;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Web pages of other sites cannot use the server through a visitor's browser: forged requests and DNS rebinding. */
class BrowserGuardTest {
    @TempDir
    Path dataDir;

    private static HttpCall call(HttpMethod method, String host, String origin) {
        HttpHeaders headers = new DefaultHttpHeaders();
        if (host != null) {
            headers.set("Host", host);
        }
        if (origin != null) {
            headers.set("Origin", origin);
        }
        return new HttpCall(method, "/", Map.of(), headers, new byte[0], new InetSocketAddress("127.0.0.1", 40000));
    }

    private static boolean refused(BrowserGuard guard, HttpMethod method, String host, String origin) {
        return guard.refusal(call(method, host, origin)).isPresent();
    }

    @Test
    void aLoopbackServerAnswersToLoopbackNamesOnly() {
        BrowserGuard guard = new BrowserGuard(List.of(), true);
        for (String host : List.of("localhost:8765", "127.0.0.1:8765", "[::1]:8765", "app.localhost", "127.1.2.3", "LOCALHOST.")) {
            assertThat(refused(guard, HttpMethod.GET, host, null)).as(host).isFalse();
        }
        for (String host : List.of("attacker.example:8765", "attacker.example", "localhost.attacker.example", "127.0.0.1.nip.io")) {
            assertThat(refused(guard, HttpMethod.GET, host, null)).as(host).isTrue();
        }
        assertThat(refused(guard, HttpMethod.GET, null, null)).as("HTTP/1.0 clients without Host").isFalse();
    }

    @Test
    void allowedHostsAddNamesAndDomains() {
        BrowserGuard guard = new BrowserGuard(List.of("weir.example", ".corp.example"), true);
        assertThat(refused(guard, HttpMethod.GET, "weir.example:8765", null)).isFalse();
        assertThat(refused(guard, HttpMethod.GET, "a.corp.example", null)).isFalse();
        assertThat(refused(guard, HttpMethod.GET, "corp.example", null)).isFalse();
        assertThat(refused(guard, HttpMethod.GET, "localhost", null)).isFalse();
        assertThat(refused(guard, HttpMethod.GET, "evilcorp.example", null)).isTrue();
        assertThat(refused(new BrowserGuard(List.of("*"), true), HttpMethod.GET, "anything.example", null)).isFalse();
        assertThat(refused(new BrowserGuard(List.of(), false), HttpMethod.GET, "anything.example", null))
                .as("a server on another address, without the setting, answers to any name").isFalse();
    }

    @Test
    void changesFromPagesOfOtherOriginsAreRefused() {
        BrowserGuard guard = new BrowserGuard(List.of(), true);
        assertThat(refused(guard, HttpMethod.POST, "localhost:8765", "http://attacker.example")).isTrue();
        assertThat(refused(guard, HttpMethod.POST, "localhost:8765", "null")).isTrue();
        assertThat(refused(guard, HttpMethod.POST, "localhost:8765", "http://localhost:9999")).as("another port").isTrue();
        assertThat(refused(guard, HttpMethod.DELETE, "localhost:8765", "http://attacker.example")).isTrue();
        assertThat(refused(guard, HttpMethod.POST, "localhost:8765", "http://localhost:8765")).isFalse();
        assertThat(refused(guard, HttpMethod.POST, "LocalHost:8765", "http://localhost:8765")).isFalse();
        assertThat(refused(guard, HttpMethod.POST, "[::1]:8765", "http://[::1]:8765")).isFalse();
        assertThat(refused(guard, HttpMethod.POST, "localhost", "http://localhost")).isFalse();
        assertThat(refused(guard, HttpMethod.POST, "localhost:443", "https://localhost")).isFalse();
        assertThat(refused(guard, HttpMethod.POST, "localhost:8765", null)).as("programs send no Origin").isFalse();
        assertThat(refused(guard, HttpMethod.GET, "localhost:8765", "http://attacker.example")).as("reads: the Host check").isFalse();
    }

    /** Over a real connection: the protobuf request a page can send as "text/plain" without asking first. */
    @Test
    void theServerRefusesForgedAndRebindingRequestsAndServesItsClients() throws Exception {
        try (RunningServer server = RunningServer.start(dataDir)) {
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", server.port());
            byte[] openConnection = Common.WireMessage.newBuilder()
                    .setName(Requests.OpenConnectionRequest.class.getName())
                    .setWrappedMessage(Requests.OpenConnectionRequest.newBuilder().setConnectionId("planted").build().toByteString())
                    .build().toByteArray();
            try (RawHttpConnection connection = new RawHttpConnection(address)) {
                connection.send(raw("POST", "/", "localhost:" + server.port(), "http://attacker.example", "text/plain", openConnection));
                RawHttpConnection.Response forged = connection.read();
                assertThat(forged.status()).isEqualTo(403);
                assertThat(forged.body()).contains("Origin http://attacker.example");
            }
            assertThat(server.openConnections()).isZero();
            try (RawHttpConnection connection = new RawHttpConnection(address)) {
                connection.send(raw("GET", "/metrics", "attacker.example:" + server.port(), null, null, new byte[0]));
                RawHttpConnection.Response rebound = connection.read();
                assertThat(rebound.status()).isEqualTo(403);
                assertThat(rebound.body()).contains("server.allowed-hosts");
            }
            try (RawHttpConnection connection = new RawHttpConnection(address)) {
                connection.send(raw("GET", "/health", "localhost:" + server.port(), null, null, new byte[0]));
                assertThat(connection.read().status()).isEqualTo(200);
            }
            try (Connection jdbc = DriverManager.getConnection(server.jdbcUrl())) {
                assertThat(jdbc.createStatement().executeQuery("SELECT 1").next()).isTrue();
            }
        }
        try (RunningServer named = RunningServer.start(dataDir.resolve("named"), settings -> settings.allowedHosts(List.of("weir.example")));
             RawHttpConnection connection = new RawHttpConnection(new InetSocketAddress("127.0.0.1", named.port()))) {
            connection.send(raw("GET", "/health", "weir.example:" + named.port(), null, null, new byte[0]));
            assertThat(connection.read().status()).isEqualTo(200);
        }
    }

    private static byte[] raw(String method, String path, String host, String origin, String contentType, byte[] body) {
        StringBuilder request = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: " + host + "\r\n");
        if (origin != null) {
            request.append("Origin: ").append(origin).append("\r\n");
        }
        if (contentType != null) {
            request.append("Content-Type: ").append(contentType).append("\r\n");
        }
        request.append("Content-Length: ").append(body.length).append("\r\n\r\n");
        byte[] head = request.toString().getBytes(StandardCharsets.US_ASCII);
        byte[] all = java.util.Arrays.copyOf(head, head.length + body.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        return all;
    }
}
