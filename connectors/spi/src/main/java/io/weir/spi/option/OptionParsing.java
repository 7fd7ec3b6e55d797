package io.weir.spi.option;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses option values from the text users write into typed values. */
public final class OptionParsing {
    private static final Pattern DURATION = Pattern.compile(
            "\\s*(\\d+(?:\\.\\d+)?)\\s*(ms|millis|milliseconds?|s|sec|secs|seconds?|m|min|mins|minutes?|h|hours?|d|days?)?\\s*",
            Pattern.CASE_INSENSITIVE);

    private OptionParsing() {
    }

    /** Parses {@code text} as the option's type; a bad value raises an error naming the option. */
    public static Object parse(ConfigOption option, String text) {
        try {
            return switch (option.type()) {
                case STRING -> text;
                case INT -> Integer.parseInt(text.trim());
                case LONG -> Long.parseLong(text.trim());
                case DOUBLE -> Double.parseDouble(text.trim());
                case BOOLEAN -> parseBoolean(text);
                case DURATION -> parseDuration(text);
                case ENUM -> parseEnum(option, text);
                case LIST -> parseList(text);
            };
        } catch (IllegalArgumentException e) {
            throw new WeirException(ErrorCode.INVALID_OPTION_VALUE,
                    "Invalid value '" + text + "' for option '" + option.key() + "': expected " + expected(option));
        }
    }

    private static String expected(ConfigOption option) {
        return switch (option.type()) {
            case INT, LONG -> "a whole number";
            case DOUBLE -> "a number";
            case BOOLEAN -> "true or false";
            case DURATION -> "a duration such as '500 ms', '10 s', '5 min' or '1 h'";
            case ENUM -> "one of " + String.join(", ", option.allowedValues());
            default -> "a string";
        };
    }

    private static boolean parseBoolean(String text) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        return switch (value) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(text);
        };
    }

    private static String parseEnum(ConfigOption option, String text) {
        for (String allowed : option.allowedValues()) {
            if (allowed.equalsIgnoreCase(text.trim())) {
                return allowed;
            }
        }
        throw new IllegalArgumentException(text);
    }

    private static List<String> parseList(String text) {
        return Arrays.stream(text.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList();
    }

    /** Parses durations such as {@code 100 ms}, {@code 1s}, {@code 2.5 min}, {@code 1 h}; a bare number is milliseconds. */
    public static Duration parseDuration(String text) {
        Matcher matcher = DURATION.matcher(text);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("not a duration: " + text);
        }
        double amount = Double.parseDouble(matcher.group(1));
        String unit = matcher.group(2) == null ? "ms" : matcher.group(2).toLowerCase(Locale.ROOT);
        double millis = switch (unit.charAt(0)) {
            case 's' -> amount * 1_000;
            case 'h' -> amount * 3_600_000;
            case 'd' -> amount * 86_400_000;
            case 'm' -> unit.startsWith("mi") && !unit.startsWith("mil") || unit.equals("m") ? amount * 60_000 : amount;
            default -> throw new IllegalArgumentException("unknown unit: " + unit);
        };
        return Duration.ofNanos(Math.round(millis * 1_000_000));
    }
}
