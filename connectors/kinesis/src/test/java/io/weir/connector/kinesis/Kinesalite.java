package io.weir.connector.kinesis;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * kinesalite, an implementation of the Kinesis API in JavaScript (npm package pinned in
 * {@code src/test/resources/kinesalite} of the kinesis connector, read from the class path so that server tests use it too),
 * run by the machine's Node.js on a free port: installed with {@code npm ci} under the module's {@code target/} on first use
 * ({@code .ci/run} installs Node.js where it is missing; tests are skipped where node or npm are absent). Streams
 * are created, split and merged at once ({@code --createStreamMs 0}). With a data directory it keeps its streams
 * on disk (LevelDB), so it can be stopped and started again with its records.
 */
public final class Kinesalite implements AutoCloseable {
    private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(3);
    private static final Object INSTALL_LOCK = new Object();
    private static Kinesalite shared;

    private final Path script;
    private final Optional<Path> dataDirectory;
    private final int port;
    private Process process;

    private Kinesalite(Path script, Optional<Path> dataDirectory, int port) {
        this.script = script;
        this.dataDirectory = dataDirectory;
        this.port = port;
    }

    /** One emulator for the test JVM, in memory, stopped when the JVM exits. */
    public static synchronized Kinesalite shared() throws Exception {
        if (shared == null) {
            shared = start(Optional.empty());
            Kinesalite stopping = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(stopping::close));
        }
        return shared;
    }

    /** A new emulator; with a data directory it keeps its streams there across {@link #stop()} and {@link #restart()}. */
    public static Kinesalite start(Optional<Path> dataDirectory) throws Exception {
        Optional<Path> node = onPath("node");
        Optional<Path> npm = onPath("npm");
        assumeTrue(node.isPresent() && npm.isPresent(), "Node.js and npm are not installed (Debian: apt-get install nodejs npm);"
                + " .ci/run installs them");
        Path script = install(npm.get());
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Kinesalite kinesalite = new Kinesalite(script, dataDirectory, port);
        kinesalite.restart();
        return kinesalite;
    }

    private static Optional<Path> onPath(String program) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .map(directory -> Path.of(directory, program)).filter(Files::isExecutable).findFirst();
    }

    private static Path install(Path npm) throws Exception {
        synchronized (INSTALL_LOCK) {
            Path directory = Files.createDirectories(Path.of("target/kinesalite"));
            for (String file : List.of("package.json", "package-lock.json")) {
                try (var in = Kinesalite.class.getResourceAsStream("/kinesalite/" + file)) {
                    assertThat(in).as("kinesalite/" + file + " on the class path").isNotNull();
                    Files.copy(in, directory.resolve(file), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            Path cli = directory.resolve("node_modules/kinesalite/cli.js");
            if (!Files.isRegularFile(cli)) {
                Process install = new ProcessBuilder(npm.toString(), "ci", "--no-audit", "--no-fund")
                        .directory(directory.toFile()).redirectErrorStream(true).start();
                String output = new String(install.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(install.waitFor(INSTALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS)).as(output).isTrue();
                assertThat(install.exitValue()).as("npm ci: " + output).isZero();
            }
            return cli;
        }
    }

    /** Starts the emulator (again) on its port and waits until it accepts connections. */
    public synchronized void restart() throws IOException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("kinesalite is running");
        }
        List<String> command = new ArrayList<>(List.of("node", script.toString(), "--port", Integer.toString(port),
                "--createStreamMs", "0", "--deleteStreamMs", "0", "--updateStreamMs", "0", "--shardLimit", "100"));
        if (dataDirectory.isPresent()) {
            command.add("--path");
            command.add(dataDirectory.get().toString());
        }
        Path log = Files.createTempFile("kinesalite", ".log");
        process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        await("kinesalite listening on " + port).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("kinesalite exited: " + Files.readString(log));
                    }
                    try (Socket socket = new Socket()) {
                        socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                        return true;
                    } catch (IOException e) {
                        return false;
                    }
                });
    }

    /** Stops the emulator (its port refuses connections until {@link #restart()}). */
    public synchronized void stop() {
        if (process != null) {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        stop();
    }
}
