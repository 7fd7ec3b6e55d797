package io.weir.server.crash;

import io.weir.server.launcher.WeirMain;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * The real Weir server ({@code bin/weir}'s main class) in a child JVM on this JVM's classpath, on a
 * data directory that outlives it: started, killed with SIGKILL, started again. Every start binds a
 * free port, which it reads from the server's "listening on" log line. The child's stdout and stderr
 * go to one log file, with a line between starts, so that a failure can show what the server said.
 */
final class ServerProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("listening on http://([^\\s/]+):(\\d+)");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Path dataDir;
    private final Path log;
    private final List<String> serverArgs;
    /** More flags per start (1 for the first), e.g. another {@code --parallelism} after each kill. */
    private final java.util.function.IntFunction<List<String>> startArgs;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    /** Kills the child if this JVM exits without closing it (a test run interrupted). */
    private final Thread killOnExit = new Thread(this::destroy, "kill-weir-child");
    private Process process;
    /** Read by threads that feed the server (HTTP ingest) while the test thread restarts it. */
    private volatile int port;
    private int starts;

    private ServerProcess(Path dataDir, Path log, List<String> serverArgs, java.util.function.IntFunction<List<String>> startArgs) {
        this.dataDir = requireNonNull(dataDir, "dataDir is null");
        this.log = requireNonNull(log, "log is null");
        this.serverArgs = List.copyOf(serverArgs);
        this.startArgs = requireNonNull(startArgs, "startArgs is null");
        Runtime.getRuntime().addShutdownHook(killOnExit);
    }

    /**
     * Starts the server on {@code dataDir} and waits until it answers {@code GET /health}.
     *
     * @param serverArgs more {@code weir} flags, e.g. {@code --batch-interval 100ms}
     */
    static ServerProcess start(Path dataDir, Path log, List<String> serverArgs) {
        return start(dataDir, log, serverArgs, start -> List.of());
    }

    /**
     * As {@link #start(Path, Path, List)}, with {@code startArgs} more flags for each start (1 for the
     * first, 2 after the first kill, ...).
     */
    static ServerProcess start(Path dataDir, Path log, List<String> serverArgs, java.util.function.IntFunction<List<String>> startArgs) {
        ServerProcess server = new ServerProcess(dataDir, log, serverArgs, startArgs);
        try {
            server.startChild();
        } catch (RuntimeException | Error e) {
            server.close();
            throw e;
        }
        return server;
    }

    /**
     * {@code --parallelism} 2, then 1, then 3, over and over: queries checkpointed at one parallelism
     * restart at another after each kill, whatever the machine's cores.
     */
    static List<String> rescaling(int start) {
        return List.of("--parallelism", String.valueOf(new int[] {2, 1, 3}[(start - 1) % 3]));
    }

    /** Sends SIGKILL (no shutdown hook runs, nothing is flushed) and waits until the process is gone. */
    void kill() {
        requireNonNull(process, "not started");
        process.destroyForcibly(); // SIGKILL on Linux and macOS
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new AssertionError("The server (pid " + process.pid() + ") did not die within 30 s of SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("Interrupted while killing the server", e);
        }
    }

    /** Starts the server again on the same data directory (on a new port); call after {@link #kill()}. */
    void restart() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("the server is still running (pid " + process.pid() + ")");
        }
        startChild();
    }

    int port() {
        return port;
    }

    String jdbcUrl() {
        return "jdbc:weir://127.0.0.1:" + port;
    }

    /** How many times the server was started. */
    int starts() {
        return starts;
    }

    Path log() {
        return log;
    }

    /** The last {@code lines} lines the server logged, over all its starts. */
    String logTail(int lines) {
        try {
            List<String> all = Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.of();
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    /** Log lines, over all starts, that contain {@code text}. */
    List<String> logLines(String text) {
        try {
            return Files.readAllLines(log, StandardCharsets.UTF_8).stream().filter(line -> line.contains(text)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Kills the server if it still runs. */
    @Override
    public void close() {
        destroy();
        try {
            Runtime.getRuntime().removeShutdownHook(killOnExit);
        } catch (IllegalStateException e) {
            // the JVM is exiting: the hook runs anyway
        }
    }

    private void destroy() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void startChild() {
        starts++;
        long logOffset;
        try {
            Files.createDirectories(log.getParent());
            Files.writeString(log, "===== start " + starts + " of the server on " + dataDir + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            logOffset = Files.size(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> command = new ArrayList<>(List.of(javaExecutable(), "-Xmx512m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                // the server's own logging configuration, as bin/weir runs it, not a logback-test.xml of a test jar
                "-Dlogback.configurationFile=logback.xml", "-cp", testClasspath(), WeirMain.class.getName(),
                "--bind", "127.0.0.1", "--port", "0", "--pg-port", "0", "--data-dir", dataDir.toString()));
        command.addAll(serverArgs);
        command.addAll(startArgs.apply(starts));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Map<String, String> environment = builder.environment();
        // the "listening on" line is read from the text log at INFO, whatever the caller's environment says
        environment.put("WEIR_LOG_FORMAT", "text");
        environment.put("WEIR_LOG_LEVEL", "INFO");
        environment.remove("WEIR_CONFIG");
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + command, e);
        }
        Await.until("the server (pid " + process.pid() + ") logs the port it listens on", START_TIMEOUT,
                () -> {
                    if (!process.isAlive()) {
                        throw new AssertionError("The server exited with code " + process.exitValue() + " while starting:\n"
                                + logTail(40));
                    }
                    return readPort(logOffset);
                }, () -> logTail(40));
        Await.until("the server on port " + port + " answers GET /health", START_TIMEOUT, this::healthy, () -> logTail(40));
    }

    private boolean readPort(long logOffset) throws IOException {
        byte[] bytes = Files.readAllBytes(log);
        String started = new String(bytes, (int) Math.min(logOffset, bytes.length),
                (int) Math.max(0, bytes.length - logOffset), StandardCharsets.UTF_8);
        Matcher matcher = LISTENING.matcher(started);
        if (!matcher.find()) {
            return false;
        }
        port = Integer.parseInt(matcher.group(2));
        return true;
    }

    private boolean healthy() throws IOException, InterruptedException {
        HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.discarding());
        return response.statusCode() == 200;
    }

    /**
     * The test JVM's classpath: the reactor modules' classes and every dependency, the server's runtime
     * classpath among them. Surefire names it in a property of its own when it boots from a manifest jar.
     */
    private static String testClasspath() {
        String surefire = System.getProperty("surefire.test.class.path");
        return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
    }

    private static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
