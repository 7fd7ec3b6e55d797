package io.weir.jdbc;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.ServiceLoader;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Checks the packaged driver jar (run after 'package'): everything bundled is relocated under
 * io.weir.jdbc, only WeirDriver registers, and the jar works on its own, without any other jar.
 */
class ShadedJarIT {
    private static Path jar;

    @BeforeAll
    static void findJar() {
        String location = System.getProperty("weir.jdbc.jar");
        assertThat(location).as("system property weir.jdbc.jar (set by the build)").isNotBlank();
        jar = Path.of(location);
        assertThat(jar).isRegularFile();
    }

    @Test
    void bundlesNothingOutsideItsOwnPackageExceptMetaInf() throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            List<String> foreign = file.stream()
                    .map(JarEntry::getName)
                    .filter(name -> !name.startsWith("io/weir/jdbc/") && !name.startsWith("META-INF/"))
                    .filter(name -> !name.equals("io/") && !name.equals("io/weir/"))
                    .collect(Collectors.toList());
            assertThat(foreign).isEmpty();
            assertThat(file.getEntry("io/weir/jdbc/shaded/org/apache/calcite/avatica/remote/Driver.class")).isNotNull();
            assertThat(file.getEntry("io/weir/jdbc/shaded/com/fasterxml/jackson/databind/ObjectMapper.class")).isNotNull();
            assertThat(file.getEntry("io/weir/jdbc/shaded/com/google/protobuf/Message.class")).isNotNull();
            assertThat(file.getEntry("io/weir/jdbc/shaded/org/apache/hc/client5/http/classic/HttpClient.class")).isNotNull();
        }
    }

    @Test
    void onlyWeirDriverIsDeclaredAsJdbcDriver() throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            String services = new String(file.getInputStream(file.getEntry("META-INF/services/java.sql.Driver"))
                    .readAllBytes(), StandardCharsets.UTF_8);
            assertThat(services.lines().map(String::trim).filter(line -> !line.isEmpty() && !line.startsWith("#")))
                    .containsExactly("io.weir.jdbc.WeirDriver");
        }
        try (URLClassLoader loader = isolatedLoader()) {
            assertThat(ServiceLoader.load(Driver.class, loader).stream().map(p -> p.type().getName()))
                    .containsExactly("io.weir.jdbc.WeirDriver");
        }
    }

    @Test
    void worksAloneAndRegistersOnlyItself() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        StringWriter driverManagerLog = new StringWriter();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        PrintStream originalErr = System.err;
        DriverManager.setLogWriter(new PrintWriter(driverManagerLog, true));
        System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
        try (URLClassLoader loader = isolatedLoader()) {
            Driver driver = (Driver) Class.forName("io.weir.jdbc.WeirDriver", true, loader)
                    .getDeclaredConstructor().newInstance();

            assertThat(driver.acceptsURL("jdbc:weir://localhost")).isTrue();
            assertThat(driver.acceptsURL("jdbc:avatica:remote:url=http://localhost:8765")).isFalse();
            assertThat(driver.getPropertyInfo("jdbc:weir://localhost", new Properties())).isNotEmpty();
            assertThatThrownBy(() -> driver.connect("jdbc:weir://127.0.0.1:" + closedPort, new Properties()))
                    .isInstanceOfSatisfying(SQLException.class, e -> {
                        assertThat(e.getSQLState()).isEqualTo("08001");
                        assertThat(e.getMessage()).contains("Cannot connect to the Weir server");
                    });
        } finally {
            DriverManager.setLogWriter(null);
            System.setErr(originalErr);
        }

        assertThat(driverManagerLog.toString())
                .contains("registerDriver: io.weir.jdbc.WeirDriver")
                .contains("deregisterDriver: io.weir.jdbc.shaded.org.apache.calcite.avatica.remote.Driver");
        assertThat(stderr.toString(StandardCharsets.UTF_8)).as("nothing printed, e.g. SLF4J provider warnings")
                .isEmpty();
    }

    @Test
    void queriesAnAvaticaServerOverProtobufAndJson() throws Exception {
        try (AvaticaTestServer server = new AvaticaTestServer(new AnswerMeta());
             URLClassLoader loader = isolatedLoader()) {
            Driver driver = (Driver) Class.forName("io.weir.jdbc.WeirDriver", true, loader)
                    .getDeclaredConstructor().newInstance();
            for (String url : List.of("jdbc:weir://127.0.0.1:" + server.port(),
                    "jdbc:weir://127.0.0.1:" + server.port() + "/?serialization=json")) {
                try (Connection connection = driver.connect(url, new Properties());
                     Statement statement = connection.createStatement();
                     ResultSet rows = statement.executeQuery("SELECT 42")) {
                    assertThat(rows.next()).as(url).isTrue();
                    assertThat(rows.getInt("ANSWER")).isEqualTo(42);
                    assertThat(rows.next()).isFalse();
                }
            }
        }
    }

    /** A class loader that sees the JDK and the driver jar, nothing else. */
    private static URLClassLoader isolatedLoader() throws IOException {
        return new URLClassLoader(new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
    }

    @Test
    void dependencyReducedPomListsNoBundledDependency() throws IOException {
        Path pom = jar.resolveSibling("dependency-reduced-pom.xml");
        assertThat(Files.readString(pom))
                .contains("<artifactId>weir-jdbc</artifactId>")
                .doesNotContain("<artifactId>avatica-core</artifactId>")
                .doesNotContain("<groupId>com.fasterxml.jackson.core</groupId>")
                .doesNotContain("<artifactId>protobuf-java</artifactId>")
                .doesNotContain("<artifactId>httpclient5</artifactId>")
                .doesNotContain("<artifactId>slf4j-api</artifactId>");
    }
}
