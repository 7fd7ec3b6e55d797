package io.weir.server.http;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HttpRouterTest {
    private final HttpEndpoint root = call -> HttpReply.text(HttpResponseStatus.OK, "root");
    private final HttpEndpoint json = call -> HttpReply.text(HttpResponseStatus.OK, "json");
    private final HttpEndpoint ingest = call -> HttpReply.text(HttpResponseStatus.OK, "ingest");
    private final HttpEndpoint ingestSpecial = call -> HttpReply.text(HttpResponseStatus.OK, "special");
    private final HttpRouter router = HttpRouter.builder()
            .exact(HttpMethod.POST, "/", root)
            .exact(HttpMethod.POST, "/json", json)
            .exact(HttpMethod.GET, "/json", json)
            .prefix(HttpMethod.POST, "/ingest/", ingest)
            .prefix(HttpMethod.POST, "/ingest/special/", ingestSpecial)
            .build();

    @Test
    void exactRoutesMatchMethodAndPath() {
        assertThat(router.route(HttpMethod.POST, "/")).isEqualTo(new HttpRouter.Match.Found(root, "/"));
        assertThat(router.route(HttpMethod.POST, "/json")).isEqualTo(new HttpRouter.Match.Found(json, "/json"));
        assertThat(router.route(HttpMethod.GET, "/json")).isEqualTo(new HttpRouter.Match.Found(json, "/json"));
    }

    @Test
    void longestPrefixWins() {
        assertThat(router.route(HttpMethod.POST, "/ingest/orders")).isEqualTo(new HttpRouter.Match.Found(ingest, "/ingest/*"));
        assertThat(router.route(HttpMethod.POST, "/ingest/special/x"))
                .isEqualTo(new HttpRouter.Match.Found(ingestSpecial, "/ingest/special/*"));
    }

    @Test
    void knownPathWithOtherMethodIsNotAllowedAndListsTheAllowedOnes() {
        assertThat(router.route(HttpMethod.GET, "/")).isEqualTo(new HttpRouter.Match.MethodNotAllowed(
                Set.of("POST")));
        assertThat(router.route(HttpMethod.DELETE, "/json")).isEqualTo(new HttpRouter.Match.MethodNotAllowed(
                Set.of("GET", "POST")));
        assertThat(router.route(HttpMethod.GET, "/ingest/orders")).isEqualTo(new HttpRouter.Match.MethodNotAllowed(
                Set.of("POST")));
    }

    @Test
    void unknownPathIsNotFound() {
        assertThat(router.route(HttpMethod.POST, "/nope")).isEqualTo(new HttpRouter.Match.NotFound());
        assertThat(router.route(HttpMethod.POST, "/ingest")).isEqualTo(new HttpRouter.Match.NotFound());
    }

    @Test
    void duplicatesAndRelativePathsAreRejected() {
        assertThatThrownBy(() -> HttpRouter.builder().exact(HttpMethod.POST, "/", root).exact(HttpMethod.POST, "/", json))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Route POST / is already defined");
        assertThatThrownBy(() -> HttpRouter.builder().prefix(HttpMethod.POST, "/a/", root).prefix(HttpMethod.POST, "/a/", json))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Route POST /a/* is already defined");
        assertThatThrownBy(() -> HttpRouter.builder().exact(HttpMethod.GET, "health", root))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Path must start with /: health");
    }
}
