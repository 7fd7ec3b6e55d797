package io.weir.benchmarks;

import io.weir.server.launcher.WeirMain;

import java.io.IOException;
import java.io.Writer;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Recovery of a real server after SIGKILL, as the durable-state issue asks: a persistent query
 * ({@code INSERT INTO} a file sink, or with {@code --query view} a materialized view, which also keeps
 * every open window's current row) holding {@code --keys} keys (1,000,000) of window state (a one-hour
 * TUMBLE per key, open through the run) over a watched directory of JSON lines, checkpointing every
 * {@code --checkpoint-interval} (the default 10 s); the server process is killed with SIGKILL once its state
 * is checkpointed, {@code --missed} more events (1,000,000: 10 s of input at 100,000 events/s) are
 * added while it is down, and a new server process is started on the same data directory. Prints the
 * time from starting the process to the query RUNNING with its state restored ({@code sys.queries}
 * shows all keys in state), and the time from then until it has read the missed events.
 *
 * <p>Usage: {@code ServerRecoveryBenchmark [--keys N] [--missed N] [--query insert|view] [--checkpoint-interval '10 s']}. The server runs with this JVM's
 * class path and {@code -Xmx4g}; {@code -Dweir.keep=true} keeps the directory with its logs.
 */
public final class ServerRecoveryBenchmark {
    private static final Duration TIMEOUT = Duration.ofMinutes(10);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS", Locale.ROOT);
    private static final LocalDateTime START = LocalDateTime.of(2026, 1, 1, 0, 0);

    private final Path work;
    private final Path input;
    private final Path dataDir;
    private Process server;
    private int port;

    private ServerRecoveryBenchmark(Path work) throws IOException {
        this.work = work;
        this.input = Files.createDirectories(work.resolve("input"));
        this.dataDir = work.resolve("data");
    }

    public static void main(String[] args) throws Exception {
        int keys = 1_000_000;
        int missed = 1_000_000;
        boolean view = false;
        String interval = "10 s";
        for (int i = 0; i < args.length; i += 2) {
            switch (args[i]) {
                case "--keys" -> keys = Integer.parseInt(args[i + 1]);
                case "--missed" -> missed = Integer.parseInt(args[i + 1]);
                case "--query" -> view = switch (args[i + 1]) {
                    case "view" -> true;
                    case "insert" -> false;
                    default -> throw new IllegalArgumentException("--query insert|view");
                };
                case "--checkpoint-interval" -> interval = args[i + 1];
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + "; use --keys, --missed, --query insert|view, --checkpoint-interval '10 s'");
            }
        }
        Path work = ScratchDirectories.create("weir-recovery-benchmark");
        ServerRecoveryBenchmark benchmark = new ServerRecoveryBenchmark(work);
        try {
            benchmark.run(keys, missed, view, interval);
        } finally {
            benchmark.stopServer();
            if (Boolean.getBoolean("weir.keep")) {
                System.out.println("kept " + work + " (server logs server-*.log)");
                return;
            }
            try (Stream<Path> files = Files.walk(work)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    private void run(int keys, int missed, boolean view, String interval) throws Exception {
        writeEvents("a.json", 0, keys, keys);
        startServer("first");
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute("SET 'checkpoint.interval' = '" + interval + "'");
            statement.execute("CREATE STREAM events (k BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)"
                    + " WITH ('connector' = 'file', 'path' = '" + input + "', 'format' = 'json', 'watch' = 'true')");
            String query = "SELECT STREAM k, TUMBLE_START(ts, INTERVAL '1' HOUR) AS window_start, COUNT(*) AS events FROM events"
                    + " GROUP BY TUMBLE(ts, INTERVAL '1' HOUR), k";
            if (view) {
                // a view also keeps every open window's current row, restored with it
                statement.execute("CREATE MATERIALIZED VIEW counts AS " + query);
            } else {
                statement.execute("CREATE STREAM counts (k BIGINT, window_start TIMESTAMP(3), events BIGINT) WITH ("
                        + "'connector' = 'file', 'path' = '" + work.resolve("output") + "', 'format' = 'json')");
                statement.execute("INSERT INTO counts " + query);
            }
            await(() -> listed(statement).rowsIn() >= keys, "reading the first " + keys + " events");
            long read = listed(statement).lastCheckpoint();
            await(() -> listed(statement).lastCheckpoint() > read + 1, "a checkpoint of all keys");
            System.out.printf(Locale.ROOT, "the query holds %,d keys of window state (checkpoint %d)%n", listed(statement).stateRows(),
                    listed(statement).lastCheckpoint());
        }
        server.destroyForcibly(); // SIGKILL
        server.waitFor();
        writeEvents("b.json", keys, missed, keys);
        Instant started = Instant.now();
        startServer("second");
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            Duration connected = Duration.between(started, Instant.now());
            await(() -> listed(statement).state().equals("RUNNING"), "the query listed");
            Duration shown = Duration.between(started, Instant.now());
            await(() -> {
                Listed query = listed(statement);
                return query.state().equals("RUNNING") && query.stateRows() >= keys;
            }, "restoring the query");
            Duration restored = Duration.between(started, Instant.now());
            System.out.printf(Locale.ROOT, "server accepting connections after %,d ms, query listed after %,d ms%n",
                    connected.toMillis(), shown.toMillis());
            long total = (long) keys + missed;
            await(() -> listed(statement).rowsIn() >= total, "reading the missed events");
            Duration caughtUp = Duration.between(started, Instant.now()).minus(restored);
            System.out.printf(Locale.ROOT, "server process started -> query RUNNING with %,d keys restored: %,d ms; %,d missed events read"
                    + " %,d ms later%n", keys, restored.toMillis(), missed, caughtUp.toMillis());
        }
    }

    /** Events {@code from..from+count} over {@code keys} keys, a millisecond apart from 00:00, into the watched directory. */
    private void writeEvents(String name, long from, int count, int keys) throws IOException {
        Path temporary = work.resolve(name);
        try (Writer out = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8)) {
            for (long i = from; i < from + count; i++) {
                long key = (i * 7_919L) % keys;
                out.write("{\"k\":" + key + ",\"ts\":\"" + TIME.format(START.plusNanos(i % 3_000_000 * 1_000_000L)) + "\"}\n");
            }
        }
        Files.move(temporary, input.resolve(name), StandardCopyOption.ATOMIC_MOVE); // appears complete
    }

    private void startServer(String run) throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx4g",
                "-cp", System.getProperty("java.class.path"), WeirMain.class.getName(), "--port", String.valueOf(port), "--pg-port", "0",
                "--data-dir", dataDir.toString(), "--file-roots", work.toString()));
        server = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(work.resolve("server-" + run + ".log").toFile())).start();
    }

    private void stopServer() throws InterruptedException {
        if (server != null && server.isAlive()) {
            server.destroyForcibly();
            server.waitFor();
        }
    }

    private Connection connect() throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            try {
                return DriverManager.getConnection("jdbc:weir://127.0.0.1:" + port);
            } catch (SQLException e) {
                if (System.nanoTime() > deadline || !server.isAlive()) {
                    throw e;
                }
                Thread.sleep(20); // the server is starting
            }
        }
    }

    private record Listed(String state, long rowsIn, long stateRows, long lastCheckpoint) {
    }

    private static Listed listed(Statement statement) throws SQLException {
        // the view's query is the only one that stays listed (this one ends as it is read)
        try (ResultSet rows = statement.executeQuery("SELECT state, rows_in, state_rows, last_checkpoint FROM sys.queries"
                + " WHERE kind = 'PERSISTENT'")) {
            if (!rows.next()) {
                return new Listed("NONE", 0, 0, 0);
            }
            return new Listed(rows.getString(1), rows.getLong(2), rows.getLong(3), rows.getLong(4));
        }
    }

    @FunctionalInterface
    private interface Condition {
        boolean holds() throws SQLException;
    }

    private static void await(Condition condition, String what) throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(what + " took longer than " + TIMEOUT);
            }
            Thread.sleep(10); // a benchmark's poll, not a test's synchronization
        }
    }
}
