package io.weir.connector.datagen;

import io.weir.connector.datagen.generator.GeneratorSpec;
import io.weir.connector.datagen.generator.Generators;
import io.weir.spi.option.OptionParsing;
import io.weir.spi.type.ConversionException;
import io.weir.spi.type.DataType;
import io.weir.spi.type.TypeKind;
import io.weir.spi.type.ValueConversion;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import static io.weir.connector.datagen.FieldOptions.END;
import static io.weir.connector.datagen.FieldOptions.KIND;
import static io.weir.connector.datagen.FieldOptions.LENGTH;
import static io.weir.connector.datagen.FieldOptions.MAX;
import static io.weir.connector.datagen.FieldOptions.MAX_DISORDER;
import static io.weir.connector.datagen.FieldOptions.MIN;
import static io.weir.connector.datagen.FieldOptions.NULL_RATE;
import static io.weir.connector.datagen.FieldOptions.START;
import static io.weir.connector.datagen.FieldOptions.VALUE;
import static io.weir.connector.datagen.FieldOptions.VALUES;

/**
 * Turns one column's {@code fields.<column>.*} options into a {@link GeneratorSpec}, checking that the
 * kind suits the column type and that each key applies to the kind. Without {@code kind}, the kind
 * follows from the keys given ({@code values}: enum, {@code start}/{@code end}: sequence,
 * {@code value}: constant, {@code max-disorder}: timestamp) or is the type's default.
 */
final class ColumnGenerators {
    enum Kind {
        SEQUENCE(Set.of(START, END)),
        RANDOM(Set.of(MIN, MAX, LENGTH, NULL_RATE)),
        ENUM(Set.of(VALUES, NULL_RATE)),
        TIMESTAMP(Set.of(MAX_DISORDER, NULL_RATE)),
        CONSTANT(Set.of(VALUE, NULL_RATE));

        private final Set<String> keys;

        Kind(Set<String> keys) {
            this.keys = keys;
        }

        String optionValue() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private ColumnGenerators() {
    }

    static GeneratorSpec of(FieldOptions.ColumnOptions options) {
        DataType type = options.field().type();
        Kind kind = kind(options);
        for (String key : options.values().keySet()) {
            if (!key.equals(KIND) && !kind.keys.contains(key)) {
                throw FieldOptions.invalid(options.key(key), options.get(key), "does not apply to kind '" + kind.optionValue()
                        + "'; kind '" + kind.optionValue() + "' takes " + kind.keys.stream().sorted().toList());
            }
        }
        checkType(options, kind, type);
        GeneratorSpec spec = switch (kind) {
            case SEQUENCE -> sequence(options, type);
            case RANDOM -> random(options, type);
            case ENUM -> Generators.oneOf(values(options, type));
            case TIMESTAMP -> Generators.eventTime(type, options.has(MAX_DISORDER) ? duration(options, MAX_DISORDER) : 0);
            case CONSTANT -> Generators.constant(parse(options, VALUE, type));
        };
        if (options.has(NULL_RATE)) {
            double rate = nullRate(options);
            if (rate > 0 && !type.nullable()) {
                throw FieldOptions.invalid(options.key(NULL_RATE), options.get(NULL_RATE), "column '" + options.field().name()
                        + "' is NOT NULL");
            }
            spec = Generators.withNulls(spec, rate);
        }
        return spec;
    }

    private static Kind kind(FieldOptions.ColumnOptions options) {
        if (options.has(KIND)) {
            String text = options.get(KIND).trim();
            return Arrays.stream(Kind.values()).filter(kind -> kind.optionValue().equalsIgnoreCase(text)).findFirst()
                    .orElseThrow(() -> FieldOptions.invalid(options.key(KIND), text, "expected one of "
                            + Arrays.stream(Kind.values()).map(Kind::optionValue).toList()));
        }
        if (options.has(VALUES)) {
            return Kind.ENUM;
        }
        if (options.has(START) || options.has(END)) {
            return Kind.SEQUENCE;
        }
        if (options.has(VALUE)) {
            return Kind.CONSTANT;
        }
        if (options.has(MAX_DISORDER) || options.field().type().kind() == TypeKind.TIMESTAMP && !options.has(MIN) && !options.has(MAX)) {
            return Kind.TIMESTAMP;
        }
        return Kind.RANDOM;
    }

    private static void checkType(FieldOptions.ColumnOptions options, Kind kind, DataType type) {
        TypeKind typeKind = type.kind();
        boolean nested = typeKind == TypeKind.ARRAY || typeKind == TypeKind.MAP || typeKind == TypeKind.ROW;
        boolean ok = switch (kind) {
            case SEQUENCE -> isInteger(typeKind) || typeKind == TypeKind.VARCHAR || typeKind == TypeKind.CHAR;
            case TIMESTAMP -> typeKind == TypeKind.TIMESTAMP;
            case ENUM, CONSTANT -> !nested;
            case RANDOM -> !nested || options.values().keySet().stream().allMatch(key -> key.equals(KIND) || key.equals(NULL_RATE));
        };
        if (!ok) {
            throw FieldOptions.invalid(options.has(KIND) ? options.key(KIND) : options.key(options.values().keySet().iterator().next()),
                    options.has(KIND) ? options.get(KIND) : options.values().values().iterator().next(),
                    "generator kind '" + kind.optionValue() + "' cannot produce " + type + " for column '" + options.field().name() + "'");
        }
    }

    private static boolean isInteger(TypeKind kind) {
        return kind == TypeKind.TINYINT || kind == TypeKind.SMALLINT || kind == TypeKind.INTEGER || kind == TypeKind.BIGINT;
    }

    private static GeneratorSpec sequence(FieldOptions.ColumnOptions options, DataType type) {
        DataType numberType = isInteger(type.kind()) ? type : DataType.of(TypeKind.BIGINT);
        long start = options.has(START) ? (Long) parse(options, START, numberType) : 1;
        Long end = options.has(END) ? (Long) parse(options, END, numberType) : null;
        if (end != null && end < start) {
            throw FieldOptions.invalid(options.key(END), options.get(END), "the end of a sequence must not be below its start " + start);
        }
        if (end == null && isInteger(type.kind()) && Generators.maxOf(type.kind()) != Long.MAX_VALUE) {
            end = Generators.maxOf(type.kind()); // a small integer type ends the sequence instead of overflowing
        }
        return Generators.sequence(type, start, end);
    }

    private static GeneratorSpec random(FieldOptions.ColumnOptions options, DataType type) {
        TypeKind kind = type.kind();
        switch (kind) {
            case TINYINT, SMALLINT, INTEGER, BIGINT -> {
                noLength(options, type);
                long min = options.has(MIN) ? (Long) parse(options, MIN, type) : 0;
                long max = options.has(MAX) ? (Long) parse(options, MAX, type) : Math.max(min, Math.min(1_000_000, Generators.maxOf(kind)));
                checkRange(options, min <= max, min, max);
                return Generators.randomLong(min, max);
            }
            case REAL, DOUBLE -> {
                noLength(options, type);
                double min = options.has(MIN) ? (Double) parse(options, MIN, type) : 0;
                double max = options.has(MAX) ? (Double) parse(options, MAX, type) : Math.max(min, 1000);
                checkRange(options, min <= max && Double.isFinite(min) && Double.isFinite(max), min, max);
                return Generators.randomDouble(kind, min, max);
            }
            case DECIMAL -> {
                noLength(options, type);
                BigDecimal min = options.has(MIN) ? (BigDecimal) parse(options, MIN, type) : BigDecimal.ZERO;
                BigDecimal max = options.has(MAX) ? (BigDecimal) parse(options, MAX, type)
                        : min.max(BigDecimal.valueOf(1000).min(Generators.maxDecimal(type)));
                checkRange(options, min.compareTo(max) <= 0, min, max);
                return Generators.randomDecimal(type, min, max);
            }
            case DATE, TIME, TIMESTAMP -> {
                noLength(options, type);
                if (kind == TypeKind.TIMESTAMP && (!options.has(MIN) || !options.has(MAX))) {
                    throw FieldOptions.invalid(options.key(options.has(MIN) ? MAX : MIN), "", "random TIMESTAMP values need both 'min' and 'max'"
                            + " (or use kind 'timestamp' for event times)");
                }
                if (!options.has(MIN) && !options.has(MAX)) {
                    return Generators.defaultFor(type);
                }
                long min = options.has(MIN) ? (Long) parse(options, MIN, type) : 0;
                long max = options.has(MAX) ? (Long) parse(options, MAX, type) : kind == TypeKind.TIME ? 86_399_999 : min + 365;
                checkRange(options, min <= max, min, max);
                return Generators.randomTemporal(type, min, max);
            }
            case CHAR, VARCHAR, VARBINARY -> {
                for (String key : List.of(MIN, MAX)) {
                    if (options.has(key)) {
                        throw FieldOptions.invalid(options.key(key), options.get(key), "random " + kind.sqlName()
                                + " values take 'length', not 'min'/'max'");
                    }
                }
                if (!options.has(LENGTH)) {
                    return Generators.defaultFor(type);
                }
                int length = length(options, type);
                return kind == TypeKind.VARBINARY ? Generators.randomBinary(length) : Generators.randomString(type, length);
            }
            default -> {
                noLength(options, type);
                for (String key : List.of(MIN, MAX)) {
                    if (options.has(key)) {
                        throw FieldOptions.invalid(options.key(key), options.get(key), "does not apply to " + kind.sqlName());
                    }
                }
                return Generators.defaultFor(type);
            }
        }
    }

    private static void noLength(FieldOptions.ColumnOptions options, DataType type) {
        if (options.has(LENGTH)) {
            throw FieldOptions.invalid(options.key(LENGTH), options.get(LENGTH), "'length' applies to string and binary columns, not "
                    + type.kind().sqlName() + "; use 'min' and 'max'");
        }
    }

    private static void checkRange(FieldOptions.ColumnOptions options, boolean ok, Object min, Object max) {
        if (!ok) {
            throw FieldOptions.invalid(options.key(MAX), String.valueOf(max), "'max' must not be below 'min' " + min);
        }
    }

    private static int length(FieldOptions.ColumnOptions options, DataType type) {
        String text = options.get(LENGTH);
        int length;
        try {
            length = Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw FieldOptions.invalid(options.key(LENGTH), text, "expected a whole number");
        }
        int limit = type.precision() == DataType.UNSPECIFIED ? 1 << 20 : type.precision();
        if (length < 0 || length > limit) {
            throw FieldOptions.invalid(options.key(LENGTH), text, "expected a length between 0 and " + limit + " for " + type);
        }
        return length;
    }

    private static List<Object> values(FieldOptions.ColumnOptions options, DataType type) {
        List<String> texts = Arrays.stream(options.get(VALUES).split(",")).map(String::trim).filter(text -> !text.isEmpty()).toList();
        if (texts.isEmpty()) {
            throw FieldOptions.invalid(options.key(VALUES), options.get(VALUES), "expected a comma-separated list of values");
        }
        List<Object> values = new ArrayList<>(texts.size());
        for (String text : texts) {
            values.add(parseText(options, VALUES, text, type));
        }
        return values;
    }

    private static Object parse(FieldOptions.ColumnOptions options, String key, DataType type) {
        return parseText(options, key, options.get(key), type);
    }

    private static Object parseText(FieldOptions.ColumnOptions options, String key, String text, DataType type) {
        try {
            return ValueConversion.fromText(type, text);
        } catch (ConversionException e) {
            throw FieldOptions.invalid(options.key(key), options.get(key), e.getMessage());
        }
    }

    private static long duration(FieldOptions.ColumnOptions options, String key) {
        try {
            return OptionParsing.parseDuration(options.get(key)).toMillis();
        } catch (IllegalArgumentException e) {
            throw FieldOptions.invalid(options.key(key), options.get(key), "expected a duration such as '5 s' or '500 ms'");
        }
    }

    private static double nullRate(FieldOptions.ColumnOptions options) {
        String text = options.get(NULL_RATE);
        try {
            double rate = Double.parseDouble(text.trim());
            if (rate >= 0 && rate <= 1) {
                return rate;
            }
        } catch (NumberFormatException e) {
            // reported below with the expected range
        }
        throw FieldOptions.invalid(options.key(NULL_RATE), text, "expected a fraction between 0 and 1, e.g. '0.1'");
    }
}
