package io.weir.server.http;

import io.netty.handler.codec.http.HttpMethod;
import io.weir.server.config.ServerConfig;
import org.apache.calcite.avatica.Meta;
import org.apache.calcite.avatica.remote.JsonService;
import org.apache.calcite.avatica.remote.LocalService;
import org.apache.calcite.avatica.remote.ProtobufTranslation;
import org.apache.calcite.avatica.remote.ProtobufTranslationImpl;
import org.apache.calcite.avatica.remote.Service;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The Avatica routes answer every failure, even an Error, with an Avatica error response. */
class AvaticaEndpointsTest {
    private final HttpClient client = HttpClient.newHttpClient();
    private final ProtobufTranslation protobuf = new ProtobufTranslationImpl();
    private WeirHttpServer server;

    @BeforeEach
    void start() throws IOException {
        // A Meta whose every method throws an Error, which Avatica's handlers do not catch.
        Meta failing = (Meta) Proxy.newProxyInstance(Meta.class.getClassLoader(), new Class<?>[] {Meta.class},
                (proxy, method, args) -> {
                    throw new AssertionError("kaput in " + method.getName());
                });
        HttpRouter router = AvaticaEndpoints.addTo(HttpRouter.builder(), new LocalService(failing)).build();
        server = new WeirHttpServer(ServerConfig.builder().port(0).pgPort(0).build(), router);
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void protobufErrorBecomesSerializedErrorResponseWithXx000() throws Exception {
        for (String path : new String[] {"/", "/protobuf"}) {
            HttpResponse<byte[]> response = post(path, protobuf.serializeRequest(openConnection()));

            assertThat(response.statusCode()).isEqualTo(500);
            assertThat(response.headers().firstValue("content-type")).hasValue("application/octet-stream");
            Service.Response parsed = protobuf.parseResponse(response.body());
            assertThat(parsed).isInstanceOfSatisfying(Service.ErrorResponse.class, error -> {
                assertThat(error.sqlState).isEqualTo("XX000");
                assertThat(error.errorMessage).contains("java.lang.AssertionError: kaput in openConnection");
            });
        }
    }

    @Test
    void jsonErrorBecomesSerializedErrorResponseWithXx000() throws Exception {
        HttpResponse<byte[]> response = post("/json", JsonService.MAPPER.writeValueAsBytes(openConnection()));

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/json; charset=utf-8");
        Service.Response parsed = JsonService.MAPPER.readValue(response.body(), Service.Response.class);
        assertThat(parsed).isInstanceOfSatisfying(Service.ErrorResponse.class, error -> {
            assertThat(error.sqlState).isEqualTo("XX000");
            assertThat(error.errorMessage).contains("kaput in openConnection");
        });
    }

    @Test
    void garbageIsABadRequestWithAnAvaticaErrorNotAHangNorAStackTrace() throws Exception {
        for (byte[] body : new byte[][] {{1, 2, 3}, {0, 0, 0, 0}, "{\"request\":\"openConnection\"}".getBytes(), new byte[0]}) {
            HttpResponse<byte[]> response = post("/", body);

            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(protobuf.parseResponse(response.body())).isInstanceOfSatisfying(Service.ErrorResponse.class, error -> {
                assertThat(error.sqlState).isEqualTo("08P01");
                assertThat(error.errorMessage).contains("Avatica protobuf request").doesNotContain("\tat ");
                assertThat(error.exceptions).isEmpty();
            });
        }
    }

    @Test
    void jsonThatIsNotARequestIsABadRequest() throws Exception {
        for (String body : new String[] {"garbage", "{\"request\":\"nosuch\"}", "{\"request\":\"openConnection\"}",
                "{\"request\":\"prepareAndExecute\",\"sql\":\"SELECT 1\"}"}) {
            HttpResponse<byte[]> response = post("/json", body.getBytes());

            assertThat(response.statusCode()).as(body).isEqualTo(400);
            Service.Response parsed = JsonService.MAPPER.readValue(response.body(), Service.Response.class);
            assertThat(parsed).isInstanceOfSatisfying(Service.ErrorResponse.class, error -> {
                assertThat(error.sqlState).isEqualTo("08P01");
                assertThat(error.exceptions).isEmpty();
            });
        }
    }

    @Test
    void connectionIdsAndPropertiesAreBounded() throws Exception {
        Map<String, String> many = new java.util.HashMap<>();
        for (int i = 0; i < 5_000; i++) {
            many.put("p" + i, "v");
        }
        for (Service.Request request : new Service.Request[] {new Service.OpenConnectionRequest("c".repeat(100_000), Map.of()),
                new Service.OpenConnectionRequest("connection-2", many)}) {
            HttpResponse<byte[]> response = post("/", protobuf.serializeRequest(request));

            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(((Service.ErrorResponse) protobuf.parseResponse(response.body())).errorMessage).contains("at most");
        }
    }

    @Test
    void errorResponsesCarryNoStackTrace() throws Exception {
        HttpResponse<byte[]> response = post("/json", JsonService.MAPPER.writeValueAsBytes(openConnection()));

        assertThat(new String(response.body())).doesNotContain("\tat ").doesNotContain("\\tat ");
        assertThat(((Service.ErrorResponse) JsonService.MAPPER.readValue(response.body(), Service.Response.class)).exceptions).isEmpty();
    }

    @Test
    void onlyPostIsAllowed() throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri("/json")).GET().build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("allow")).hasValue(HttpMethod.POST.name());
    }

    private static Service.OpenConnectionRequest openConnection() {
        return new Service.OpenConnectionRequest("connection-1", Map.of());
    }

    private HttpResponse<byte[]> post(String path, byte[] body) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.address().getPort() + path);
    }
}
