package io.weir.sql.parser.ddl;

import java.util.List;
import java.util.Optional;

import org.apache.calcite.sql.SqlCreate;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;

import static java.util.Objects.requireNonNull;

/**
 * What CREATE STREAM and CREATE TABLE share:
 * {@code CREATE [OR REPLACE] kind [IF NOT EXISTS] name (element, ...) [WITH ('k' = 'v', ...)]}.
 * The parser accepts every element kind for both; which are allowed is the planner's decision. It
 * rejects a second WATERMARK, a second PRIMARY KEY and a repeated option key; repeated column names
 * are left to the planner, which knows how names compare.
 */
public abstract sealed class SqlCreateTableLike extends SqlCreate
        permits SqlCreateStream, SqlCreateReferenceTable {
    private final SqlIdentifier name;
    private final SqlNodeList elements;
    private final SqlNodeList options;

    SqlCreateTableLike(SqlOperator operator, SqlParserPos pos, boolean replace,
            boolean ifNotExists, SqlIdentifier name, SqlNodeList elements, SqlNodeList options) {
        super(operator, pos, replace, ifNotExists);
        this.name = requireNonNull(name, "name is null");
        this.elements = requireNonNull(elements, "elements is null");
        this.options = requireNonNull(options, "options is null");
    }

    /** STREAM or TABLE. */
    public abstract ObjectKind objectKind();

    public SqlIdentifier name() {
        return name;
    }

    public boolean replace() {
        return getReplace();
    }

    public boolean ifNotExists() {
        return ifNotExists;
    }

    /** All elements in the order written. */
    public List<SqlTableElement> elements() {
        return elements.stream().map(SqlTableElement.class::cast).toList();
    }

    /** The columns (physical, computed and metadata) in the order written. */
    public List<SqlTableColumn> columns() {
        return elements.stream()
                .filter(SqlTableColumn.class::isInstance)
                .map(SqlTableColumn.class::cast)
                .toList();
    }

    public Optional<SqlWatermark> watermark() {
        return elements.stream()
                .filter(SqlWatermark.class::isInstance)
                .map(SqlWatermark.class::cast)
                .findFirst();
    }

    public Optional<SqlPrimaryKey> primaryKey() {
        return elements.stream()
                .filter(SqlPrimaryKey.class::isInstance)
                .map(SqlPrimaryKey.class::cast)
                .findFirst();
    }

    /** The WITH options in the order written; empty without WITH. Keys are distinct. */
    public List<SqlOption> options() {
        return options.stream().map(SqlOption.class::cast).toList();
    }

    @Override
    public List<SqlNode> getOperandList() {
        return List.of(name, elements, options,
                DdlOperator.bool(getReplace()),
                DdlOperator.bool(ifNotExists));
    }

    @Override
    public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
        writer.keyword(getReplace() ? "CREATE OR REPLACE" : "CREATE");
        writer.keyword(objectKind().sql());
        if (ifNotExists) {
            writer.keyword("IF NOT EXISTS");
        }
        name.unparse(writer, 0, 0);
        DdlUnparse.list(writer, elements);
        DdlUnparse.options(writer, options);
    }
}
