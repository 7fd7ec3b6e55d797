package io.weir.sql.parameter;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.type.DataType;
import io.weir.spi.type.TypeKind;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDynamicParam;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOrderBy;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.util.SqlShuttle;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Writes bound values into a statement's text in place of its {@code ?}, each as a literal of its
 * parameter's type ({@code CAST(42 AS BIGINT)}, {@code TIMESTAMP '2024-05-01 10:00:00.000'}): for
 * statements that are kept or run as text — continuous queries, INSERT INTO (whose text is stored
 * and planned again after a restart), views and EXPLAIN. Everything else in the text stays as the
 * client wrote it.
 */
public final class ParameterText {
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSS");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

    private ParameterText() {
    }

    /** {@code sql} with each {@code ?} replaced by its value ({@link ParameterValues#convert converted}). */
    public static String inline(String sql, SqlNode statement, List<StatementParameter> parameters, List<Object> values) {
        return replace(sql, statement, parameters, values, false);
    }

    /**
     * {@code sql} with a typed NULL for each {@code ?} (1 for LIMIT and OFFSET): a statement of the same
     * shape, planned when it is prepared to know its result's columns.
     */
    public static String placeholders(String sql, SqlNode statement, List<StatementParameter> parameters) {
        return replace(sql, statement, parameters, Collections.nCopies(parameters.size(), null), true);
    }

    /** Where a {@code ?} stands: {@code count} for LIMIT and OFFSET, {@code option} for an option's value. */
    private record Occurrence(int index, int offset, int length, boolean count, boolean option) {
    }

    private static String replace(String sql, SqlNode statement, List<StatementParameter> parameters, List<Object> values,
                                  boolean placeholders) {
        List<Occurrence> occurrences = occurrences(sql, statement);
        StringBuilder text = new StringBuilder(sql);
        // from the last: offsets before a replacement stay valid
        occurrences.sort((a, b) -> Integer.compare(b.offset(), a.offset()));
        for (Occurrence occurrence : occurrences) {
            int i = occurrence.index();
            String literal = occurrence.count()
                    ? count(i, values.get(i), placeholders)
                    : occurrence.option() ? optionValue(i, values.get(i), placeholders)
                    : literal(parameters.get(i), values.get(i));
            text.replace(occurrence.offset(), occurrence.offset() + occurrence.length(), literal);
        }
        return text.toString();
    }

    private static List<Occurrence> occurrences(String sql, SqlNode statement) {
        Set<SqlNode> counts = Collections.newSetFromMap(new IdentityHashMap<>());
        java.util.Map<SqlNode, SqlParserPos> options = new IdentityHashMap<>();
        List<SqlDynamicParam> found = new ArrayList<>();
        statement.accept(new SqlShuttle() {
            @Override
            public SqlNode visit(SqlDynamicParam param) {
                found.add(param);
                return param;
            }

            @Override
            public SqlNode visit(SqlCall call) {
                if (call instanceof SqlOrderBy orderBy) {
                    addIfPresent(counts, orderBy.fetch, orderBy.offset);
                } else if (call instanceof SqlSelect select) {
                    addIfPresent(counts, select.getFetch(), select.getOffset());
                } else if (call instanceof io.weir.sql.parser.ddl.SqlOption option && option.isParameter()) {
                    options.put(option.getOperandList().get(1), option.valuePosition());
                }
                return super.visit(call);
            }
        });
        List<Occurrence> occurrences = new ArrayList<>();
        Set<Integer> offsets = new java.util.HashSet<>();
        for (SqlDynamicParam param : found) {
            int offset = offset(sql, param.getParserPosition());
            if (offset < 0 || offset >= sql.length() || sql.charAt(offset) != '?') {
                throw new IllegalStateException("parameter " + (param.getIndex() + 1) + " not found at "
                        + param.getParserPosition() + " in: " + sql);
            }
            if (offsets.add(offset)) { // once, however often the tree holds it
                SqlParserPos span = options.get(param);
                if (span != null) {
                    // an option's value: the ? or the CAST(? AS type) around it becomes a string literal
                    int start = offset(sql, span);
                    int end = offset(sql, new SqlParserPos(span.getEndLineNum(), span.getEndColumnNum())) + 1;
                    occurrences.add(new Occurrence(param.getIndex(), start, end - start, false, true));
                } else {
                    occurrences.add(new Occurrence(param.getIndex(), offset, 1, counts.contains(param), false));
                }
            }
        }
        return occurrences;
    }

    private static void addIfPresent(Set<SqlNode> set, SqlNode... nodes) {
        for (SqlNode node : nodes) {
            if (node != null) {
                set.add(node);
            }
        }
    }

    /** The offset in {@code sql} of a parser position (lines and columns from 1; \n, \r and \r\n end a line). */
    static int offset(String sql, SqlParserPos pos) {
        int line = 1;
        int i = 0;
        while (line < pos.getLineNum() && i < sql.length()) {
            char c = sql.charAt(i++);
            if (c == '\r' && i < sql.length() && sql.charAt(i) == '\n') {
                i++;
            }
            if (c == '\r' || c == '\n') {
                line++;
            }
        }
        return i + pos.getColumnNum() - 1;
    }

    private static String count(int index, Object value, boolean placeholder) {
        if (value == null && placeholder) {
            return "1";
        }
        if (!(value instanceof Number number) || number.longValue() < 0) {
            throw new WeirException(ErrorCode.NUMERIC_OUT_OF_RANGE, "Parameter " + (index + 1) + " of LIMIT or OFFSET must be"
                    + " a whole number of 0 or more, not " + value);
        }
        return Long.toString(number.longValue());
    }

    /**
     * An interval value in Weir's representation (milliseconds, months) as a standard literal of the widest
     * type of its kind: {@code INTERVAL '-1 02:00:00.000' DAY(9) TO SECOND(3)}, {@code INTERVAL '1-02' YEAR(9) TO MONTH}.
     */
    public static String intervalLiteral(TypeKind kind, long value) {
        long abs = Math.abs(value);
        String sign = value < 0 ? "-" : "";
        if (kind == TypeKind.INTERVAL_YEAR_MONTH) {
            return "INTERVAL '" + sign + abs / 12 + "-" + String.format(Locale.ROOT, "%02d", abs % 12) + "' YEAR(9) TO MONTH";
        }
        return "INTERVAL '" + sign + abs / 86_400_000L + " " + String.format(Locale.ROOT, "%02d:%02d:%02d.%03d",
                abs / 3_600_000L % 24, abs / 60_000L % 60, abs / 1000L % 60, abs % 1000L) + "' DAY(9) TO SECOND(3)";
    }

    /**
     * An option's value as the string literal an option takes ({@code 'path' = '/data/in'}); the empty string
     * for a placeholder.
     */
    private static String optionValue(int index, Object value, boolean placeholder) {
        if (value == null && placeholder) {
            return "''";
        }
        if (value == null) {
            throw new WeirException(ErrorCode.INVALID_OPTION_VALUE, "Parameter " + (index + 1) + " is an option's value,"
                    + " which cannot be NULL; set it to the option's text (setString), or leave the option out");
        }
        return "'" + value.toString().replace("'", "''") + "'";
    }

    /** A value in Weir's representation of the parameter's type as a SQL literal of that type. */
    static String literal(StatementParameter parameter, Object value) {
        String castType = parameter.castType();
        if (value == null) {
            return "CAST(NULL AS " + castType + ")";
        }
        DataType type = parameter.type();
        return switch (type.kind()) {
            case BOOLEAN -> (Boolean) value ? "TRUE" : "FALSE";
            case TINYINT, SMALLINT, INTEGER, BIGINT -> "CAST(" + value + " AS " + castType + ")";
            case REAL, DOUBLE -> {
                double d = ((Number) value).doubleValue();
                if (Double.isNaN(d) || Double.isInfinite(d)) {
                    yield "CAST('" + d + "' AS " + castType + ")";
                }
                String text = Double.toString(d);
                yield "CAST(" + (text.contains("E") ? text : text + "E0") + " AS " + castType + ")";
            }
            case DECIMAL -> {
                BigDecimal decimal = (BigDecimal) value;
                if (decimal.scale() < 0) {
                    decimal = decimal.setScale(0);
                }
                int precision = Math.max(decimal.precision(), decimal.scale());
                yield "CAST(" + decimal.toPlainString() + " AS DECIMAL(" + precision + ", " + decimal.scale() + "))";
            }
            case CHAR, VARCHAR -> "CAST('" + value.toString().replace("'", "''") + "' AS VARCHAR)";
            case VARBINARY -> "CAST(X'" + HexFormat.of().formatHex((byte[]) value) + "' AS VARBINARY)";
            case DATE -> "DATE '" + LocalDate.ofEpochDay(((Number) value).longValue()) + "'";
            case TIME -> "CAST(TIME '" + LocalTime.ofNanoOfDay(((Number) value).longValue() * 1_000_000L).format(TIME)
                    + "' AS " + castType + ")";
            case TIMESTAMP -> {
                long millis = ((Number) value).longValue();
                LocalDateTime time = LocalDateTime.ofEpochSecond(Math.floorDiv(millis, 1000L),
                        (int) Math.floorMod(millis, 1000L) * 1_000_000, ZoneOffset.UTC);
                yield "CAST(TIMESTAMP '" + time.format(TIMESTAMP) + "' AS " + castType + ")";
            }
            case INTERVAL_DAY_TIME, INTERVAL_YEAR_MONTH -> intervalLiteral(type.kind(), ((Number) value).longValue());
            default -> throw new WeirException(ErrorCode.NOT_SUPPORTED, "Parameters of type " + type.kind().sqlName()
                    + " are not supported; write the value into the statement");
        };
    }
}
