package io.weir.server.launcher;

import io.weir.server.config.ServerConfig;
import io.weir.server.config.OptionType;
import io.weir.server.config.ServerConfigLoader;
import io.weir.server.config.ServerOption;
import io.weir.server.config.ServerOptions;
import io.weir.server.meta.ServerVersion;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import static java.util.Objects.requireNonNull;

/**
 * The {@code weir} command: reads the server settings (flags, environment, config file, defaults; see
 * {@link ServerConfigLoader}) and hands them to a {@link Runner}. One flag per {@link ServerOptions}
 * entry is generated, so flags, help and docs never drift apart. Subcommands (e.g. {@code weir demo})
 * can be added to the {@link CommandLine} this returns.
 */
@Command(name = "weir",
        mixinStandardHelpOptions = true,
        versionProvider = WeirCommand.Version.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = "Starts the Weir streaming SQL server. JDBC clients connect with jdbc:weir://HOST:PORT.",
        footerHeading = "%n",
        footer = {
            "Each setting can also be given as an environment variable or as a key in the config file "
                    + "(Java properties format); flags win over environment variables, which win over the "
                    + "config file. The config file is named by --config or by " + ServerOptions.CONFIG_FILE_ENV
                    + ".",
            "Durations: 500ms, 30s, 5m, 1h, 1d or ISO-8601 (PT30S). Sizes: bytes, or KiB, MiB, GiB."})
public final class WeirCommand implements Callable<Integer> {
    /** What to do with the settings once read: run the server until it stops, return an exit code. */
    @FunctionalInterface
    public interface Runner {
        int run(ServerConfig config) throws Exception;
    }

    @Option(names = "--config", paramLabel = "FILE",
            description = "Config file (Java properties) with settings by key, e.g. server.port=9000. "
                    + "Environment variable: " + ServerOptions.CONFIG_FILE_ENV + ".")
    private Path configFile;

    private final Map<ServerOption<?>, String> flags = new LinkedHashMap<>();
    private final Runner runner;
    private final Map<String, String> environment;

    private WeirCommand(Runner runner, Map<String, String> environment) {
        this.runner = requireNonNull(runner, "runner is null");
        this.environment = Map.copyOf(requireNonNull(environment, "environment is null"));
    }

    /**
     * The {@code weir} command line.
     *
     * @param runner      runs the server with the settings read
     * @param environment the environment variables to read settings from (normally {@link System#getenv()})
     */
    public static CommandLine commandLine(Runner runner, Map<String, String> environment) {
        WeirCommand command = new WeirCommand(runner, environment);
        CommandLine commandLine = new CommandLine(command);
        addServerOptions(commandLine, command.flags);
        return commandLine;
    }

    /**
     * Adds one flag per {@link ServerOptions} entry to {@code commandLine}; the values given are put
     * into {@code flags} as text, for {@link ServerConfigLoader#load}. Commands that start a server
     * (such as {@code weir demo}) share the flags this way.
     */
    public static void addServerOptions(CommandLine commandLine, Map<ServerOption<?>, String> flags) {
        addServerOptions(commandLine, flags, Map.of());
    }

    /**
     * As {@link #addServerOptions(CommandLine, Map)}, for a command whose defaults differ for some
     * settings (shown in the help; pass the same to {@link ServerConfigLoader#load(Map, Path, Map, Map)}).
     */
    public static void addServerOptions(CommandLine commandLine, Map<ServerOption<?>, String> flags,
                                        Map<ServerOption<?>, String> defaults) {
        requireNonNull(flags, "flags is null");
        requireNonNull(defaults, "defaults is null");
        for (ServerOption<?> option : ServerOptions.all()) {
            String defaultText = defaults.getOrDefault(option, option.defaultText());
            boolean flagAlone = option.type() instanceof OptionType.BooleanType;
            OptionSpec.Builder spec = OptionSpec.builder(option.flag());
            if (flagAlone) {
                // a boolean flag alone means true (--insecure); --insecure=false is still accepted
                spec.arity("0..1").fallbackValue("true");
            } else {
                spec.arity("1");
            }
            commandLine.getCommandSpec().addOption(spec
                    .paramLabel(paramLabel(option))
                    .type(String.class)
                    // picocli formats descriptions with String.format: a literal % (as in "60%") is written %%
                    .description((option.description() + defaultSentence(defaultText)
                            + " Environment: " + option.envVariable() + ". Config key: " + option.key() + ".")
                            .replace("%", "%%"))
                    .setter(new CommandLine.Model.ISetter() {
                        @Override
                        public <T> T set(T value) {
                            // Kept as text: ServerConfigLoader reads it, so errors name the setting.
                            flags.put(option, (String) value);
                            return null;
                        }
                    })
                    .build());
        }
    }

    @Override
    public Integer call() throws Exception {
        return runner.run(ServerConfigLoader.load(flags, configFile, environment));
    }

    /** " Default: 30s." or, for a setting unset by default (such as --tls-cert), nothing. */
    private static String defaultSentence(String defaultText) {
        return defaultText.isEmpty() ? "" : " Default: " + defaultText + ".";
    }

    private static String paramLabel(ServerOption<?> option) {
        String name = option.flag().substring(2);
        if (name.startsWith("tls-")) {
            return "PEM_FILE";
        }
        if (name.contains("file")) {
            return "FILE";
        }
        if (option.type() instanceof OptionType.BooleanType) {
            return "true|false";
        }
        if (name.contains("timeout") || name.contains("interval") || name.contains("wait")) {
            return "DURATION";
        }
        if (name.contains("bytes")) {
            return "SIZE";
        }
        if (name.contains("threads") || name.equals("port")) {
            return "N";
        }
        if (name.contains("dir")) {
            return "DIR";
        }
        if (name.contains("memory")) {
            return "SIZE|PERCENT";
        }
        return "ADDRESS";
    }

    /** {@code weir --version}. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"Weir " + ServerVersion.VERSION};
        }
    }
}
