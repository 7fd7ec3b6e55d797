package io.weir.spi.option;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks user-written options against declared ones: every key must be declared (or fall under a
 * declared prefix), every required option present, every value of its type. Errors name the option
 * and, for a misspelt key, suggest the closest declared one.
 */
public final class OptionValidator {
    private OptionValidator() {
    }

    /**
     * @param owner what the options belong to, for messages, e.g. {@code connector 'file'}
     */
    public static OptionValues validate(String owner, Collection<ConfigOption> declared, Map<String, String> options) {
        Map<String, String> raw = new LinkedHashMap<>();
        Map<String, Object> parsed = new HashMap<>();
        for (Map.Entry<String, String> entry : options.entrySet()) {
            String key = OptionValues.normalize(entry.getKey());
            ConfigOption option = find(declared, key).orElseThrow(() -> unknownOption(owner, declared, entry.getKey()));
            raw.put(key, entry.getValue());
            if (!option.isPrefix()) {
                parsed.put(OptionValues.normalize(option.key()), OptionParsing.parse(option, entry.getValue()));
            }
        }
        for (ConfigOption option : declared) {
            if (option.required() && !raw.containsKey(OptionValues.normalize(option.key()))) {
                throw new WeirException(ErrorCode.MISSING_OPTION,
                        "Missing required option '" + option.key() + "' for " + owner + ": " + option.description()
                                + ". Add it to WITH (...), e.g. '" + option.key() + "' = '...'");
            }
        }
        return new OptionValues(raw, parsed);
    }

    private static Optional<ConfigOption> find(Collection<ConfigOption> declared, String key) {
        return declared.stream().filter(option -> option.matches(key)).findFirst();
    }

    private static WeirException unknownOption(String owner, Collection<ConfigOption> declared, String key) {
        StringBuilder message = new StringBuilder("Unknown option '").append(key).append("' for ").append(owner).append('.');
        closest(declared, key).ifPresent(option -> message.append(" Did you mean '").append(option).append("'?"));
        List<String> keys = new ArrayList<>();
        for (ConfigOption option : declared) {
            keys.add(option.isPrefix() ? option.key() + "*" : option.key());
        }
        message.append(" Supported options: ").append(String.join(", ", keys.stream().sorted().toList()));
        return new WeirException(ErrorCode.UNKNOWN_OPTION, message.toString());
    }

    private static Optional<String> closest(Collection<ConfigOption> declared, String key) {
        String lower = OptionValues.normalize(key);
        return declared.stream()
                .filter(option -> !option.isPrefix())
                .map(ConfigOption::key)
                .map(candidate -> Map.entry(candidate, editDistance(lower, candidate)))
                .filter(entry -> entry.getValue() <= Math.max(2, entry.getKey().length() / 3))
                .min(Comparator.comparingInt(Map.Entry::getValue))
                .map(Map.Entry::getKey);
    }

    private static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
