package io.weir.server.jdbc;

import io.weir.server.testing.RunningServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.ToolProvider;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The jars docs/jdbc.md lists for the stock Avatica driver are what it needs: a separate JVM with
 * exactly those jars (from the local Maven repository) connects to a real server and runs a query
 * over both serializations; with avatica-core alone it cannot even find its driver.
 */
class StockDriverClassPathTest {
    private static final String MARKER = "<!-- stock-driver-classpath";
    private static final Pattern COORDINATES = Pattern.compile("([\\w.\\-]+):([\\w.\\-]+):(\\d[\\w.\\-]*)");
    private static final String PROBE = """
            import java.sql.*;

            public class Probe {
                public static void main(String[] args) throws Exception {
                    for (String url : args) {
                        try (Connection connection = DriverManager.getConnection(url);
                             Statement statement = connection.createStatement();
                             ResultSet rows = statement.executeQuery("SHOW STREAMS")) {
                            while (rows.next()) {
                                System.out.println(url.substring(url.lastIndexOf('=') + 1) + " " + rows.getString(1));
                            }
                        }
                    }
                }
            }
            """;

    @TempDir
    Path dataDir;
    @TempDir
    Path probeDir;

    @Test
    @Timeout(120)
    void theDocumentedJarsAreEnoughForTheStockDriver() throws Exception {
        List<Path> jars = documentedJars();
        try (RunningServer server = RunningServer.start(dataDir)) {
            try (Connection connection = DriverManager.getConnection(server.jdbcUrl());
                 Statement statement = connection.createStatement()) {
                statement.execute("CREATE STREAM probe_clicks (id BIGINT) WITH ('connector' = 'datagen', 'rows-per-second' = '1')");
            }
            String protobuf = server.avaticaUrl();
            String json = "jdbc:avatica:remote:url=http://127.0.0.1:" + server.port() + "/json;serialization=JSON";

            Result documented = probe(jars, protobuf, json);
            assertThat(documented.exitCode()).as(documented.output()).isZero();
            assertThat(documented.output()).contains("PROTOBUF probe_clicks", "JSON probe_clicks");

            Result coreOnly = probe(jars.subList(0, 1), protobuf);
            assertThat(coreOnly.exitCode()).isNotZero();
            assertThat(coreOnly.output()).contains("No suitable driver");
        }
    }

    /** The jars of the coordinates in the block after the marker in docs/jdbc.md, avatica-core first. */
    private static List<Path> documentedJars() throws IOException, URISyntaxException {
        String doc = Files.readString(docs().resolve("jdbc.md"));
        int marker = doc.indexOf(MARKER);
        assertThat(marker).as("docs/jdbc.md has the marker " + MARKER).isNotNegative();
        int start = doc.indexOf("```", marker);
        int body = doc.indexOf('\n', start) + 1; // after the fence and its language
        String block = doc.substring(body, doc.indexOf("```", body));
        Path repository = localRepository();
        List<Path> jars = new ArrayList<>();
        for (String line : block.strip().split("\\R")) {
            Matcher coordinates = COORDINATES.matcher(line.strip());
            assertThat(coordinates.matches()).as("group:artifact:version, got '%s'", line).isTrue();
            String artifact = coordinates.group(2);
            String version = coordinates.group(3);
            Path jar = repository.resolve(coordinates.group(1).replace('.', '/')).resolve(artifact).resolve(version)
                    .resolve(artifact + "-" + version + ".jar");
            assertThat(jar).as("documented jar in the local Maven repository").isRegularFile();
            jars.add(jar);
        }
        assertThat(jars.get(0).getFileName().toString()).startsWith("avatica-core-");
        return jars;
    }

    /** The local Maven repository: where this test's avatica-core jar comes from. */
    private static Path localRepository() throws URISyntaxException {
        Path jar = Path.of(org.apache.calcite.avatica.remote.Driver.class.getProtectionDomain().getCodeSource()
                .getLocation().toURI());
        // <repository>/org/apache/calcite/avatica/avatica-core/<version>/avatica-core-<version>.jar
        Path repository = jar;
        for (int level = 0; level < 7; level++) {
            repository = repository.getParent();
        }
        assertThat(repository.resolve("org/apache/calcite/avatica/avatica-core")).isDirectory();
        return repository;
    }

    private static Path docs() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("docs"))) {
            dir = dir.getParent();
        }
        assertThat(dir).as("a docs/ folder above the working directory").isNotNull();
        return dir.resolve("docs");
    }

    private record Result(int exitCode, String output) {
    }

    /** Runs the probe program (compiled here, it uses only java.sql) with exactly {@code jars} on the class path. */
    private Result probe(List<Path> jars, String... urls) throws IOException, InterruptedException {
        if (!Files.exists(probeDir.resolve("Probe.class"))) {
            Path source = Files.writeString(probeDir.resolve("Probe.java"), PROBE);
            assertThat(ToolProvider.getSystemJavaCompiler().run(null, null, null, source.toString())).isZero();
        }
        List<Path> classPath = new ArrayList<>(jars);
        classPath.add(probeDir);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", String.join(java.io.File.pathSeparator, classPath.stream().map(Path::toString).toList()), "Probe"));
        command.addAll(List.of(urls));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("probe finished").isTrue();
        return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }
}
