package io.weir.server.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * How a setting's text is read and which values are allowed. {@link #parse} and {@link #check}
 * throw {@link IllegalArgumentException} with a message saying what is expected; {@link ServerOption}
 * adds the setting's name and where the value came from.
 *
 * @param <T> the value's Java type
 */
public interface OptionType<T> {
    /** Reads and checks a value. */
    T parse(String text);

    /** Checks a value given directly (not as text), e.g. through {@link ServerConfig.Builder}. */
    void check(T value);

    /** The value written back as text that {@link #parse} accepts. */
    String format(T value);

    /** Integers from {@code min} to {@code max}, both included. */
    static OptionType<Integer> integer(int min, int max) {
        return new IntegerType(min, max);
    }

    /**
     * Durations written as a number and a unit ({@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h},
     * {@code 1d}) or in ISO-8601 ({@code PT30S}), from {@code min} to {@code max}.
     */
    static OptionType<Duration> duration(Duration min, Duration max) {
        return new DurationType(min, max);
    }

    /**
     * Byte counts written as a number with an optional unit: {@code B}, {@code KiB}, {@code MiB},
     * {@code GiB} (also {@code K}/{@code KB}, {@code M}/{@code MB}, {@code G}/{@code GB}, all powers
     * of 1024), any case, from {@code min} to {@code max}.
     */
    static OptionType<Integer> byteSize(int min, int max) {
        return new ByteSizeType(min, max);
    }

    /**
     * An amount of memory: a percentage of the JVM's maximum heap ({@code 60%}) or a byte count with an
     * optional unit as for {@link #byteSize}; at least 1 MiB.
     */
    static OptionType<Long> memory() {
        return new MemoryType();
    }

    /** A file system path; relative paths are resolved against the working directory. */
    static OptionType<Path> path() {
        return new PathType();
    }

    /**
     * A file that may be left unset: empty text means none; otherwise as {@link #path()}. Whether the
     * file exists is checked where it is read, which names the setting.
     */
    static OptionType<Optional<Path>> optionalFile() {
        return new OptionalFileType();
    }

    /**
     * Directory paths separated by commas (relative ones resolved against the working directory); empty
     * text is the empty list, which the setting gives a meaning of its own.
     */
    static OptionType<List<Path>> pathList() {
        return new PathListType();
    }

    /** Host names separated by commas, lower-cased; empty text is the empty list. */
    static OptionType<List<String>> hostList() {
        return new HostListType();
    }

    /** {@code true} or {@code false}, any case. */
    static OptionType<Boolean> bool() {
        return new BooleanType();
    }

    /** A host name or IP address (no spaces, not empty). */
    static OptionType<String> host() {
        return new HostType();
    }

    record IntegerType(int min, int max) implements OptionType<Integer> {
        @Override
        public Integer parse(String text) {
            int value;
            try {
                value = Integer.parseInt(text.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(expected());
            }
            check(value);
            return value;
        }

        @Override
        public void check(Integer value) {
            requireNonNull(value, "value is null");
            if (value < min || value > max) {
                throw new IllegalArgumentException(expected());
            }
        }

        @Override
        public String format(Integer value) {
            return Integer.toString(value);
        }

        private String expected() {
            return "expected an integer from " + min + " to " + max;
        }
    }

    record DurationType(Duration min, Duration max) implements OptionType<Duration> {
        private static final Pattern SIMPLE = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

        @Override
        public Duration parse(String text) {
            String trimmed = text.trim().toLowerCase(Locale.ROOT);
            Duration value;
            Matcher matcher = SIMPLE.matcher(trimmed);
            try {
                if (matcher.matches()) {
                    long amount = Long.parseLong(matcher.group(1));
                    value = switch (matcher.group(2)) {
                        case "ms" -> Duration.ofMillis(amount);
                        case "s" -> Duration.ofSeconds(amount);
                        case "m" -> Duration.ofMinutes(amount);
                        case "h" -> Duration.ofHours(amount);
                        default -> Duration.ofDays(amount);
                    };
                } else {
                    value = Duration.parse(trimmed.toUpperCase(Locale.ROOT));
                }
            } catch (DateTimeParseException | ArithmeticException | NumberFormatException e) {
                throw new IllegalArgumentException(expected());
            }
            check(value);
            return value;
        }

        @Override
        public void check(Duration value) {
            requireNonNull(value, "value is null");
            if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
                throw new IllegalArgumentException(expected());
            }
        }

        @Override
        public String format(Duration value) {
            long millis = value.toMillis();
            if (millis % 86_400_000 == 0 && millis != 0) {
                return millis / 86_400_000 + "d";
            }
            if (millis % 3_600_000 == 0 && millis != 0) {
                return millis / 3_600_000 + "h";
            }
            if (millis % 60_000 == 0 && millis != 0) {
                return millis / 60_000 + "m";
            }
            if (millis % 1_000 == 0) {
                return millis / 1_000 + "s";
            }
            return millis + "ms";
        }

        private String expected() {
            return "expected a duration from " + format(min) + " to " + format(max)
                    + " such as 500ms, 30s, 5m, 1h or PT30S";
        }
    }

    record MemoryType() implements OptionType<Long> {
        private static final long MIN = 1L << 20;

        @Override
        public Long parse(String text) {
            String trimmed = text.trim();
            long value;
            if (trimmed.endsWith("%")) {
                int percent;
                try {
                    percent = Integer.parseInt(trimmed.substring(0, trimmed.length() - 1).trim());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(expected());
                }
                if (percent < 1 || percent > 100) {
                    throw new IllegalArgumentException(expected());
                }
                value = Runtime.getRuntime().maxMemory() / 100 * percent;
            } else {
                value = ByteSizeType.bytes(trimmed).orElseThrow(() -> new IllegalArgumentException(expected()));
            }
            check(value);
            return value;
        }

        @Override
        public void check(Long value) {
            requireNonNull(value, "value is null");
            if (value < MIN) {
                throw new IllegalArgumentException(expected());
            }
        }

        @Override
        public String format(Long value) {
            return value % (1 << 20) == 0 ? value / (1 << 20) + "MiB" : Long.toString(value);
        }

        private static String expected() {
            return "expected a percentage of the JVM's heap from 1% to 100% (e.g. 60%) or a size of at least 1MiB (e.g. 4GiB)";
        }
    }

    record ByteSizeType(int min, int max) implements OptionType<Integer> {
        private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([a-z]*)");

        @Override
        public Integer parse(String text) {
            long value = bytes(text).orElseThrow(() -> new IllegalArgumentException(expected()));
            if (value < min || value > max) {
                throw new IllegalArgumentException(expected());
            }
            return (int) value;
        }

        /** A byte count with an optional unit (B, KiB, MiB, GiB and their short forms); empty when the text is not one. */
        static OptionalLong bytes(String text) {
            Matcher matcher = SIZE.matcher(text.trim().toLowerCase(Locale.ROOT));
            if (!matcher.matches()) {
                return OptionalLong.empty();
            }
            long multiplier = switch (matcher.group(2)) {
                case "", "b" -> 1L;
                case "k", "kb", "kib" -> 1L << 10;
                case "m", "mb", "mib" -> 1L << 20;
                case "g", "gb", "gib" -> 1L << 30;
                default -> 0L;
            };
            if (multiplier == 0) {
                return OptionalLong.empty();
            }
            try {
                return OptionalLong.of(Math.multiplyExact(Long.parseLong(matcher.group(1)), multiplier));
            } catch (NumberFormatException | ArithmeticException e) {
                return OptionalLong.empty();
            }
        }

        @Override
        public void check(Integer value) {
            requireNonNull(value, "value is null");
            if (value < min || value > max) {
                throw new IllegalArgumentException(expected());
            }
        }

        @Override
        public String format(Integer value) {
            if (value != 0 && value % (1 << 30) == 0) {
                return value / (1 << 30) + "GiB";
            }
            if (value != 0 && value % (1 << 20) == 0) {
                return value / (1 << 20) + "MiB";
            }
            if (value != 0 && value % (1 << 10) == 0) {
                return value / (1 << 10) + "KiB";
            }
            return Integer.toString(value);
        }

        private String expected() {
            return "expected a size from " + format(min) + " to " + format(max) + " bytes such as 65536, 512KiB or 64MiB";
        }
    }

    record PathType() implements OptionType<Path> {
        @Override
        public Path parse(String text) {
            if (text.isBlank()) {
                throw new IllegalArgumentException("expected a directory path, got an empty value");
            }
            try {
                return Path.of(text.trim()).toAbsolutePath().normalize();
            } catch (InvalidPathException e) {
                throw new IllegalArgumentException("expected a valid path: " + e.getReason());
            }
        }

        @Override
        public void check(Path value) {
            requireNonNull(value, "value is null");
        }

        @Override
        public String format(Path value) {
            return value.toString();
        }
    }

    record PathListType() implements OptionType<List<Path>> {
        @Override
        public List<Path> parse(String text) {
            List<Path> paths = new ArrayList<>();
            for (String part : text.split(",")) {
                if (!part.isBlank()) {
                    paths.add(new PathType().parse(part));
                }
            }
            return List.copyOf(paths);
        }

        @Override
        public void check(List<Path> value) {
            requireNonNull(value, "value is null");
            value.forEach(path -> requireNonNull(path, "path is null"));
        }

        @Override
        public String format(List<Path> value) {
            return value.stream().map(Path::toString).collect(Collectors.joining(","));
        }
    }

    record HostListType() implements OptionType<List<String>> {
        private static final Pattern NAME = Pattern.compile("\\*|\\.?[a-z0-9_\\-.:\\[\\]]+");

        @Override
        public List<String> parse(String text) {
            List<String> hosts = new ArrayList<>();
            for (String part : text.split(",")) {
                if (!part.isBlank()) {
                    hosts.add(part.trim().toLowerCase(Locale.ROOT));
                }
            }
            check(hosts);
            return List.copyOf(hosts);
        }

        @Override
        public void check(List<String> value) {
            requireNonNull(value, "value is null");
            for (String host : value) {
                if (host == null || !NAME.matcher(host).matches()) {
                    throw new IllegalArgumentException("expected host names separated by commas (a name, an IP address, "
                            + "'.example.com' for it and its subdomains, or '*' for any), not '" + host + "'");
                }
            }
        }

        @Override
        public String format(List<String> value) {
            return String.join(",", value);
        }
    }

    record OptionalFileType() implements OptionType<Optional<Path>> {
        @Override
        public Optional<Path> parse(String text) {
            if (text.isBlank()) {
                return Optional.empty();
            }
            try {
                return Optional.of(Path.of(text.trim()).toAbsolutePath().normalize());
            } catch (InvalidPathException e) {
                throw new IllegalArgumentException("expected a file path: " + e.getReason());
            }
        }

        @Override
        public void check(Optional<Path> value) {
            requireNonNull(value, "value is null");
        }

        @Override
        public String format(Optional<Path> value) {
            return value.map(Path::toString).orElse("");
        }
    }

    record HostType() implements OptionType<String> {
        @Override
        public String parse(String text) {
            String host = text.trim();
            check(host);
            return host;
        }

        @Override
        public void check(String value) {
            requireNonNull(value, "value is null");
            if (value.isEmpty() || value.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("expected a host name or IP address such as 127.0.0.1 or 0.0.0.0");
            }
        }

        @Override
        public String format(String value) {
            return value;
        }
    }

    record BooleanType() implements OptionType<Boolean> {
        @Override
        public Boolean parse(String text) {
            String value = text.trim().toLowerCase(Locale.ROOT);
            if (value.equals("true")) {
                return true;
            }
            if (value.equals("false")) {
                return false;
            }
            throw new IllegalArgumentException("expected true or false");
        }

        @Override
        public void check(Boolean value) {
            requireNonNull(value, "value is null");
        }

        @Override
        public String format(Boolean value) {
            return value.toString();
        }
    }
}
