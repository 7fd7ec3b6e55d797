package io.weir.server.config;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * Reads the {@link ServerConfig} from, in order of precedence: command-line flags, environment
 * variables, the config file, the defaults.
 *
 * <p>The config file is a Java properties file (UTF-8) with the settings' keys, e.g.
 * {@code server.port=9000}; it is named by {@code --config} or else by {@code WEIR_CONFIG}. An
 * unknown key or a bad value anywhere fails with an error naming the setting and where it came from.
 * An empty environment variable counts as unset.
 */
public final class ServerConfigLoader {
    private static final Logger LOG = LoggerFactory.getLogger(ServerConfigLoader.class);

    private ServerConfigLoader() {
    }

    /**
     * @param flags          values given on the command line, by setting
     * @param configFileFlag the {@code --config} argument, or null
     * @param environment    the environment variables (e.g. {@link System#getenv()})
     * @throws WeirException INVALID_OPTION_VALUE or UNKNOWN_OPTION, saying which setting and source
     */
    public static ServerConfig load(Map<ServerOption<?>, String> flags, Path configFileFlag,
            Map<String, String> environment) {
        return load(flags, configFileFlag, environment, Map.of());
    }

    /**
     * As {@link #load(Map, Path, Map)}, with other defaults for some settings (a command such as
     * {@code weir demo} that keeps its data apart): they apply where no flag, variable or file sets one.
     *
     * @param defaults default values as text, by setting
     */
    public static ServerConfig load(Map<ServerOption<?>, String> flags, Path configFileFlag,
            Map<String, String> environment, Map<ServerOption<?>, String> defaults) {
        requireNonNull(flags, "flags is null");
        requireNonNull(defaults, "defaults is null");
        requireNonNull(environment, "environment is null");
        Properties file = new Properties();
        String fileSource = null;
        Path configFile = configFileFlag;
        String configFileOrigin = "--config";
        if (configFile == null && !isBlank(environment.get(ServerOptions.CONFIG_FILE_ENV))) {
            configFile = Path.of(environment.get(ServerOptions.CONFIG_FILE_ENV).trim());
            configFileOrigin = "environment variable " + ServerOptions.CONFIG_FILE_ENV;
        }
        if (configFile != null) {
            file = readConfigFile(configFile, configFileOrigin);
            fileSource = "config file " + configFile;
            LOG.info("Settings from config file {} ({} set)", configFile, file.size());
        }

        ServerConfig.Builder builder = ServerConfig.builder();
        for (ServerOption<?> option : ServerOptions.all()) {
            resolve(option, flags, environment, file, fileSource, defaults, builder);
        }
        String adminPassword = environment.get(ServerOptions.ADMIN_PASSWORD_ENV);
        if (adminPassword != null && !adminPassword.isEmpty()) {
            builder.adminPassword(java.util.Optional.of(new Secret(adminPassword)));
        }
        return builder.build();
    }

    private static <T> void resolve(ServerOption<T> option, Map<ServerOption<?>, String> flags,
            Map<String, String> environment, Properties file, String fileSource, Map<ServerOption<?>, String> defaults,
            ServerConfig.Builder builder) {
        String flag = flags.get(option);
        if (flag != null) {
            builder.set(option, option.parse(flag, option.flag()));
            return;
        }
        String env = environment.get(option.envVariable());
        if (!isBlank(env)) {
            builder.set(option, option.parse(env, "environment variable " + option.envVariable()));
            return;
        }
        String fromFile = file.getProperty(option.key());
        if (fromFile != null) {
            builder.set(option, option.parse(fromFile, fileSource));
            return;
        }
        String otherDefault = defaults.get(option);
        if (otherDefault != null) {
            builder.set(option, option.parse(otherDefault, "the default"));
        }
    }

    private static Properties readConfigFile(Path path, String origin) {
        if (!Files.isRegularFile(path)) {
            throw new WeirException(ErrorCode.INVALID_OPTION_VALUE,
                    "Config file " + path.toAbsolutePath() + " (from " + origin + ") does not exist or is not a file");
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException | IllegalArgumentException e) {
            throw new WeirException(ErrorCode.INVALID_OPTION_VALUE,
                    "Cannot read config file " + path.toAbsolutePath() + " (from " + origin + "): " + e.getMessage(), e);
        }
        for (String key : new TreeSet<>(properties.stringPropertyNames())) {
            if (ServerOptions.byKey(key).isEmpty()) {
                throw new WeirException(ErrorCode.UNKNOWN_OPTION, "Unknown setting '" + key + "' in config file "
                        + path.toAbsolutePath() + ". Known settings: " + ServerOptions.all().stream()
                        .map(ServerOption::key).collect(Collectors.joining(", ")));
            }
        }
        LOG.info("Settings read from {}", path.toAbsolutePath());
        return properties;
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
