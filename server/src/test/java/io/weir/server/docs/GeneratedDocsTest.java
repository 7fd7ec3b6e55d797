package io.weir.server.docs;

import io.weir.server.config.ServerOption;
import io.weir.server.config.ServerOptions;
import io.weir.spi.connector.CommonOptions;
import io.weir.spi.connector.ConnectorFactory;
import io.weir.spi.connector.Connectors;
import io.weir.spi.format.FormatFactory;
import io.weir.spi.format.Formats;
import io.weir.spi.option.ConfigOption;
import io.weir.sql.session.SessionOptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The option tables in {@code docs/} are generated from the options connectors, formats and the
 * server declare. This test regenerates every section between {@code <!-- BEGIN GENERATED: id -->}
 * and {@code <!-- END GENERATED: id -->} and fails if the committed docs differ. The regenerated
 * files are written under {@code target/generated-docs/}: copy them over {@code docs/} to update.
 */
class GeneratedDocsTest {
    private static final Pattern SECTION = Pattern.compile(
            "(<!-- BEGIN GENERATED: ([a-z0-9:-]+) -->\\n)(.*?)(<!-- END GENERATED: \\2 -->)", Pattern.DOTALL);

    private static Path docs() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("docs"))) {
            dir = dir.getParent();
        }
        assertThat(dir).as("a docs/ folder above the working directory").isNotNull();
        return dir.resolve("docs");
    }

    static Map<String, String> sections() {
        Map<String, String> sections = new TreeMap<>();
        sections.put("connector-list", connectorList());
        sections.put("common-options", optionTable(CommonOptions.all()));
        for (ConnectorFactory connector : Connectors.all()) {
            sections.put("connector:" + connector.name(), optionTable(connector.options()));
        }
        for (FormatFactory format : Formats.all()) {
            sections.put("format:" + format.name(), optionTable(format.options()));
        }
        sections.put("server-options", serverOptions());
        sections.put("session-options", optionTable(SessionOptions.ALL));
        return sections;
    }

    private static String connectorList() {
        StringBuilder out = new StringBuilder("| Connector | Can back | Format | Description |\n|---|---|---|---|\n");
        for (ConnectorFactory connector : Connectors.all()) {
            String format = connector.usesFormat().supported()
                    ? connector.usesFormat().defaultFormatName().map(f -> "yes (default `" + f + "`)").orElse("yes (required)")
                    : "no";
            out.append("| `").append(connector.name()).append("` | ")
                    .append(String.join(", ", connector.capabilities().stream().map(Enum::name).sorted().toList()))
                    .append(" | ").append(format).append(" | ").append(escape(connector.description())).append(" |\n");
        }
        return out.toString();
    }

    private static String optionTable(List<ConfigOption> options) {
        StringBuilder out = new StringBuilder("| Option | Type | Required | Default | Description |\n|---|---|---|---|---|\n");
        for (ConfigOption option : options) {
            out.append("| `").append(option.isPrefix() ? option.key() + "*" : option.key()).append("` | ")
                    .append(escape(option.typeDescription())).append(" | ")
                    .append(option.required() ? "yes" : "no").append(" | ")
                    .append(option.defaultValue() == null ? "" : "`" + escape(option.defaultValue()) + "`").append(" | ")
                    .append(escape(option.description())).append(option.secret() ? " (secret: masked in DESCRIBE)" : "")
                    .append(" |\n");
        }
        return out.toString();
    }

    private static String serverOptions() {
        StringBuilder out = new StringBuilder("| Config file key | Flag | Environment | Default | Description |\n|---|---|---|---|---|\n");
        for (ServerOption<?> option : ServerOptions.all()) {
            out.append("| `").append(option.key()).append("` | `").append(option.flag()).append("` | `")
                    .append(option.envVariable()).append("` | ")
                    .append(option.defaultText().isEmpty() ? "" : "`" + escape(option.defaultText()) + "`").append(" | ")
                    .append(escape(option.description())).append(" |\n");
        }
        return out.toString();
    }

    private static String escape(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }

    @Test
    void docsMatchDeclaredOptions() throws IOException {
        Map<String, String> generated = sections();
        Path docs = docs();
        Path out = Path.of("target", "generated-docs");
        Files.createDirectories(out);
        Map<String, Boolean> used = new TreeMap<>();
        generated.keySet().forEach(key -> used.put(key, false));
        StringBuilder differences = new StringBuilder();
        try (var files = Files.list(docs)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".md")).sorted().toList()) {
                String text = Files.readString(file, StandardCharsets.UTF_8);
                Matcher matcher = SECTION.matcher(text);
                StringBuilder rewritten = new StringBuilder();
                while (matcher.find()) {
                    String id = matcher.group(2);
                    String expected = generated.get(id);
                    if (expected == null) {
                        differences.append(file.getFileName()).append(": section '").append(id).append("' matches no declared options\n");
                        expected = matcher.group(3);
                    } else {
                        used.put(id, true);
                        if (!expected.equals(matcher.group(3))) {
                            differences.append(file.getFileName()).append(": section '").append(id).append("' is out of date\n");
                        }
                    }
                    matcher.appendReplacement(rewritten, Matcher.quoteReplacement(matcher.group(1) + expected + matcher.group(4)));
                }
                matcher.appendTail(rewritten);
                Files.writeString(out.resolve(file.getFileName()), rewritten.toString(), StandardCharsets.UTF_8);
            }
        }
        used.forEach((id, found) -> {
            if (!found) {
                differences.append("no docs/ section documents '").append(id).append("'\n");
            }
        });
        assertThat(differences.toString())
                .as("docs/ vs declared options; regenerated docs are in " + out.toAbsolutePath())
                .isEmpty();
    }
}
