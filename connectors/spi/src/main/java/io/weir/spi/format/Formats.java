package io.weir.spi.format;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;

/** Finds {@link FormatFactory} implementations on the class path. */
public final class Formats {
    private Formats() {
    }

    /** Every format on the class path of {@code classLoader}, sorted by name. */
    public static List<FormatFactory> all(ClassLoader classLoader) {
        List<FormatFactory> factories = new ArrayList<>();
        ServiceLoader.load(FormatFactory.class, classLoader).forEach(factories::add);
        factories.sort(Comparator.comparing(FormatFactory::name));
        return List.copyOf(factories);
    }

    public static List<FormatFactory> all() {
        return all(Formats.class.getClassLoader());
    }

    /** The format named {@code name} (ignoring case), or an error listing the available formats. */
    public static FormatFactory find(String name, ClassLoader classLoader) {
        List<FormatFactory> factories = all(classLoader);
        String wanted = name.trim().toLowerCase(Locale.ROOT);
        for (FormatFactory factory : factories) {
            if (factory.name().equalsIgnoreCase(wanted)) {
                return factory;
            }
        }
        List<String> names = factories.stream().map(FormatFactory::name).toList();
        throw new WeirException(ErrorCode.UNKNOWN_FORMAT, "Unknown format '" + name + "'. Available formats: "
                + (names.isEmpty() ? "none (is weir-formats on the class path?)" : String.join(", ", names)));
    }

    public static FormatFactory find(String name) {
        return find(name, Formats.class.getClassLoader());
    }
}
