package io.weir.engine.state;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.type.DataType;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;

/** Writes and reads single values of a SQL type in Weir's representation, for state snapshots. */
public final class ValueCodec {
    private ValueCodec() {
    }

    public static void write(DataOutput out, DataType type, Object value) throws IOException {
        out.writeBoolean(value == null);
        if (value == null) {
            return;
        }
        switch (type.kind().representation()) {
            case LONG -> out.writeLong(((Number) value).longValue());
            case DOUBLE -> out.writeDouble(((Number) value).doubleValue());
            case BOOLEAN -> out.writeBoolean((Boolean) value);
            case OBJECT -> {
                switch (type.kind()) {
                    case CHAR, VARCHAR -> out.writeUTF((String) value);
                    case DECIMAL -> {
                        BigDecimal decimal = (BigDecimal) value;
                        byte[] unscaled = decimal.unscaledValue().toByteArray();
                        out.writeInt(decimal.scale());
                        out.writeInt(unscaled.length);
                        out.write(unscaled);
                    }
                    case VARBINARY -> {
                        byte[] bytes = (byte[]) value;
                        out.writeInt(bytes.length);
                        out.write(bytes);
                    }
                    default -> throw unsupported(type);
                }
            }
        }
    }

    public static Object read(DataInput in, DataType type) throws IOException {
        if (in.readBoolean()) {
            return null;
        }
        return switch (type.kind().representation()) {
            case LONG -> in.readLong();
            case DOUBLE -> in.readDouble();
            case BOOLEAN -> in.readBoolean();
            case OBJECT -> switch (type.kind()) {
                case CHAR, VARCHAR -> in.readUTF();
                case DECIMAL -> {
                    int scale = in.readInt();
                    byte[] unscaled = new byte[in.readInt()];
                    in.readFully(unscaled);
                    yield new BigDecimal(new BigInteger(unscaled), scale);
                }
                case VARBINARY -> {
                    byte[] bytes = new byte[in.readInt()];
                    in.readFully(bytes);
                    yield bytes;
                }
                default -> throw unsupported(type);
            };
        };
    }

    private static WeirException unsupported(DataType type) {
        return new WeirException(ErrorCode.NOT_SUPPORTED, "State holding values of type " + type
                + " cannot be snapshotted yet; group or aggregate by a scalar column instead");
    }
}
