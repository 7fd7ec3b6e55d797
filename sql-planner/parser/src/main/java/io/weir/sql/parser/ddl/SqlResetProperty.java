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
 * {@code RESET 'key'} resets one session property to its default; {@code RESET} alone resets all.
 * Calcite's {@code RESET name} and {@code RESET ALL} still parse to Calcite's {@code SqlSetOption}.
 */
public final class SqlResetProperty extends SqlCall {
    private static final SqlOperator OPERATOR = new DdlOperator("RESET", SqlKind.OTHER,
            (pos, o) -> new SqlResetProperty(pos, o.string(0)));

    private final SqlCharStringLiteral key;

    /** {@code key} is null for a bare RESET. */
    public SqlResetProperty(SqlParserPos pos, SqlCharStringLiteral key) {
        super(pos);
        this.key = key;
    }

    /** Empty for a bare RESET, which resets every session property. */
    public Optional<String> key() {
        return Optional.ofNullable(key).map(SqlStrings::value);
    }

    /** The position of the key, or of RESET for a bare RESET. */
    public SqlParserPos keyPosition() {
        return key == null ? getParserPosition() : key.getParserPosition();
    }

    @Override
    public SqlOperator getOperator() {
        return OPERATOR;
    }

    @Override
    public List<SqlNode> getOperandList() {
        return ImmutableNullableList.of(key);
    }

    @Override
    public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
        writer.keyword("RESET");
        if (key != null) {
            SqlStrings.unparse(writer, key);
        }
    }
}
