package io.weir.formats.parquet;

import io.weir.spi.type.DataType;
import io.weir.spi.type.TypeKind;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.Converter;
import org.apache.parquet.io.api.GroupConverter;
import org.apache.parquet.io.api.PrimitiveConverter;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Parquet converters that turn a file's values into Weir's representation of the declared column
 * type (see {@link io.weir.spi.type.TypeKind}): integers widened to long, timestamps of any unit to
 * milliseconds, decimals at the declared scale, strings decoded from UTF-8, LIST/MAP/group into
 * List/Map/Object[]. {@link #converter} checks that the file's type can be read as the declared one.
 */
final class ValueConverters {
    private ValueConverters() {
    }

    /** A converter for a value of file type {@code fileType}, read as {@code declared}, handed to {@code sink}. */
    static Converter converter(String column, Type fileType, DataType declared, Consumer<Object> sink) {
        switch (declared.kind()) {
            case ARRAY -> {
                return listConverter(column, fileType, declared, sink);
            }
            case MAP -> {
                return mapConverter(column, fileType, declared, sink);
            }
            case ROW -> {
                return rowConverter(column, fileType, declared, sink);
            }
            default -> {
                if (!fileType.isPrimitive()) {
                    throw ParquetSchemas.unreadable(column, fileType, declared);
                }
                return primitive(column, fileType.asPrimitiveType(), declared, sink);
            }
        }
    }

    private static PrimitiveConverter primitive(String column, PrimitiveType fileType, DataType declared, Consumer<Object> sink) {
        PrimitiveTypeName physical = fileType.getPrimitiveTypeName();
        LogicalTypeAnnotation logical = fileType.getLogicalTypeAnnotation();
        boolean integer = physical == PrimitiveTypeName.INT32 || physical == PrimitiveTypeName.INT64;
        boolean binary = physical == PrimitiveTypeName.BINARY || physical == PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY;
        if (physical == PrimitiveTypeName.INT96 && declared.kind() == TypeKind.TIMESTAMP) {
            return new Int96TimestampConverter(sink);
        }
        boolean ok = switch (declared.kind()) {
            case BOOLEAN -> physical == PrimitiveTypeName.BOOLEAN;
            case TINYINT, SMALLINT, INTEGER, BIGINT, DATE, TIME, TIMESTAMP -> integer;
            case REAL, DOUBLE -> integer || physical == PrimitiveTypeName.FLOAT || physical == PrimitiveTypeName.DOUBLE;
            case DECIMAL -> integer || binary;
            case CHAR, VARCHAR, VARBINARY -> binary;
            default -> false;
        };
        if (!ok) {
            throw ParquetSchemas.unreadable(column, fileType, declared);
        }
        return switch (declared.kind()) {
            case BOOLEAN -> new PrimitiveConverter() {
                @Override
                public void addBoolean(boolean value) {
                    sink.accept(value);
                }
            };
            case TINYINT, SMALLINT, INTEGER, BIGINT, DATE -> new LongConverter(sink, 1);
            case TIME, TIMESTAMP -> new LongConverter(sink, unitsPerMilli(logical));
            case REAL, DOUBLE -> new PrimitiveConverter() {
                @Override
                public void addInt(int value) {
                    sink.accept((double) value);
                }

                @Override
                public void addLong(long value) {
                    sink.accept((double) value);
                }

                @Override
                public void addFloat(float value) {
                    sink.accept((double) value);
                }

                @Override
                public void addDouble(double value) {
                    sink.accept(value);
                }
            };
            case DECIMAL -> {
                int fileScale = logical instanceof LogicalTypeAnnotation.DecimalLogicalTypeAnnotation decimal ? decimal.getScale() : 0;
                int scale = declared.scale();
                yield new PrimitiveConverter() {
                    @Override
                    public void addInt(int value) {
                        sink.accept(BigDecimal.valueOf(value, fileScale).setScale(scale, RoundingMode.HALF_UP));
                    }

                    @Override
                    public void addLong(long value) {
                        sink.accept(BigDecimal.valueOf(value, fileScale).setScale(scale, RoundingMode.HALF_UP));
                    }

                    @Override
                    public void addBinary(Binary value) {
                        sink.accept(new BigDecimal(new BigInteger(value.getBytes()), fileScale).setScale(scale, RoundingMode.HALF_UP));
                    }
                };
            }
            case CHAR, VARCHAR -> new PrimitiveConverter() {
                @Override
                public void addBinary(Binary value) {
                    sink.accept(value.toStringUsingUTF8());
                }
            };
            default -> new PrimitiveConverter() {
                @Override
                public void addBinary(Binary value) {
                    sink.accept(value.getBytes());
                }
            };
        };
    }

    /** How many of the file's time units make a millisecond: 1, 1000 (micros) or 1000000 (nanos). */
    private static long unitsPerMilli(LogicalTypeAnnotation logical) {
        LogicalTypeAnnotation.TimeUnit unit = null;
        if (logical instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation timestamp) {
            unit = timestamp.getUnit();
        } else if (logical instanceof LogicalTypeAnnotation.TimeLogicalTypeAnnotation time) {
            unit = time.getUnit();
        }
        if (unit == null) {
            return 1;
        }
        return switch (unit) {
            case MILLIS -> 1;
            case MICROS -> 1_000;
            case NANOS -> 1_000_000;
        };
    }

    /**
     * The legacy INT96 timestamps of Hive, Impala and older Spark: nanoseconds of the day (8 bytes) then the
     * Julian day (4 bytes), both little-endian; read as milliseconds since the epoch (UTC), as those writers meant.
     */
    static final class Int96TimestampConverter extends PrimitiveConverter {
        private static final long JULIAN_DAY_OF_EPOCH = 2_440_588;
        private static final long MILLIS_PER_DAY = 86_400_000;
        private final Consumer<Object> sink;

        Int96TimestampConverter(Consumer<Object> sink) {
            this.sink = sink;
        }

        @Override
        public void addBinary(Binary value) {
            ByteBuffer bytes = value.toByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            long nanosOfDay = bytes.getLong(bytes.position());
            long julianDay = Integer.toUnsignedLong(bytes.getInt(bytes.position() + 8));
            sink.accept((julianDay - JULIAN_DAY_OF_EPOCH) * MILLIS_PER_DAY + Math.floorDiv(nanosOfDay, 1_000_000L));
        }
    }

    private static final class LongConverter extends PrimitiveConverter {
        private final Consumer<Object> sink;
        private final long unitsPerMilli;

        LongConverter(Consumer<Object> sink, long unitsPerMilli) {
            this.sink = sink;
            this.unitsPerMilli = unitsPerMilli;
        }

        @Override
        public void addInt(int value) {
            sink.accept(Math.floorDiv((long) value, unitsPerMilli));
        }

        @Override
        public void addLong(long value) {
            sink.accept(Math.floorDiv(value, unitsPerMilli));
        }
    }

    /** The standard three-level LIST, or a repeated field of elements (the older two-level form). */
    private static Converter listConverter(String column, Type fileType, DataType declared, Consumer<Object> sink) {
        if (fileType.isPrimitive() || fileType.asGroupType().getFieldCount() != 1
                || !fileType.asGroupType().getType(0).isRepetition(Type.Repetition.REPEATED)) {
            throw ParquetSchemas.unreadable(column, fileType, declared);
        }
        Type repeated = fileType.asGroupType().getType(0);
        List<Object>[] current = new List[1];
        Converter items;
        if (repeated.isPrimitive() || repeated.asGroupType().getFieldCount() != 1) {
            items = converter(column, repeated, declared.elementType(), value -> current[0].add(value));
        } else {
            Object[] element = new Object[1];
            Converter elementConverter = converter(column, repeated.asGroupType().getType(0), declared.elementType(),
                    value -> element[0] = value);
            items = new GroupConverter() {
                @Override
                public Converter getConverter(int fieldIndex) {
                    return elementConverter;
                }

                @Override
                public void start() {
                    element[0] = null;
                }

                @Override
                public void end() {
                    current[0].add(element[0]);
                }
            };
        }
        return new GroupConverter() {
            @Override
            public Converter getConverter(int fieldIndex) {
                return items;
            }

            @Override
            public void start() {
                current[0] = new ArrayList<>();
            }

            @Override
            public void end() {
                sink.accept(current[0]);
            }
        };
    }

    private static Converter mapConverter(String column, Type fileType, DataType declared, Consumer<Object> sink) {
        if (fileType.isPrimitive() || fileType.asGroupType().getFieldCount() != 1
                || fileType.asGroupType().getType(0).isPrimitive()
                || fileType.asGroupType().getType(0).asGroupType().getFieldCount() != 2) {
            throw ParquetSchemas.unreadable(column, fileType, declared);
        }
        GroupType keyValue = fileType.asGroupType().getType(0).asGroupType();
        Map<Object, Object>[] current = new Map[1];
        Object[] entry = new Object[2];
        Converter key = converter(column, keyValue.getType(0), declared.keyType(), value -> entry[0] = value);
        Converter value = converter(column, keyValue.getType(1), declared.valueType(), v -> entry[1] = v);
        GroupConverter entries = new GroupConverter() {
            @Override
            public Converter getConverter(int fieldIndex) {
                return fieldIndex == 0 ? key : value;
            }

            @Override
            public void start() {
                entry[0] = null;
                entry[1] = null;
            }

            @Override
            public void end() {
                current[0].put(entry[0], entry[1]);
            }
        };
        return new GroupConverter() {
            @Override
            public Converter getConverter(int fieldIndex) {
                return entries;
            }

            @Override
            public void start() {
                current[0] = new LinkedHashMap<>();
            }

            @Override
            public void end() {
                sink.accept(current[0]);
            }
        };
    }

    /** A group read as ROW: its fields matched to the declared ones by name; fields only in the file are skipped. */
    private static Converter rowConverter(String column, Type fileType, DataType declared, Consumer<Object> sink) {
        if (fileType.isPrimitive()) {
            throw ParquetSchemas.unreadable(column, fileType, declared);
        }
        GroupType group = fileType.asGroupType();
        List<DataType.Field> fields = ParquetSchemas.rowFields(declared);
        Object[][] current = new Object[1][];
        Converter[] children = new Converter[group.getFieldCount()];
        for (int i = 0; i < children.length; i++) {
            Type child = group.getType(i);
            int target = fieldIndex(fields, child.getName());
            children[i] = target < 0 ? ignoring(child)
                    : converter(column + "." + child.getName(), child, fields.get(target).type(), v -> current[0][target] = v);
        }
        return new GroupConverter() {
            @Override
            public Converter getConverter(int fieldIndex) {
                return children[fieldIndex];
            }

            @Override
            public void start() {
                current[0] = new Object[fields.size()];
            }

            @Override
            public void end() {
                sink.accept(current[0]);
            }
        };
    }

    /** The index of the field named {@code name}: the exact name, else ignoring case; -1 if none. */
    static int fieldIndex(List<DataType.Field> fields, String name) {
        for (int i = 0; i < fields.size(); i++) {
            if (fields.get(i).name().equals(name)) {
                return i;
            }
        }
        for (int i = 0; i < fields.size(); i++) {
            if (fields.get(i).name().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                return i;
            }
        }
        return -1;
    }

    /** A converter that drops the values of a field nobody reads. */
    private static Converter ignoring(Type type) {
        if (type.isPrimitive()) {
            return new PrimitiveConverter() {
                @Override
                public void addBinary(Binary value) {
                }

                @Override
                public void addBoolean(boolean value) {
                }

                @Override
                public void addDouble(double value) {
                }

                @Override
                public void addFloat(float value) {
                }

                @Override
                public void addInt(int value) {
                }

                @Override
                public void addLong(long value) {
                }
            };
        }
        GroupType group = type.asGroupType();
        Converter[] children = new Converter[group.getFieldCount()];
        for (int i = 0; i < children.length; i++) {
            children[i] = ignoring(group.getType(i));
        }
        return new GroupConverter() {
            @Override
            public Converter getConverter(int fieldIndex) {
                return children[fieldIndex];
            }

            @Override
            public void start() {
            }

            @Override
            public void end() {
            }
        };
    }
}
