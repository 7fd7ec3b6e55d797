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

import static java.util.Objects.requireNonNull;

/**
 * {@code SHOW STREAMS | TABLES | VIEWS | MATERIALIZED VIEWS | QUERIES | CONNECTORS | FORMATS
 * [LIKE 'pattern']}. The pattern uses SQL LIKE wildcards ({@code %}, {@code _}).
 */
public final class SqlShowObjects extends SqlCall {
    private static final SqlOperator OPERATOR = new DdlOperator("SHOW", SqlKind.OTHER,
            (pos, o) -> new SqlShowObjects(pos, o.symbol(0, ShowKind.class), o.string(1)));

    private final ShowKind kind;
    private final SqlCharStringLiteral likePattern;

    /** {@code likePattern} is null without LIKE. */
    public SqlShowObjects(SqlParserPos pos, ShowKind kind, SqlCharStringLiteral likePattern) {
        super(pos);
        this.kind = requireNonNull(kind, "kind is null");
        this.likePattern = likePattern;
    }

    public ShowKind kind() {
        return kind;
    }

    public Optional<String> likePattern() {
        return Optional.ofNullable(likePattern).map(SqlStrings::value);
    }

    @Override
    public SqlOperator getOperator() {
        return OPERATOR;
    }

    @Override
    public List<SqlNode> getOperandList() {
        return ImmutableNullableList.of(DdlOperator.symbol(kind),
                likePattern);
    }

    @Override
    public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
        writer.keyword("SHOW");
        writer.keyword(kind.sql());
        if (likePattern != null) {
            writer.keyword("LIKE");
            SqlStrings.unparse(writer, likePattern);
        }
    }
}
