package io.weir.jdbc;

import org.apache.calcite.avatica.BuiltInConnectionProperty;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The connection property names the driver knows: its own ({@link DriverProperty}) and the settings
 * of Avatica's client, which it passes on (names ignore case, as Avatica's do). For the others, a
 * message saying which known name was probably meant.
 */
final class KnownProperties {
    private static final List<String> WEIR = java.util.Arrays.stream(DriverProperty.values())
            .map(DriverProperty::key).toList();
    /** Avatica's client settings, less those Weir's driver documents itself and the server address it derives. */
    private static final List<String> AVATICA = java.util.Arrays.stream(BuiltInConnectionProperty.values())
            .map(BuiltInConnectionProperty::camelName)
            .filter(name -> !name.equalsIgnoreCase(ConnectionSettings.AVATICA_URL))
            .filter(name -> WEIR.stream().noneMatch(name::equalsIgnoreCase))
            .toList();

    private KnownProperties() {
    }

    static boolean isKnown(String name) {
        return WEIR.stream().anyMatch(name::equalsIgnoreCase) || AVATICA.stream().anyMatch(name::equalsIgnoreCase);
    }

    /** The names in {@code names} that are not known, in their order. */
    static List<String> unknown(Collection<String> names) {
        return names.stream().filter(name -> !isKnown(name)).toList();
    }

    /**
     * What is wrong with {@code unknown} names, each with the known name probably meant, and which
     * names are known: "Unknown connection property 'fetchsize' (did you mean 'fetch_size'?). Weir's
     * driver takes ..."
     */
    static String describe(List<String> unknown) {
        String names = unknown.stream()
                .map(name -> "'" + name + "'" + suggestion(name).map(known -> " (did you mean '" + known + "'?)").orElse(""))
                .collect(Collectors.joining(", "));
        return "Unknown connection propert" + (unknown.size() == 1 ? "y " : "ies ") + names + ". Weir's driver takes "
                + String.join(", ", WEIR) + "; and Avatica's client settings " + String.join(", ", AVATICA) + ".";
    }

    /** The known name {@code name} is most likely a misspelling of, if one is close. */
    static Optional<String> suggestion(String name) {
        String wanted = normalized(name);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        Set<String> known = new LinkedHashSet<>(WEIR);
        known.addAll(AVATICA);
        for (String candidate : known) {
            int distance = distance(wanted, normalized(candidate));
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        // close: the same letters but for separators and case, or up to two edits (one for short names)
        return bestDistance <= Math.min(2, wanted.length() / 4) ? Optional.ofNullable(best) : Optional.empty();
    }

    private static String normalized(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    }

    /** Levenshtein distance. */
    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    /** The known names, Weir's first, for documentation and tests. */
    static List<String> all() {
        List<String> all = new ArrayList<>(WEIR);
        all.addAll(AVATICA);
        return all;
    }
}
