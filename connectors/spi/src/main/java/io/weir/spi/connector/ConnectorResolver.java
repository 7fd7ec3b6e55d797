package io.weir.spi.connector;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.format.FormatFactory;
import io.weir.spi.format.Formats;
import io.weir.spi.option.ConfigOption;
import io.weir.spi.option.OptionValidator;
import io.weir.spi.option.OptionValues;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns the WITH options of a {@code CREATE STREAM/TABLE} into a {@link ResolvedConnector}: finds the
 * connector and the format, and validates every option against the union of {@link CommonOptions},
 * the connector's options and the format's options.
 */
public final class ConnectorResolver {
    private ConnectorResolver() {
    }

    public static ResolvedConnector resolve(Map<String, String> withOptions) {
        return resolve(withOptions, ConnectorResolver.class.getClassLoader());
    }

    public static ResolvedConnector resolve(Map<String, String> withOptions, ClassLoader classLoader) {
        String connectorName = rawValue(withOptions, CommonOptions.CONNECTOR.key()).orElseThrow(() -> {
            List<String> names = Connectors.all(classLoader).stream().map(ConnectorFactory::name).toList();
            return new WeirException(ErrorCode.MISSING_OPTION, "Missing required option 'connector'. Add it to WITH (...), "
                    + "e.g. 'connector' = '" + (names.isEmpty() ? "file" : names.get(0)) + "'. Available connectors: "
                    + String.join(", ", names));
        });
        ConnectorFactory connector = Connectors.find(connectorName, classLoader);
        Optional<FormatFactory> format = resolveFormat(connector, rawValue(withOptions, CommonOptions.FORMAT.key()), classLoader);

        List<ConfigOption> declared = new ArrayList<>();
        for (ConfigOption option : CommonOptions.all()) {
            if (option == CommonOptions.FORMAT) {
                if (!connector.usesFormat().supported()) {
                    continue;
                }
                option = connector.usesFormat().defaultFormatName().map(option::withDefault).orElse(option);
            }
            declared.add(option);
        }
        declared.addAll(connector.options());
        format.ifPresent(f -> declared.addAll(f.options()));
        checkNoDuplicates(declared, connector, format);

        String owner = "connector '" + connector.name() + "'" + format.map(f -> " with format '" + f.name() + "'").orElse("");
        OptionValues values = OptionValidator.validate(owner, declared, withOptions);
        return new ResolvedConnector(connector, format, values);
    }

    private static Optional<FormatFactory> resolveFormat(ConnectorFactory connector, Optional<String> requested,
                                                         ClassLoader classLoader) {
        FormatUsage usage = connector.usesFormat();
        if (!usage.supported()) {
            if (requested.isPresent()) {
                throw new WeirException(ErrorCode.UNKNOWN_OPTION, "Connector '" + connector.name()
                        + "' does not read a format: remove 'format' = '" + requested.get() + "' from WITH (...)");
            }
            return Optional.empty();
        }
        Optional<String> name = requested.or(usage::defaultFormatName);
        if (name.isEmpty()) {
            List<String> names = Formats.all(classLoader).stream().map(FormatFactory::name).toList();
            throw new WeirException(ErrorCode.MISSING_OPTION, "Missing required option 'format' for connector '"
                    + connector.name() + "'. Add it to WITH (...), e.g. 'format' = 'json'. Available formats: "
                    + String.join(", ", names));
        }
        return Optional.of(Formats.find(name.get(), classLoader));
    }

    private static Optional<String> rawValue(Map<String, String> options, String key) {
        return options.entrySet().stream()
                .filter(entry -> entry.getKey().trim().equalsIgnoreCase(key))
                .map(Map.Entry::getValue)
                .findFirst();
    }

    private static void checkNoDuplicates(List<ConfigOption> declared, ConnectorFactory connector,
                                          Optional<FormatFactory> format) {
        Set<String> keys = new HashSet<>();
        for (ConfigOption option : declared) {
            if (!keys.add(option.key().toLowerCase(java.util.Locale.ROOT))) {
                throw new WeirException(ErrorCode.INTERNAL_ERROR, "Option '" + option.key() + "' is declared twice by connector '"
                        + connector.name() + "'" + format.map(f -> ", format '" + f.name() + "'").orElse("")
                        + " or the common options");
            }
        }
    }
}
