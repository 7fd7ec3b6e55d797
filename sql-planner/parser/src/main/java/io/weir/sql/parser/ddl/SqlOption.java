package io.weir.sql.parser.ddl;

import java.util.List;

import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlCharStringLiteral;
import org.apache.calcite.sql.SqlDynamicParam;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;

import static java.util.Objects.requireNonNull;

/**
 * One {@code 'key' = 'value'} entry of a {@code WITH (...)} clause. Its position is the key's, so
 * an error about an option can point at it. Numbers and booleans given as values are kept as text.
 * In a prepared statement the value may be a parameter ({@code 'path' = ?}), whose value is written
 * into the statement's text as a string when it is bound.
 */
public final class SqlOption extends SqlCall {
    private static final SqlOperator OPERATOR = new DdlOperator("OPTION", SqlKind.OTHER,
            (pos, o) -> new SqlOption(o.string(0), o.node(1)));

    private final SqlCharStringLiteral key;
    /** A string literal, or a {@link SqlDynamicParam} not bound yet. */
    private final SqlNode value;

    /** Where the value stands in the text: the value's position, or that of the CAST around a parameter. */
    private final SqlParserPos valueSpan;

    public SqlOption(SqlCharStringLiteral key, SqlNode value) {
        this(key, value, null);
    }

    /** @param valueSpan where the value stands, when more than the value (CAST(? AS type)); null: the value's position */
    public SqlOption(SqlCharStringLiteral key, SqlNode value, SqlParserPos valueSpan) {
        super(requireNonNull(key, "key is null").getParserPosition());
        this.key = key;
        this.value = requireNonNull(value, "value is null");
        this.valueSpan = valueSpan == null ? value.getParserPosition() : valueSpan;
        if (!(value instanceof SqlCharStringLiteral) && !(value instanceof SqlDynamicParam)) {
            throw new IllegalArgumentException("an option's value is a string or a parameter, not " + value);
        }
    }

    /** Whether the value is a parameter ({@code ?}) of a prepared statement, not bound yet. */
    public boolean isParameter() {
        return value instanceof SqlDynamicParam;
    }

    public String key() {
        return SqlStrings.value(key);
    }

    /** The value; the empty string for a parameter not bound yet (a statement with one is prepared, never run). */
    public String value() {
        return value instanceof SqlCharStringLiteral literal ? SqlStrings.value(literal) : "";
    }

    public SqlParserPos keyPosition() {
        return key.getParserPosition();
    }

    /** Where the value stands in the text (for a parameter written CAST(? AS type), the whole CAST). */
    public SqlParserPos valuePosition() {
        return valueSpan;
    }

    @Override
    public SqlOperator getOperator() {
        return OPERATOR;
    }

    @Override
    public List<SqlNode> getOperandList() {
        return List.of(key, value);
    }

    @Override
    public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
        SqlStrings.unparse(writer, key);
        writer.keyword("=");
        if (value instanceof SqlCharStringLiteral literal) {
            SqlStrings.unparse(writer, literal);
        } else {
            value.unparse(writer, 0, 0);
        }
    }
}
