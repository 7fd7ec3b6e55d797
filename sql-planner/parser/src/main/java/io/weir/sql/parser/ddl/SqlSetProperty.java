package io.weir.sql.parser.ddl;

import java.util.List;
import java.util.Optional;

import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlCharStringLiteral;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.util.ImmutableNullableList;

/**
 * {@code SET 'key' = 'value'} sets a session property; {@code SET} alone lists them (no key, no
 * value). A number or boolean value is kept as its text. Calcite's {@code SET name = value} (an
 * identifier, not a string) still parses to Calcite's {@code SqlSetOption}.
 */
public final class SqlSetProperty extends SqlCall {
    private static final SqlOperator OPERATOR = new DdlOperator("SET", SqlKind.OTHER,
            (pos, o) -> new SqlSetProperty(pos, o.string(0), o.string(1)));

    private final SqlCharStringLiteral key;
    private final SqlCharStringLiteral value;

    /** {@code key} and {@code value} are both null (list properties) or both set. */
    public SqlSetProperty(SqlParserPos pos, SqlCharStringLiteral key, SqlCharStringLiteral value) {
        super(pos);
        if ((key == null) != (value == null)) {
            throw new IllegalArgumentException("key and value must both be given or both be null");
        }
        this.key = key;
        this.value = value;
    }

    /** Empty for a bare SET, which lists the session properties. */
    public Optional<String> key() {
        return Optional.ofNullable(key).map(SqlStrings::value);
    }

    public Optional<String> value() {
        return Optional.ofNullable(value).map(SqlStrings::value);
    }

    /** The position of the key, or of SET for a bare SET. */
    public SqlParserPos keyPosition() {
        return key == null ? getParserPosition() : key.getParserPosition();
    }

    @Override
    public SqlOperator getOperator() {
        return OPERATOR;
    }

    @Override
    public List<SqlNode> getOperandList() {
        return ImmutableNullableList.of(key, value);
    }

    @Override
    public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
        writer.keyword("SET");
        if (key != null) {
            SqlStrings.unparse(writer, key);
            writer.keyword("=");
            SqlStrings.unparse(writer, value);
        }
    }
}
