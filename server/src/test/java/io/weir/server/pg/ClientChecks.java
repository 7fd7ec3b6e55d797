package io.weir.server.pg;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs a client program of another language against the PostgreSQL endpoint and reads what it found: one
 * JSON line {@code {"check": name, "value": ...}} per check, {@code "done"} last and {@code "failed"} when it
 * broke off (node-postgres, SQLAlchemy).
 */
final class ClientChecks {
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(2);

    private ClientChecks() {
    }

    /** The checks of the program run as {@code command}, which must finish with "done" and without "failed". */
    static Map<String, JsonNode> run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(RUN_TIMEOUT.toSeconds(), TimeUnit.SECONDS)).as(output).isTrue();
        Map<String, JsonNode> checks = new HashMap<>();
        ObjectMapper json = new ObjectMapper();
        for (String line : output.split("\n")) {
            if (line.startsWith("{")) {
                JsonNode check = json.readTree(line);
                checks.put(check.get("check").asText(), check.get("value"));
            }
        }
        assertThat(checks).as(output).doesNotContainKey("failed").containsKey("done");
        return checks;
    }
}
