package io.weir.server.config;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The distribution's conf/weir.conf lists every setting, commented out at its default, with what it does:
 * it must match the settings the server has. When it does not, the file to copy is written to
 * server/target/generated-conf/weir.conf.
 */
class ConfigFileTemplateTest {
    private static final Path TEMPLATE = Path.of("..", "distribution", "src", "conf", "weir.conf");

    static String render() {
        StringBuilder text = new StringBuilder();
        text.append("# Weir server settings (Java properties format). bin/weir reads this file unless --config or WEIR_CONFIG\n")
                .append("# names another; a command-line flag or an environment variable overrides a setting here.\n")
                .append("# Every setting is listed at its default, commented out: remove the '#' to change one.\n")
                .append("# The admin's password is not a setting: use auth.admin-password-file or WEIR_ADMIN_PASSWORD.\n");
        for (ServerOption<?> option : ServerOptions.all()) {
            text.append('\n');
            for (String line : wrap(option.description(), 98)) {
                text.append("# ").append(line).append('\n');
            }
            text.append("# (flag ").append(option.flag()).append(", environment ").append(option.envVariable()).append(")\n");
            text.append('#').append(option.key()).append('=').append(option.defaultText()).append('\n');
        }
        return text.toString();
    }

    private static List<String> wrap(String text, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            if (line.length() > 0 && line.length() + 1 + word.length() > width) {
                lines.add(line.toString());
                line.setLength(0);
            }
            if (line.length() > 0) {
                line.append(' ');
            }
            line.append(word);
        }
        if (line.length() > 0) {
            lines.add(line.toString());
        }
        return lines;
    }

    @Test
    void theDistributionsConfigFileListsEverySettingAtItsDefault() throws IOException {
        String expected = render();
        String actual = Files.exists(TEMPLATE) ? Files.readString(TEMPLATE, StandardCharsets.UTF_8) : "";
        if (!actual.equals(expected)) {
            Path generated = Path.of("target", "generated-conf", "weir.conf");
            Files.createDirectories(generated.getParent());
            Files.writeString(generated, expected, StandardCharsets.UTF_8);
        }
        assertThat(actual).as("distribution/src/conf/weir.conf is out of date; copy server/target/generated-conf/weir.conf")
                .isEqualTo(expected);
    }

    @Test
    void theFileAsShippedChangesNothingAndEachLineUncommentedIsValid() throws IOException {
        Properties shipped = new Properties();
        try (var reader = Files.newBufferedReader(TEMPLATE, StandardCharsets.UTF_8)) {
            shipped.load(reader);
        }
        assertThat(shipped).isEmpty();
        for (ServerOption<?> option : ServerOptions.all()) {
            option.parse(option.defaultText(), "conf/weir.conf");
        }
    }
}
