package io.weir.server.auth;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

class CredentialsTest {
    private static Credentials of(String authorization) {
        HttpHeaders headers = new DefaultHttpHeaders();
        if (authorization != null) {
            headers.set("Authorization", authorization);
        }
        return Credentials.of(headers);
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsBasicAndBearerCredentials() {
        assertThat(of(null)).isEqualTo(new Credentials.None());
        assertThat(of("Basic " + base64("bob:pa:ss wörd"))).isEqualTo(new Credentials.Password("bob", "pa:ss wörd"));
        assertThat(of("basic  " + base64("bob:"))).isEqualTo(new Credentials.Password("bob", ""));
        assertThat(of("Bearer weir_abc")).isEqualTo(new Credentials.Bearer("weir_abc"));
    }

    @Test
    void headersThatCannotBeReadSayWhy() {
        assertThat(of("Basic !!!")).isEqualTo(new Credentials.Malformed("the Basic credentials are not Base64 of UTF-8 text"));
        assertThat(of("Basic " + base64("no colon"))).isEqualTo(new Credentials.Malformed("the Basic credentials are not user:password"));
        assertThat(of("Bearer")).isEqualTo(new Credentials.Malformed("the Bearer token is empty"));
        assertThat(of("Negotiate abc")).isEqualTo(new Credentials.Malformed("the Authorization scheme is not Basic or Bearer"));
    }

    @Test
    void neverPrintSecrets() {
        assertThat(new Credentials.Password("bob", "s3cret").toString()).doesNotContain("s3cret");
        assertThat(new Credentials.Bearer("weir_s3cret").toString()).doesNotContain("s3cret");
    }
}
