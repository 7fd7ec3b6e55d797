package io.weir.sql.parser.ddl;

import java.util.Optional;

import org.apache.calcite.sql.SqlCharStringLiteral;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;

import static java.util.Objects.requireNonNull;

/** A column of CREATE STREAM or CREATE TABLE: physical, computed or metadata. */
public abstract sealed class SqlTableColumn extends SqlTableElement
        permits SqlColumnDeclaration, SqlComputedColumn, SqlMetadataColumn {
    private final SqlIdentifier name;
    private final SqlCharStringLiteral comment;

    SqlTableColumn(SqlParserPos pos, SqlIdentifier name, SqlCharStringLiteral comment) {
        super(pos);
        this.name = requireNonNull(name, "name is null");
        this.comment = comment;
    }

    /** The column name, with the case the user wrote. */
    public SqlIdentifier name() {
        return name;
    }

    public Optional<String> comment() {
        return Optional.ofNullable(comment).map(SqlStrings::value);
    }

    SqlCharStringLiteral commentLiteral() {
        return comment;
    }

    void unparseComment(SqlWriter writer) {
        if (comment != null) {
            writer.keyword("COMMENT");
            SqlStrings.unparse(writer, comment);
        }
    }
}
