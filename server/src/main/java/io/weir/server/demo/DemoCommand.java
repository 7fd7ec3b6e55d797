package io.weir.server.demo;

import io.weir.server.config.ServerConfigLoader;
import io.weir.server.config.ServerOption;
import io.weir.server.config.ServerOptions;
import io.weir.server.launcher.WeirCommand;
import io.weir.server.meta.ServerVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import static java.util.Objects.requireNonNull;

/**
 * {@code weir demo}: the sample application in one command. Starts an embedded Kafka broker, a
 * web-log generator writing to it and the Weir server (with the same settings as {@code weir}),
 * registers the demo streams and prints queries to paste into bin/weir-sql; runs until SIGINT or
 * SIGTERM, then stops the server, the generator and the broker.
 */
@Command(name = "demo",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = {
            "Starts the Weir server together with an embedded single-node Kafka broker (data in <data-dir>/"
                    + Demo.KAFKA_DIR + "; the demo's data directory is ./" + Demo.DEFAULT_DATA_DIR + " unless --data-dir"
                    + " says otherwise, apart from bin/weir's ./data) and a generator writing web-server log events as JSON into topic '"
                    + DemoStreams.WEBLOGS + "'. Registers streams '" + DemoStreams.WEBLOGS + "' and '" + DemoStreams.ALERTS
                    + "' and prints queries to paste into bin/weir-sql. Ctrl-C stops everything."})
public final class DemoCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(DemoCommand.class);
    /**
     * The demo keeps its data apart from the plain server's ({@code ./data}): its streams and persistent
     * queries (over its embedded broker) would otherwise be restored by {@code bin/weir}.
     */
    private static final Map<ServerOption<?>, String> DEFAULTS = Map.of(ServerOptions.DATA_DIR, Demo.DEFAULT_DATA_DIR);

    @Option(names = Demo.KAFKA_PORT_FLAG, paramLabel = "N", defaultValue = "" + DemoSettings.DEFAULT_KAFKA_PORT,
            description = "Port of the embedded Kafka broker on 127.0.0.1. Default: ${DEFAULT-VALUE}.")
    private int kafkaPort;

    @Option(names = "--rate", paramLabel = "N", defaultValue = "200",
            description = "Web-log events written to topic '" + DemoStreams.WEBLOGS + "' a second. Default: ${DEFAULT-VALUE}.")
    private double rate;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Config file (Java properties) with server settings by key, as for weir. Environment variable: "
                    + ServerOptions.CONFIG_FILE_ENV + ".")
    private Path configFile;

    @Spec
    private CommandSpec spec;

    private final Map<ServerOption<?>, String> flags = new LinkedHashMap<>();
    private final Map<String, String> environment;

    private DemoCommand(Map<String, String> environment) {
        this.environment = Map.copyOf(requireNonNull(environment, "environment is null"));
    }

    /** The {@code demo} subcommand, with the server's flags (--port, --data-dir, ...) next to its own. */
    public static CommandLine commandLine(Map<String, String> environment) {
        CommandLine commandLine = new CommandLine(new DemoCommand(environment));
        WeirCommand.addServerOptions(commandLine, ((DemoCommand) commandLine.getCommand()).flags, DEFAULTS);
        return commandLine;
    }

    /** Where the demo keeps its data, and that the plain server does not see it. */
    static String dataDirNote(Path dataDir) {
        return "The demo keeps its catalog, persistent queries and Kafka data in " + dataDir + ", apart from bin/weir's"
                + " (./data by default): its streams and queries, which need the demo's broker, do not appear there.";
    }

    @Override
    public Integer call() throws Exception {
        if (kafkaPort < 0 || kafkaPort > 65_535) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    Demo.KAFKA_PORT_FLAG + " must be a port number (0 to 65535), not " + kafkaPort);
        }
        if (!(rate > 0) || Double.isInfinite(rate)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--rate must be a positive number of events a second");
        }
        Demo demo = Demo.start(ServerConfigLoader.load(flags, configFile, environment, DEFAULTS), new DemoSettings(kafkaPort, rate));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("Shutting down the demo");
            try {
                demo.close();
                LOG.info("Stopped");
            } finally {
                stopped.countDown();
            }
        }, "weir-demo-shutdown"));
        LOG.info("Weir {} listening on {} (data dir {})", ServerVersion.VERSION, demo.server().httpUrl(),
                demo.server().config().dataDir());
        PrintWriter out = spec.commandLine().getOut();
        out.println();
        out.print(demo.examples());
        out.println(dataDirNote(demo.server().config().dataDir()));
        out.flush();
        stopped.await();
        return 0;
    }
}
