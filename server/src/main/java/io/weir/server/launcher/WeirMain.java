package io.weir.server.launcher;

import io.weir.server.config.ServerConfig;
import io.weir.server.config.ServerOptions;
import io.weir.server.demo.DemoCommand;
import io.weir.server.meta.ServerVersion;
import io.weir.server.meta.WeirMeta;
import io.weir.server.tls.ServerTls;
import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.BindException;
import java.nio.file.Files;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * {@code bin/weir}: reads the settings, opens the catalog in the data directory, serves it until the
 * process gets SIGTERM or SIGINT, then shuts down gracefully (HTTP server first, then the Meta).
 *
 * <p>Exit codes: 0 after a normal stop or --help/--version, 1 when the server cannot start (e.g.
 * the port is in use), 2 for bad settings or arguments. Errors are one line on stderr; the stack
 * trace is logged only at DEBUG level ({@code WEIR_LOG_LEVEL=DEBUG}).
 */
public final class WeirMain {
    private static final Logger LOG = LoggerFactory.getLogger(WeirMain.class);
    static final int EXIT_START_FAILED = 1;
    static final int EXIT_BAD_SETTINGS = 2;

    private WeirMain() {
    }

    public static void main(String[] args) {
        int exitCode = run(args, System.getenv());
        if (exitCode != 0) {
            System.exit(exitCode);
        }
    }

    static int run(String[] args, Map<String, String> environment) {
        return run(args, environment, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
    }

    /** Runs the {@code weir} command, returning its exit code once the server has stopped. */
    static int run(String[] args, Map<String, String> environment, PrintWriter out, PrintWriter err) {
        CommandLine commandLine = WeirCommand.commandLine(WeirMain::serve, environment);
        // Added before the settings below, which picocli passes on to the subcommands present.
        commandLine.addSubcommand(DemoCommand.commandLine(environment));
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setExecutionExceptionHandler((failure, cmd, parseResult) -> {
            cmd.getErr().println(cmd.getColorScheme().errorText("weir: " + oneLineMessage(failure)));
            LOG.debug("Start-up failed", failure);
            return isBadSetting(failure) ? EXIT_BAD_SETTINGS : EXIT_START_FAILED;
        });
        return commandLine.execute(args);
    }

    private static int serve(ServerConfig config) throws IOException, InterruptedException {
        if (config.tls()) {
            // Checked before the catalog opens and persistent queries start, so a bad file changes nothing.
            ServerTls.load(config.tlsCert().orElseThrow(), config.tlsKey().orElseThrow());
        }
        createDataDir(config);
        WeirMeta meta = new WeirMeta(config);
        WeirServer server;
        try {
            server = WeirServer.start(config, meta);
        } catch (IOException | RuntimeException | Error e) {
            meta.close();
            throw e;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("Shutting down");
            try {
                server.close();
                LOG.info("Stopped");
            } finally {
                stopped.countDown();
            }
        }, "weir-shutdown"));
        LOG.info("Weir {} listening on {} (data dir {})", ServerVersion.VERSION, server.httpUrl(), config.dataDir());
        server.tls().ifPresent(tls -> LOG.info("TLS certificate {} (valid until {}) from {}, key from {}; both are read "
                + "again when they change", tls.certificate().getSubjectX500Principal().getName(),
                tls.certificate().getNotAfter().toInstant(), config.tlsCert().orElseThrow(), config.tlsKey().orElseThrow()));
        stopped.await();
        return 0;
    }

    private static void createDataDir(ServerConfig config) {
        try {
            Files.createDirectories(config.dataDir());
        } catch (IOException e) {
            throw new WeirException(ErrorCode.INVALID_OPTION_VALUE, "Cannot create the data directory "
                    + config.dataDir() + " (" + ServerOptions.DATA_DIR.key() + "): " + e, e);
        }
    }

    private static boolean isBadSetting(Exception failure) {
        return failure instanceof WeirException weir && (weir.errorCode() == ErrorCode.INVALID_OPTION_VALUE
                || weir.errorCode() == ErrorCode.UNKNOWN_OPTION);
    }

    private static String oneLineMessage(Exception failure) {
        if (failure instanceof BindException) {
            return failure.getMessage() + ". Stop the other process or choose another port with "
                    + ServerOptions.PORT.flag() + " or " + ServerOptions.PORT.envVariable() + ".";
        }
        String message = failure.getMessage();
        return message == null || message.isBlank() ? failure.toString() : message.lines().findFirst().orElse(message);
    }
}
