package io.weir.sql.schema;

import io.weir.sql.catalog.CatalogObject;
import io.weir.sql.parser.WeirSqlParser;
import io.weir.sql.parser.ddl.SqlCreateWeirView;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelRoot;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.schema.Schema;
import org.apache.calcite.schema.TranslatableTable;
import org.apache.calcite.schema.impl.AbstractTable;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.dialect.CalciteSqlDialect;

import java.util.List;
import java.util.function.UnaryOperator;

import static java.util.Objects.requireNonNull;

/**
 * A view as Calcite sees it: expanded where it is used into the plan of its query, taken from the
 * CREATE VIEW statement kept in the catalog. Its columns are the ones recorded when it was created.
 */
public final class ViewTable extends AbstractTable implements TranslatableTable {
    private final CatalogObject object;
    private final UnaryOperator<SqlNode> rewrite;

    /** @param rewrite applied to the view's query before it is expanded (e.g. dropping STREAM keywords) */
    ViewTable(CatalogObject object, UnaryOperator<SqlNode> rewrite) {
        this.object = requireNonNull(object, "object is null");
        this.rewrite = requireNonNull(rewrite, "rewrite is null");
    }

    /** The query of a view, from its CREATE VIEW statement. */
    public static SqlNode query(CatalogObject view) {
        return ((SqlCreateWeirView) WeirSqlParser.parseStatement(view.ddl())).query();
    }

    @Override
    public RelDataType getRowType(RelDataTypeFactory typeFactory) {
        return CatalogTable.rowType(typeFactory, object.columns());
    }

    @Override
    public Schema.TableType getJdbcTableType() {
        return Schema.TableType.VIEW;
    }

    @Override
    public RelNode toRel(RelOptTable.ToRelContext context, RelOptTable relOptTable) {
        RelDataType rowType = relOptTable.getRowType();
        String sql = rewrite.apply(query(object)).toSqlString(CalciteSqlDialect.DEFAULT).getSql();
        RelRoot root = context.expandView(rowType, sql, List.of(WeirSchema.NAME), List.of(WeirSchema.NAME, object.name()));
        return RelOptUtil.createCastRel(root.rel, rowType, true);
    }
}
