package io.weir.server.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Every server setting. Each can be given, in order of precedence, as a command-line flag, an
 * environment variable, a key in the config file ({@code --config FILE} or {@code WEIR_CONFIG}, Java
 * properties format), or left at its default.
 */
public final class ServerOptions {
    public static final ServerOption<String> BIND = new ServerOption<>(
            "server.bind", "WEIR_BIND", "--bind", "127.0.0.1",
            "Address the server listens on; 0.0.0.0 listens on every interface.",
            OptionType.host());

    public static final ServerOption<Integer> PORT = new ServerOption<>(
            "server.port", "WEIR_PORT", "--port", "8765",
            "TCP port for JDBC clients (HTTP); 0 picks a free port.",
            OptionType.integer(0, 65535));

    public static final ServerOption<Integer> PG_PORT = new ServerOption<>(
            "server.pg-port", "WEIR_PG_PORT", "--pg-port", "5433",
            "TCP port for PostgreSQL clients (psql, pgjdbc, psycopg, Grafana) on server.bind, beside the JDBC port; "
                    + "0 turns the PostgreSQL endpoint off.",
            OptionType.integer(0, 65535));

    public static final ServerOption<Path> DATA_DIR = new ServerOption<>(
            "server.data-dir", "WEIR_DATA_DIR", "--data-dir", "data",
            "Directory for the catalog and state; a relative path is resolved against the working directory.",
            OptionType.path());

    public static final ServerOption<Optional<Path>> TLS_CERT = new ServerOption<>(
            "server.tls-cert", "WEIR_TLS_CERT", "--tls-cert", "",
            "PEM file with the server's certificate, followed by any intermediate certificates; with "
                    + "server.tls-key the port serves HTTPS (TLS 1.2 and 1.3) and no plain HTTP. Both files are read "
                    + "again when they change: new connections get the new certificate, without a restart.",
            OptionType.optionalFile());

    public static final ServerOption<Optional<Path>> TLS_KEY = new ServerOption<>(
            "server.tls-key", "WEIR_TLS_KEY", "--tls-key", "",
            "PEM file with the private key of server.tls-cert's certificate (unencrypted: PKCS#8, PKCS#1 RSA or SEC1 EC); "
                    + "keep it readable by the server's user only.",
            OptionType.optionalFile());

    public static final ServerOption<Integer> IO_THREADS = new ServerOption<>(
            "server.io-threads", "WEIR_IO_THREADS", "--io-threads", "0",
            "Threads reading and writing network connections; 0 means twice the number of CPU cores.",
            OptionType.integer(0, 1024));

    public static final ServerOption<Integer> REQUEST_THREADS = new ServerOption<>(
            "server.request-threads", "WEIR_REQUEST_THREADS", "--request-threads", "64",
            "Threads executing client requests (planning, plain queries, metadata calls); a fetch waiting for the rows "
                    + "of a continuous query holds none.",
            OptionType.integer(1, 10_000));

    public static final ServerOption<Integer> MAX_REQUEST_BYTES = new ServerOption<>(
            "server.max-request-bytes", "WEIR_MAX_REQUEST_BYTES", "--max-request-bytes", "64MiB",
            "Largest request body accepted; larger requests are refused with HTTP 413.",
            OptionType.byteSize(1 << 10, Integer.MAX_VALUE));

    public static final ServerOption<Integer> MAX_HEADER_BYTES = new ServerOption<>(
            "server.max-header-bytes", "WEIR_MAX_HEADER_BYTES", "--max-header-bytes", "16KiB",
            "Largest HTTP request head accepted: all header lines together, and the request line on its own; past it "
                    + "the request is refused with HTTP 431 (headers) or 414 (request line).",
            OptionType.byteSize(1 << 10, 1 << 20));

    public static final ServerOption<Integer> MAX_STATEMENT_LENGTH = new ServerOption<>(
            "server.max-statement-length", "WEIR_MAX_STATEMENT_LENGTH", "--max-statement-length", "1048576",
            "Longest statement accepted, in characters; a longer one is refused with SQLSTATE 54000 before it is parsed.",
            OptionType.integer(1024, Integer.MAX_VALUE));

    public static final ServerOption<Integer> MAX_CONNECTIONS_PER_USER = new ServerOption<>(
            "limits.connections-per-user", "WEIR_MAX_CONNECTIONS_PER_USER", "--max-connections-per-user", "200",
            "Connections one user may hold open at once (all clients together on a server without users); one more is refused with SQLSTATE 53300.",
            OptionType.integer(1, 1_000_000));

    public static final ServerOption<Integer> MAX_PUSH_QUERIES_PER_USER = new ServerOption<>(
            "limits.push-queries-per-user", "WEIR_MAX_PUSH_QUERIES_PER_USER", "--max-push-queries-per-user", "100",
            "SELECT STREAM queries one user may run at once; one more is refused with SQLSTATE 53400.",
            OptionType.integer(1, 1_000_000));

    public static final ServerOption<Integer> MAX_PERSISTENT_QUERIES_PER_USER = new ServerOption<>(
            "limits.persistent-queries-per-user", "WEIR_MAX_PERSISTENT_QUERIES_PER_USER", "--max-persistent-queries-per-user", "100",
            "Persistent queries (INSERT INTO) one user may have running; one more is refused with SQLSTATE 53400.",
            OptionType.integer(1, 1_000_000));

    public static final ServerOption<Duration> SHUTDOWN_TIMEOUT = new ServerOption<>(
            "server.shutdown-timeout", "WEIR_SHUTDOWN_TIMEOUT", "--shutdown-timeout", "30s",
            "On shutdown, how long requests in progress may take to finish before they are abandoned.",
            OptionType.duration(Duration.ZERO, Duration.ofHours(1)));

    public static final ServerOption<Duration> BATCH_INTERVAL = new ServerOption<>(
            "query.batch-interval", "WEIR_BATCH_INTERVAL", "--batch-interval", "1s",
            "Default interval at which continuous queries process new input; sessions can override it.",
            OptionType.duration(Duration.ofMillis(1), Duration.ofDays(1)));

    public static final ServerOption<Duration> CHECKPOINT_INTERVAL = new ServerOption<>(
            "query.checkpoint-interval", "WEIR_CHECKPOINT_INTERVAL", "--checkpoint-interval", "10s",
            "Default interval at which persistent queries and materialized views checkpoint their state and source "
                    + "positions (0s: after every micro-batch); sessions can override it with 'checkpoint.interval'.",
            OptionType.duration(Duration.ZERO, Duration.ofDays(1)));

    public static final ServerOption<Duration> ALLOWED_LATENESS = new ServerOption<>(
            "query.allowed-lateness", "WEIR_ALLOWED_LATENESS", "--allowed-lateness", "0s",
            "Default time continuous queries, persistent queries and materialized views keep a fired window's state for late"
                    + " rows, which then correct its row (0s: none); sessions can override it with 'allowed-lateness'.",
            OptionType.duration(Duration.ZERO, Duration.ofDays(365)));

    /** The most tasks one query can run as (a task owns at least one key group). */
    public static final int MAX_PARALLELISM = 128;

    public static final ServerOption<Integer> PARALLELISM = new ServerOption<>(
            "query.parallelism", "WEIR_PARALLELISM", "--parallelism", "0",
            "Default number of tasks a continuous query, persistent query or materialized view runs as, in parallel on the "
                    + "server's worker threads (one per CPU core); 0 means the number of CPU cores. Sessions can override it "
                    + "with 'parallelism'. A persistent query or view restarted at another parallelism continues from its "
                    + "checkpoint.",
            OptionType.integer(0, MAX_PARALLELISM));

    public static final ServerOption<Long> STATE_MAX_MEMORY = new ServerOption<>(
            "state.max-memory", "WEIR_STATE_MAX_MEMORY", "--state-max-memory", "60%",
            "Memory the state of all queries (windows, groups, join buffers) may take together, as a percentage of the "
                    + "JVM's heap or a size; past it, a query holding more than its equal share fails with SQLSTATE 53200 "
                    + "instead of the server running out of memory.",
            OptionType.memory());

    public static final ServerOption<Duration> MAX_FETCH_WAIT = new ServerOption<>(
            "query.max-fetch-wait", "WEIR_MAX_FETCH_WAIT", "--max-fetch-wait", "5s",
            "Longest a fetch on a continuous query waits for new rows before answering with none; keep it far "
                    + "below the client's http_response_timeout (180s by default).",
            OptionType.duration(Duration.ZERO, Duration.ofMinutes(2)));

    public static final ServerOption<Duration> STATEMENT_TIMEOUT = new ServerOption<>(
            "statement.timeout", "WEIR_STATEMENT_TIMEOUT", "--statement-timeout", "5m",
            "Default of the session property 'statement.timeout': longest the server plans and runs a statement (a plain "
                    + "query's rows: each fetch) before cancelling it with SQLSTATE 57014; 0s for no limit.",
            OptionType.duration(Duration.ZERO, Duration.ofDays(1)));

    public static final ServerOption<Duration> SESSION_IDLE_TIMEOUT = new ServerOption<>(
            "server.session-idle-timeout", "WEIR_SESSION_IDLE_TIMEOUT", "--session-idle-timeout", "10m",
            "A connection whose client sends no request for this long, and none of whose statements is at work, is closed, "
                    + "with its statements and queries.",
            OptionType.duration(Duration.ofSeconds(1), Duration.ofDays(7)));

    public static final ServerOption<Optional<Path>> ADMIN_PASSWORD_FILE = new ServerOption<>(
            "auth.admin-password-file", "WEIR_ADMIN_PASSWORD_FILE", "--admin-password-file", "",
            "File holding the password of user 'admin' (created if missing, an admin; the password is set again at every "
                    + "start); giving one turns authentication on. Or set WEIR_ADMIN_PASSWORD to the password itself.",
            OptionType.optionalFile());

    public static final ServerOption<List<Path>> FILE_ROOTS = new ServerOption<>(
            "server.file-roots", "WEIR_FILE_ROOTS", "--file-roots", "",
            "Directories (comma-separated) under which the file connector and file sink may read and write; a 'path' "
                    + "outside them, or one leading out through '..' or a symbolic link, is refused, and a relative 'path' "
                    + "is resolved against the first. Empty: the data directory's files/ (created at start).",
            OptionType.pathList());

    public static final ServerOption<Boolean> INSECURE = new ServerOption<>(
            "server.insecure", "WEIR_INSECURE", "--insecure", "false",
            "Listen on an address other than loopback even without users (anyone who reaches the port may do anything); "
                    + "without it, such a server refuses to start.",
            OptionType.bool());

    /**
     * The environment variable holding the admin's password itself (not a setting of the config file or a flag,
     * which would show it to every user of the machine in its process list).
     */
    public static final String ADMIN_PASSWORD_ENV = "WEIR_ADMIN_PASSWORD";

    public static final ServerOption<List<String>> ALLOWED_HOSTS = new ServerOption<>(
            "server.allowed-hosts", "WEIR_ALLOWED_HOSTS", "--allowed-hosts", "",
            "Host names (comma-separated; '.example.com' for it and its subdomains, '*' for any) the HTTP port answers "
                    + "to, besides localhost and loopback addresses: a request naming another host (Host header) is "
                    + "refused with 403, so that a web page whose name an attacker points at this server (DNS "
                    + "rebinding) cannot use it. Empty: loopback names only when listening on a loopback address, any "
                    + "name otherwise.",
            OptionType.hostList());

    /** The environment variable naming the config file, when --config is not given. */
    public static final String CONFIG_FILE_ENV = "WEIR_CONFIG";

    private static final List<ServerOption<?>> ALL = List.of(BIND, PORT, PG_PORT, DATA_DIR, TLS_CERT, TLS_KEY, IO_THREADS, REQUEST_THREADS,
            MAX_REQUEST_BYTES, SHUTDOWN_TIMEOUT, SESSION_IDLE_TIMEOUT, BATCH_INTERVAL, CHECKPOINT_INTERVAL, ALLOWED_LATENESS, PARALLELISM, STATE_MAX_MEMORY, MAX_FETCH_WAIT,
            STATEMENT_TIMEOUT, ADMIN_PASSWORD_FILE, INSECURE, FILE_ROOTS, MAX_HEADER_BYTES,
            MAX_STATEMENT_LENGTH, MAX_CONNECTIONS_PER_USER, MAX_PUSH_QUERIES_PER_USER, MAX_PERSISTENT_QUERIES_PER_USER, ALLOWED_HOSTS);

    private ServerOptions() {
    }

    /** Every setting, in documentation order. */
    public static List<ServerOption<?>> all() {
        return ALL;
    }

    /** The setting with this config-file key. */
    public static Optional<ServerOption<?>> byKey(String key) {
        return ALL.stream().filter(option -> option.key().equals(key)).findFirst();
    }

    /** A Markdown table of every setting, for the documentation. */
    public static String markdownTable() {
        StringBuilder table = new StringBuilder()
                .append("| Key | Flag | Environment variable | Default | Description |\n")
                .append("|---|---|---|---|---|\n");
        for (ServerOption<?> option : ALL) {
            table.append("| `").append(option.key()).append("` | `").append(option.flag()).append("` | `")
                    .append(option.envVariable()).append("` | ")
                    .append(option.defaultText().isEmpty() ? "" : "`" + option.defaultText() + "`").append(" | ")
                    .append(option.description().replace("|", "\\|")).append(" |\n");
        }
        return table.toString();
    }
}
