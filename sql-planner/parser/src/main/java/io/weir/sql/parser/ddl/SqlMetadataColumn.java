package io.weir.sql.parser.ddl;

import java.util.List;
import java.util.Optional;

import org.apache.calcite.sql.SqlCharStringLiteral;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.util.ImmutableNullableList;

import static java.util.Objects.requireNonNull;

/**
 * A column filled from connector metadata rather than the record's value:
 * {@code name type METADATA [FROM 'key'] [VIRTUAL] [COMMENT 'text']} (as in Flink). Without FROM
 * the key is the column name. A VIRTUAL column is read-only: INSERT INTO the stream skips it.
 */
public final class SqlMetadataColumn extends SqlTableColumn {
    private static final SqlOperator OPERATOR = new DdlOperator("METADATA COLUMN", SqlKind.OTHER,
            (pos, o) -> new SqlMetadataColumn(pos, o.identifier(0), o.type(1), o.string(2),
                    o.bool(3), o.string(4)));

    private final SqlDataTypeSpec type;
    private final SqlCharStringLiteral metadataKey;
    private final boolean virtual;

    public SqlMetadataColumn(SqlParserPos pos, SqlIdentifier name, SqlDataTypeSpec type,
            SqlCharStringLiteral metadataKey, boolean virtual, SqlCharStringLiteral comment) {
        super(pos, name, comment);
        this.type = requireNonNull(type, "type is null");
        this.metadataKey = metadataKey;
        this.virtual = virtual;
    }

    public SqlDataTypeSpec type() {
        return type;
    }

    /** The key given with FROM; empty when the column name is the key. */
    public Optional<String> metadataKey() {
        return Optional.ofNullable(metadataKey).map(SqlStrings::value);
    }

    public boolean virtual() {
        return virtual;
    }

    @Override
    public SqlOperator getOperator() {
        return OPERATOR;
    }

    @Override
    public List<SqlNode> getOperandList() {
        return ImmutableNullableList.of(name(), type, metadataKey,
                DdlOperator.bool(virtual), commentLiteral());
    }

    @Override
    public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
        name().unparse(writer, 0, 0);
        type.unparse(writer, 0, 0);
        writer.keyword("METADATA");
        if (metadataKey != null) {
            writer.keyword("FROM");
            SqlStrings.unparse(writer, metadataKey);
        }
        if (virtual) {
            writer.keyword("VIRTUAL");
        }
        unparseComment(writer);
    }
}
