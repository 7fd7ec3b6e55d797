package io.weir.spi.connector;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.error.ErrorPolicy;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConnectorResolverTest {
    private static void fails(Map<String, String> options, ErrorCode code, String... fragments) {
        assertThatThrownBy(() -> ConnectorResolver.resolve(options))
                .isInstanceOfSatisfying(WeirException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(code);
                    for (String fragment : fragments) {
                        assertThat(e.getMessage()).contains(fragment);
                    }
                });
    }

    @Test
    void resolvesConnectorAndCommonOptions() {
        ResolvedConnector resolved = ConnectorResolver.resolve(Map.of("Connector", "MEMORY", "data", "x",
                "on-error", "skip", "watermark.idle-timeout", "30 s"));
        assertThat(resolved.connector().name()).isEqualTo("memory");
        assertThat(resolved.format()).isEmpty();
        assertThat(resolved.errorPolicy()).isEqualTo(ErrorPolicy.SKIP);
        assertThat(CommonOptions.idleTimeout(resolved.options())).contains(java.time.Duration.ofSeconds(30));
    }

    @Test
    void defaultErrorPolicyIsFail() {
        assertThat(ConnectorResolver.resolve(Map.of("connector", "memory", "data", "x")).errorPolicy()).isEqualTo(ErrorPolicy.FAIL);
    }

    @Test
    void errors() {
        fails(Map.of("data", "x"), ErrorCode.MISSING_OPTION, "'connector'", "memory");
        fails(Map.of("connector", "nope"), ErrorCode.UNKNOWN_CONNECTOR, "Unknown connector 'nope'", "Available connectors: http, memory");
        fails(Map.of("connector", "memory", "data", "x", "format", "json"), ErrorCode.UNKNOWN_OPTION, "does not read a format");
        fails(Map.of("connector", "memory", "dta", "x"), ErrorCode.UNKNOWN_OPTION, "'dta'", "Did you mean 'data'?");
        fails(Map.of("connector", "memory"), ErrorCode.MISSING_OPTION, "'data'");
        fails(Map.of("connector", "memory", "data", "x", "on-error", "ignore"), ErrorCode.INVALID_OPTION_VALUE,
                "'on-error'", "fail, skip, dead-letter");
    }
}
