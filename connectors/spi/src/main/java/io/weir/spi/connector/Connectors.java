package io.weir.spi.connector;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;

/** Finds {@link ConnectorFactory} implementations on the class path. */
public final class Connectors {
    private Connectors() {
    }

    /** Every connector on the class path of {@code classLoader}, sorted by name. */
    public static List<ConnectorFactory> all(ClassLoader classLoader) {
        List<ConnectorFactory> factories = new ArrayList<>();
        ServiceLoader.load(ConnectorFactory.class, classLoader).forEach(factories::add);
        factories.sort(Comparator.comparing(ConnectorFactory::name));
        return List.copyOf(factories);
    }

    public static List<ConnectorFactory> all() {
        return all(Connectors.class.getClassLoader());
    }

    /** The connector named {@code name} (ignoring case), or an error listing the available ones. */
    public static ConnectorFactory find(String name, ClassLoader classLoader) {
        List<ConnectorFactory> factories = all(classLoader);
        for (ConnectorFactory factory : factories) {
            if (factory.name().equalsIgnoreCase(name.trim())) {
                return factory;
            }
        }
        throw new WeirException(ErrorCode.UNKNOWN_CONNECTOR, "Unknown connector '" + name + "'. Available connectors: "
                + String.join(", ", factories.stream().map(ConnectorFactory::name).toList()));
    }

    public static ConnectorFactory find(String name) {
        return find(name, Connectors.class.getClassLoader());
    }
}
