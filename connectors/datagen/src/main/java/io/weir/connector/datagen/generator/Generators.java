package io.weir.connector.datagen.generator;

import io.weir.spi.batch.RowWriter;
import io.weir.spi.type.DataType;
import io.weir.spi.type.Temporals;
import io.weir.spi.type.TypeKind;
import io.weir.spi.type.ValueConversion;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** The generator kinds: sequence, random, enum, timestamp, constant, and the defaults per type. */
public final class Generators {
    private static final char[] ALPHANUMERIC = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".toCharArray();
    private static final int NESTED_MAX_SIZE = 3;
    private static final long DEFAULT_INTEGER_MAX = 1_000_000;
    private static final double DEFAULT_DOUBLE_MAX = 1000;
    private static final int DEFAULT_STRING_LENGTH = 10;
    private static final int DEFAULT_BINARY_LENGTH = 8;

    private Generators() {
    }

    // ---- base classes: primitives are written without boxing -----------------------------------

    private abstract static class LongGenerator implements ValueGenerator {
        abstract long next(long row, long timeMillis);

        @Override
        public void write(RowWriter out, int column, long row, long timeMillis) {
            out.setLong(column, next(row, timeMillis));
        }

        @Override
        public Object value(long row, long timeMillis) {
            return next(row, timeMillis);
        }
    }

    private abstract static class DoubleGenerator implements ValueGenerator {
        abstract double next();

        @Override
        public void write(RowWriter out, int column, long row, long timeMillis) {
            out.setDouble(column, next());
        }

        @Override
        public Object value(long row, long timeMillis) {
            return next();
        }
    }

    private abstract static class ObjectGenerator implements ValueGenerator {
        @Override
        public void write(RowWriter out, int column, long row, long timeMillis) {
            out.set(column, value(row, timeMillis));
        }
    }

    // ---- kinds -------------------------------------------------------------------------------

    /** start, start + 1, ... (as text for string columns); bounded to {@code end} when given. */
    public static GeneratorSpec sequence(DataType type, long start, Long end) {
        boolean text = type.kind() == TypeKind.VARCHAR || type.kind() == TypeKind.CHAR;
        return new GeneratorSpec() {
            @Override
            public ValueGenerator create(SplittableRandom random, long baseMillis) {
                if (text) {
                    return new ObjectGenerator() {
                        @Override
                        public Object value(long row, long timeMillis) {
                            return ValueConversion.string(type, Long.toString(start + row));
                        }
                    };
                }
                return new LongGenerator() {
                    @Override
                    long next(long row, long timeMillis) {
                        return start + row;
                    }
                };
            }

            @Override
            public long rowLimit() {
                return end == null ? -1 : end - start + 1;
            }
        };
    }

    /** Uniform whole numbers in [min, max]. */
    public static GeneratorSpec randomLong(long min, long max) {
        return (random, base) -> new LongGenerator() {
            @Override
            long next(long row, long timeMillis) {
                return uniform(random, min, max);
            }
        };
    }

    private static long uniform(SplittableRandom random, long min, long max) {
        long span = max - min + 1;
        // span <= 0: the range covers (almost) all longs and overflowed; draw and retry outside it.
        if (span > 0) {
            return min + random.nextLong(span);
        }
        long value;
        do {
            value = random.nextLong();
        } while (value < min || value > max);
        return value;
    }

    /** Uniform doubles in [min, max), stored as REAL or DOUBLE. */
    public static GeneratorSpec randomDouble(TypeKind kind, double min, double max) {
        return (random, base) -> new DoubleGenerator() {
            @Override
            double next() {
                return ValueConversion.checkDouble(kind, min == max ? min : min + random.nextDouble() * (max - min));
            }
        };
    }

    /** Uniform decimals in [min, max] at the type's scale. */
    public static GeneratorSpec randomDecimal(DataType type, BigDecimal min, BigDecimal max) {
        BigDecimal span = max.subtract(min);
        return (random, base) -> new ObjectGenerator() {
            @Override
            public Object value(long row, long timeMillis) {
                BigDecimal value = min.add(span.multiply(BigDecimal.valueOf(random.nextDouble()))).setScale(type.scale(), RoundingMode.DOWN);
                return value.compareTo(max) > 0 ? max.setScale(type.scale(), RoundingMode.DOWN) : value;
            }
        };
    }

    public static GeneratorSpec randomBoolean() {
        return (random, base) -> new ValueGenerator() {
            @Override
            public void write(RowWriter out, int column, long row, long timeMillis) {
                out.setBoolean(column, random.nextBoolean());
            }

            @Override
            public Object value(long row, long timeMillis) {
                return random.nextBoolean();
            }
        };
    }

    /** Letters and digits; {@code length} characters (CHAR columns are padded by the conversion). */
    public static GeneratorSpec randomString(DataType type, int length) {
        return (random, base) -> new ObjectGenerator() {
            private final char[] chars = new char[length];

            @Override
            public Object value(long row, long timeMillis) {
                for (int i = 0; i < length; i++) {
                    chars[i] = ALPHANUMERIC[random.nextInt(ALPHANUMERIC.length)];
                }
                return ValueConversion.string(type, new String(chars));
            }
        };
    }

    public static GeneratorSpec randomBinary(int length) {
        return (random, base) -> new ObjectGenerator() {
            @Override
            public Object value(long row, long timeMillis) {
                byte[] bytes = new byte[length];
                for (int i = 0; i < length; i++) {
                    bytes[i] = (byte) random.nextInt(256);
                }
                return bytes;
            }
        };
    }

    /** Uniform DATE/TIME/TIMESTAMP values in [min, max] (days, milliseconds of the day, epoch milliseconds). */
    public static GeneratorSpec randomTemporal(DataType type, long min, long max) {
        return (random, base) -> new LongGenerator() {
            @Override
            long next(long row, long timeMillis) {
                long value = uniform(random, min, max);
                return type.kind() == TypeKind.DATE ? value : ValueConversion.truncate(type, value);
            }
        };
    }

    /** Dates in the year before the reader's start. */
    public static GeneratorSpec recentDate() {
        return (random, base) -> new LongGenerator() {
            private final long today = Math.floorDiv(base, Temporals.MILLIS_PER_DAY);

            @Override
            long next(long row, long timeMillis) {
                return today - random.nextLong(365);
            }
        };
    }

    /** One of {@code values} (representation objects), uniformly. */
    public static GeneratorSpec oneOf(List<Object> values) {
        List<Object> choices = List.copyOf(values);
        return (random, base) -> new ObjectGenerator() {
            @Override
            public Object value(long row, long timeMillis) {
                return choices.get(random.nextInt(choices.size()));
            }
        };
    }

    /** Always {@code value} (a representation object). */
    public static GeneratorSpec constant(Object value) {
        return (random, base) -> new ObjectGenerator() {
            @Override
            public Object value(long row, long timeMillis) {
                return value;
            }
        };
    }

    /**
     * Event times: the row's scheduled time minus a random lateness in [0, maxDisorderMillis], so no
     * value is more than {@code maxDisorderMillis} older than the newest one before it.
     */
    public static GeneratorSpec eventTime(DataType type, long maxDisorderMillis) {
        return (random, base) -> new LongGenerator() {
            @Override
            long next(long row, long timeMillis) {
                long lateness = maxDisorderMillis > 0 ? random.nextLong(maxDisorderMillis + 1) : 0;
                return ValueConversion.truncate(type, timeMillis - lateness);
            }
        };
    }

    /** NULL with probability {@code rate}, else the inner generator's value. */
    public static GeneratorSpec withNulls(GeneratorSpec inner, double rate) {
        if (rate <= 0) {
            return inner;
        }
        return new GeneratorSpec() {
            @Override
            public ValueGenerator create(SplittableRandom random, long baseMillis) {
                SplittableRandom nulls = random.split();
                ValueGenerator values = inner.create(random, baseMillis);
                return new ValueGenerator() {
                    @Override
                    public void write(RowWriter out, int column, long row, long timeMillis) {
                        if (nulls.nextDouble() < rate) {
                            out.setNull(column);
                        } else {
                            values.write(out, column, row, timeMillis);
                        }
                    }

                    @Override
                    public Object value(long row, long timeMillis) {
                        return nulls.nextDouble() < rate ? null : values.value(row, timeMillis);
                    }
                };
            }

            @Override
            public long rowLimit() {
                return inner.rowLimit();
            }
        };
    }

    // ---- defaults ----------------------------------------------------------------------------

    /** The generator a column gets without options. */
    public static GeneratorSpec defaultFor(DataType type) {
        return switch (type.kind()) {
            case BOOLEAN -> randomBoolean();
            case TINYINT, SMALLINT, INTEGER, BIGINT -> randomLong(0, Math.min(DEFAULT_INTEGER_MAX, maxOf(type.kind())));
            case REAL, DOUBLE -> randomDouble(type.kind(), 0, DEFAULT_DOUBLE_MAX);
            case DECIMAL -> randomDecimal(type, BigDecimal.ZERO, BigDecimal.valueOf(DEFAULT_DOUBLE_MAX).min(maxDecimal(type)));
            case CHAR -> randomString(type, type.precision());
            case VARCHAR -> randomString(type, type.precision() == DataType.UNSPECIFIED
                    ? DEFAULT_STRING_LENGTH : Math.min(DEFAULT_STRING_LENGTH, type.precision()));
            case VARBINARY -> randomBinary(type.precision() == DataType.UNSPECIFIED
                    ? DEFAULT_BINARY_LENGTH : Math.min(DEFAULT_BINARY_LENGTH, type.precision()));
            case DATE -> recentDate();
            case TIME -> randomTemporal(type, 0, Temporals.MILLIS_PER_DAY - 1);
            case TIMESTAMP -> eventTime(type, 0);
            // milliseconds or months, as integers are
            case INTERVAL_DAY_TIME, INTERVAL_YEAR_MONTH -> randomLong(0, DEFAULT_INTEGER_MAX);
            case ARRAY -> array(type);
            case MAP -> map(type);
            case ROW -> row(type);
        };
    }

    public static long maxOf(TypeKind kind) {
        return switch (kind) {
            case TINYINT -> Byte.MAX_VALUE;
            case SMALLINT -> Short.MAX_VALUE;
            case INTEGER -> Integer.MAX_VALUE;
            default -> Long.MAX_VALUE;
        };
    }

    public static long minOf(TypeKind kind) {
        return switch (kind) {
            case TINYINT -> Byte.MIN_VALUE;
            case SMALLINT -> Short.MIN_VALUE;
            case INTEGER -> Integer.MIN_VALUE;
            default -> Long.MIN_VALUE;
        };
    }

    /** The largest value of a DECIMAL type, e.g. 999.99 for DECIMAL(5, 2). */
    public static BigDecimal maxDecimal(DataType type) {
        return BigDecimal.TEN.pow(type.precision() - type.scale()).subtract(BigDecimal.ONE.movePointLeft(type.scale()));
    }

    private static GeneratorSpec array(DataType type) {
        GeneratorSpec element = defaultFor(type.elementType());
        return (random, base) -> {
            ValueGenerator elements = element.create(random.split(), base);
            return new ObjectGenerator() {
                @Override
                public Object value(long row, long timeMillis) {
                    int size = random.nextInt(NESTED_MAX_SIZE + 1);
                    List<Object> values = new ArrayList<>(size);
                    for (int i = 0; i < size; i++) {
                        values.add(elements.value(row, timeMillis));
                    }
                    return Collections.unmodifiableList(values);
                }
            };
        };
    }

    private static GeneratorSpec map(DataType type) {
        GeneratorSpec key = defaultFor(type.keyType());
        GeneratorSpec value = defaultFor(type.valueType());
        return (random, base) -> {
            ValueGenerator keys = key.create(random.split(), base);
            ValueGenerator values = value.create(random.split(), base);
            return new ObjectGenerator() {
                @Override
                public Object value(long row, long timeMillis) {
                    int size = random.nextInt(NESTED_MAX_SIZE + 1);
                    Map<Object, Object> entries = new LinkedHashMap<>();
                    for (int i = 0; i < size; i++) {
                        entries.put(keys.value(row, timeMillis), values.value(row, timeMillis));
                    }
                    return Collections.unmodifiableMap(entries);
                }
            };
        };
    }

    private static GeneratorSpec row(DataType type) {
        List<GeneratorSpec> fields = type.fields().stream().map(field -> defaultFor(field.type())).toList();
        return (random, base) -> {
            List<ValueGenerator> generators = fields.stream().map(spec -> spec.create(random.split(), base)).toList();
            return new ObjectGenerator() {
                @Override
                public Object value(long row, long timeMillis) {
                    Object[] values = new Object[generators.size()];
                    for (int i = 0; i < values.length; i++) {
                        values[i] = generators.get(i).value(row, timeMillis);
                    }
                    return values;
                }
            };
        };
    }
}
