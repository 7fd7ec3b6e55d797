package io.weir.connector.jdbc;

import io.weir.spi.batch.RowWriter;
import io.weir.spi.type.ConversionException;
import io.weir.spi.type.DataType;
import io.weir.spi.type.TypeKind;
import io.weir.spi.type.ValueConversion;

import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Locale;

/**
 * Converts between JDBC values and Weir's representation ({@link TypeKind}): integers as longs,
 * DATE as days since the epoch, TIME as milliseconds of the day, TIMESTAMP as epoch milliseconds in
 * UTC (the session runs in UTC, so {@code timestamptz} and MySQL {@code TIMESTAMP} agree).
 */
final class JdbcValues {
    private JdbcValues() {
    }

    /** Whether result column {@code index} (1-based) holds a zoned timestamp, read as an instant. */
    static boolean isZonedTimestamp(ResultSetMetaData metadata, int index) throws SQLException {
        if (metadata.getColumnType(index) == Types.TIMESTAMP_WITH_TIMEZONE) {
            return true;
        }
        String name = metadata.getColumnTypeName(index);
        return name != null && name.toLowerCase(Locale.ROOT).equals("timestamptz");
    }

    /**
     * Reads column {@code index} (1-based) of the current row into {@code out}'s column {@code column}.
     *
     * @throws ConversionException when the value does not fit the declared type
     */
    static void read(ResultSet result, int index, boolean zoned, DataType type, RowWriter out, int column)
            throws SQLException {
        switch (type.kind()) {
            case BOOLEAN -> {
                boolean value = result.getBoolean(index);
                if (result.wasNull()) {
                    out.setNull(column);
                } else {
                    out.setBoolean(column, value);
                }
            }
            case TINYINT, SMALLINT, INTEGER, BIGINT -> {
                Object value = result.getObject(index);
                if (value == null) {
                    out.setNull(column);
                } else {
                    out.setLong(column, (Long) ValueConversion.fromJava(type, value instanceof Boolean b ? (b ? 1L : 0L) : value));
                }
            }
            case REAL, DOUBLE -> {
                double value = result.getDouble(index);
                if (result.wasNull()) {
                    out.setNull(column);
                } else {
                    out.setDouble(column, value);
                }
            }
            case DECIMAL -> {
                BigDecimal value = result.getBigDecimal(index);
                out.setObject(column, value == null ? null : ValueConversion.fromJava(type, value));
            }
            case CHAR, VARCHAR -> {
                String value = result.getString(index);
                out.setObject(column, value == null ? null : ValueConversion.fromJava(type, value));
            }
            case VARBINARY -> {
                byte[] value = result.getBytes(index);
                out.setObject(column, value == null ? null : ValueConversion.fromJava(type, value));
            }
            case DATE -> {
                LocalDate value = result.getObject(index, LocalDate.class);
                setLong(out, column, value == null ? null : value.toEpochDay());
            }
            case TIME -> {
                LocalTime value = result.getObject(index, LocalTime.class);
                setLong(out, column, value == null ? null : (Long) ValueConversion.fromJava(type, value));
            }
            case TIMESTAMP -> {
                Object value = zoned ? result.getObject(index, OffsetDateTime.class)
                        : result.getObject(index, LocalDateTime.class);
                setLong(out, column, value == null ? null : (Long) ValueConversion.fromJava(type, value));
            }
            default -> throw new ConversionException("type " + type + " is not supported by connector 'jdbc'");
        }
    }

    private static void setLong(RowWriter out, int column, Long value) {
        if (value == null) {
            out.setNull(column);
        } else {
            out.setLong(column, value);
        }
    }

    /** Binds a representation value (null for NULL) to parameter {@code index} (1-based). */
    static void bind(PreparedStatement statement, int index, DataType type, Object value) throws SQLException {
        if (value == null) {
            statement.setNull(index, sqlType(type.kind()));
            return;
        }
        switch (type.kind()) {
            case BOOLEAN -> statement.setBoolean(index, (Boolean) value);
            case TINYINT, SMALLINT -> statement.setShort(index, (short) (long) (Long) value);
            case INTEGER -> statement.setInt(index, (int) (long) (Long) value);
            case BIGINT -> statement.setLong(index, (Long) value);
            case REAL -> statement.setFloat(index, (float) (double) (Double) value);
            case DOUBLE -> statement.setDouble(index, (Double) value);
            case DECIMAL -> statement.setBigDecimal(index, (BigDecimal) value);
            case CHAR, VARCHAR -> statement.setString(index, (String) value);
            case VARBINARY -> statement.setBytes(index, (byte[]) value);
            case DATE -> statement.setObject(index, LocalDate.ofEpochDay((Long) value));
            case TIME -> statement.setObject(index, LocalTime.ofNanoOfDay((Long) value * 1_000_000L));
            case TIMESTAMP -> statement.setObject(index, LocalDateTime.ofEpochSecond(Math.floorDiv((Long) value, 1000L),
                    (int) Math.floorMod((Long) value, 1000L) * 1_000_000, ZoneOffset.UTC));
            default -> throw new ConversionException("type " + type + " is not supported by connector 'jdbc'");
        }
    }

    private static int sqlType(TypeKind kind) {
        return switch (kind) {
            case TINYINT -> Types.SMALLINT; // PostgreSQL has no TINYINT
            default -> kind.jdbcType();
        };
    }
}
