package io.weir.server.docs;

import io.weir.server.config.ServerConfig;
import io.weir.server.demo.Demo;
import io.weir.server.demo.DemoSettings;
import io.weir.server.demo.EmbeddedKafka;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the examples of {@code README.md} and every page of {@code docs/} as a reader pastes them, so
 * that a page cannot drift from the code. Each page gets a real server (a free port, a new data
 * directory) and one JDBC connection through Weir's driver, and its fenced blocks run in page order:
 * <ul>
 *   <li>{@code ```sql}: statement by statement, as sqlline runs a pasted script; every statement must
 *       succeed. A continuous query ({@code SELECT STREAM}) is read until its first row or for
 *       {@link DocRun#STREAM_GLANCE}, or as long as its expectations need (up to
 *       {@link DocRun#STREAM_WAIT}), then closed.</li>
 *   <li>{@code ```bash} / {@code ```shell}: with {@code bash -e -o pipefail}; it must exit with 0.</li>
 *   <li>{@code ```java}: compiled as the body of a {@code main} method and run against the server.</li>
 *   <li>{@code ```json}, {@code ```text}: shown only (replies, payloads, URLs). Every block names its language.</li>
 * </ul>
 * Before a run, {@code 127.0.0.1:8765} (the server's default address) becomes the test server's,
 * {@code localhost:9092} a Kafka broker's started in this JVM, and the example paths {@code /tmp/...}
 * and {@code /data/...} move into the page's temporary directory.
 *
 * <p>HTML comments right before a block change what happens to it ({@code <!-- docs-test: KIND ... -->}):
 * <ul>
 *   <li>{@code expect} with lines {@code N: ...} (see {@link DocExpectations}): what statement N gives;</li>
 *   <li>{@code skip REASON}: not run, and why (printed with the counts at the end);</li>
 *   <li>{@code synopsis}: grammar, not a statement (checked to contain grammar notation);</li>
 *   <li>{@code server}, {@code demo}, {@code client}: the block starts {@code bin/weir}, {@code bin/weir demo}
 *       or {@code bin/weir-sql}; the test starts the same in this JVM (on free ports; a server over a new data
 *       directory, serving HTTPS when the block gives {@code --tls-cert} and {@code --tls-key}, with the admin
 *       password of a {@code WEIR_ADMIN_PASSWORD='...'} in the block, when the connection logs in as {@code admin};
 *       a demo shared by the pages that start one) and connects to it (with the {@code jdbc:weir://} URL a client
 *       block names, and the user and password in it);</li>
 *   <li>{@code restart}: the server is stopped and started again on its data directory before the block;</li>
 *   <li>{@code replace TEXT with VALUE}: for hosts the test cannot be, e.g. a database URL; VALUE may use
 *       {@code ${postgres.url}} (an embedded PostgreSQL), {@code ${webhook.url}} (an HTTP receiver),
 *       {@code ${kafka}}, {@code ${kinesis}} (kinesalite's endpoint), {@code ${port:name}} (a free port, the same for one name).</li>
 * </ul>
 * Hidden steps, run where they stand: {@code <!-- docs-test: setup sql|shell|postgres ...body... -->},
 * {@code <!-- docs-test: setup file PATH ...content... -->}, {@code <!-- docs-test: setup kafka topic[:partitions] ... -->},
 * {@code <!-- docs-test: setup kinesis stream[:shards] ... -->} (in kinesalite, whose endpoint is {@code ${kinesis}}),
 * and {@code <!-- docs-test: setup server -->}: a new server over a new data directory, for sections whose
 * examples are alternatives to those before (the same stream name over another connector).
 */
class DocsExamplesTest {
    @TempDir
    static Path kafkaDir;
    @TempDir
    static Path demoDir;
    private static EmbeddedKafka kafka;
    private static Demo demo;
    private static final DocCounts COUNTS = new DocCounts();

    @TempDir
    Path temp;

    private static synchronized EmbeddedKafka kafka() {
        if (kafka == null) {
            kafka = EmbeddedKafka.start(kafkaDir, 0, "--kafka-port");
        }
        return kafka;
    }

    /** {@code bin/weir demo} in this JVM, on free ports, with the demo's own rate of events. */
    private static synchronized Demo demo() {
        if (demo == null) {
            ServerConfig config = ServerConfig.builder().bindAddress("127.0.0.1").port(0).pgPort(0).dataDir(demoDir).build();
            try {
                demo = Demo.start(config, new DemoSettings(0, DemoSettings.DEFAULT_EVENTS_PER_SECOND));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return demo;
    }

    @AfterAll
    static void stopBrokersAndReport() {
        if (demo != null) {
            demo.close();
        }
        if (kafka != null) {
            kafka.close();
        }
        System.out.println(COUNTS.report());
    }

    static Path root() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("docs"))) {
            dir = dir.getParent();
        }
        assertThat(dir).as("a docs/ folder above the working directory").isNotNull();
        return dir;
    }

    static List<Path> pages() throws IOException {
        Path root = root();
        List<Path> pages = new ArrayList<>();
        pages.add(root.resolve("README.md"));
        try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        return pages;
    }

    @TestFactory
    Stream<DynamicTest> everyPageRunsAsPasted() throws IOException {
        // -Dweir.docs.page=quickstart.md runs one page (while editing it)
        String only = System.getProperty("weir.docs.page", "");
        return pages().stream().filter(file -> only.isEmpty() || file.getFileName().toString().equals(only)).map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), file.toUri(), () -> {
            DocPage page = DocPage.read(file);
            try (DocRun run = new DocRun(page, Files.createDirectories(temp.resolve(file.getFileName().toString())), root(),
                    DocsExamplesTest::kafka, DocsExamplesTest::demo, COUNTS)) {
                run.run();
            }
        }));
    }
}
