package io.weir.engine.state;

import io.weir.spi.type.DataType;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes and reads single values of a SQL type in Weir's representation, for state snapshots: a NULL
 * flag, then the value (strings of any length; ARRAY as a List, MAP as a Map, ROW as an Object[]).
 */
public final class ValueCodec {
    private ValueCodec() {
    }

    public static void write(StateWriter out, DataType type, Object value) {
        out.writeBoolean(value == null);
        if (value == null) {
            return;
        }
        switch (type.kind().representation()) {
            case LONG -> out.writeLong(((Number) value).longValue());
            case DOUBLE -> out.writeDouble(((Number) value).doubleValue());
            case BOOLEAN -> out.writeBoolean((Boolean) value);
            case OBJECT -> writeObject(out, type, value);
        }
    }

    private static void writeObject(StateWriter out, DataType type, Object value) {
        switch (type.kind()) {
            case CHAR, VARCHAR -> out.writeString((String) value);
            case DECIMAL -> writeDecimal(out, (BigDecimal) value);
            case VARBINARY -> {
                byte[] bytes = (byte[]) value;
                out.writeInt(bytes.length);
                out.write(bytes);
            }
            case ARRAY -> {
                List<?> elements = (List<?>) value;
                out.writeInt(elements.size());
                for (Object element : elements) {
                    write(out, type.elementType(), element);
                }
            }
            case MAP -> {
                Map<?, ?> map = (Map<?, ?>) value;
                out.writeInt(map.size());
                for (Map.Entry<?, ?> entry : map.entrySet()) {
                    write(out, type.keyType(), entry.getKey());
                    write(out, type.valueType(), entry.getValue());
                }
            }
            case ROW -> {
                Object[] fields = (Object[]) value;
                List<DataType.Field> fieldTypes = type.fields();
                out.writeInt(fields.length);
                for (int i = 0; i < fields.length; i++) {
                    write(out, fieldTypes.get(i).type(), fields[i]);
                }
            }
            default -> throw new IllegalArgumentException(type + " does not have the OBJECT representation");
        }
    }

    public static Object read(StateReader in, DataType type) {
        if (in.readBoolean()) {
            return null;
        }
        return switch (type.kind().representation()) {
            case LONG -> in.readLong();
            case DOUBLE -> in.readDouble();
            case BOOLEAN -> in.readBoolean();
            case OBJECT -> readObject(in, type);
        };
    }

    private static Object readObject(StateReader in, DataType type) {
        return switch (type.kind()) {
            case CHAR, VARCHAR -> in.readString();
            case DECIMAL -> readDecimal(in);
            case VARBINARY -> {
                byte[] bytes = new byte[checkedLength(in)];
                in.readFully(bytes);
                yield bytes;
            }
            case ARRAY -> {
                int size = checkedLength(in);
                List<Object> elements = new ArrayList<>(size);
                for (int i = 0; i < size; i++) {
                    elements.add(read(in, type.elementType()));
                }
                yield Collections.unmodifiableList(elements);
            }
            case MAP -> {
                int size = checkedLength(in);
                Map<Object, Object> map = new LinkedHashMap<>();
                for (int i = 0; i < size; i++) {
                    Object key = read(in, type.keyType());
                    map.put(key, read(in, type.valueType()));
                }
                yield Collections.unmodifiableMap(map);
            }
            case ROW -> {
                List<DataType.Field> fieldTypes = type.fields();
                int size = checkedLength(in);
                if (size != fieldTypes.size()) {
                    throw new SnapshotFormat.CorruptSnapshotException("a ROW of " + size + " fields for " + type);
                }
                Object[] fields = new Object[size];
                for (int i = 0; i < size; i++) {
                    fields[i] = read(in, fieldTypes.get(i).type());
                }
                yield fields;
            }
            default -> throw new IllegalArgumentException(type + " does not have the OBJECT representation");
        };
    }

    /** A length that cannot be more than the bytes left (every element takes at least one). */
    private static int checkedLength(StateReader in) {
        int length = in.readCount();
        if (length > in.remaining()) {
            throw new SnapshotFormat.CorruptSnapshotException("length " + length + " beyond the snapshot's end");
        }
        return length;
    }

    /** A DECIMAL value, exactly (scale and unscaled value); not nullable. */
    public static void writeDecimal(StateWriter out, BigDecimal decimal) {
        byte[] unscaled = decimal.unscaledValue().toByteArray();
        out.writeInt(decimal.scale());
        out.writeInt(unscaled.length);
        out.write(unscaled);
    }

    public static BigDecimal readDecimal(StateReader in) {
        int scale = in.readInt();
        byte[] unscaled = new byte[checkedLength(in)];
        in.readFully(unscaled);
        if (unscaled.length == 0) {
            throw new SnapshotFormat.CorruptSnapshotException("a DECIMAL without digits");
        }
        return new BigDecimal(new BigInteger(unscaled), scale);
    }

    /** A nullable DECIMAL (accumulator sums): a NULL flag, then the value. */
    public static void writeNullableDecimal(StateWriter out, BigDecimal decimal) {
        out.writeBoolean(decimal == null);
        if (decimal != null) {
            writeDecimal(out, decimal);
        }
    }

    public static BigDecimal readNullableDecimal(StateReader in) {
        return in.readBoolean() ? null : readDecimal(in);
    }
}
