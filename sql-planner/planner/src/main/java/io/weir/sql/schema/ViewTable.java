package io.weir.sql.schema;

import io.weir.sql.catalog.Catalog;
import io.weir.sql.catalog.CatalogObject;
import io.weir.sql.catalog.ObjectReference;
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
 * A view whose objects were dropped is not expanded (its names would find other objects, or none).
 */
public final class ViewTable extends AbstractTable implements TranslatableTable {
    private final CatalogObject object;
    private final Catalog catalog;
    private final UnaryOperator<SqlNode> rewrite;

    /** @param rewrite applied to the view's query before it is expanded (e.g. dropping STREAM keywords) */
    ViewTable(CatalogObject object, Catalog catalog, UnaryOperator<SqlNode> rewrite) {
        this.object = requireNonNull(object, "object is null");
        this.catalog = requireNonNull(catalog, "catalog is null");
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
        String what = "View '" + object.name() + "'";
        String remedy = "Drop the view (DROP VIEW " + object.name() + ") and create it again";
        if (object.dependencies() != null) {
            catalog.checkCurrent(object.dependencies(), what, remedy);
        }
        ObjectReferences.record(context.getCluster(), object);
        RelDataType rowType = relOptTable.getRowType();
        String sql = rewrite.apply(query(object)).toSqlString(CalciteSqlDialect.DEFAULT).getSql();
        RelRoot root = context.expandView(rowType, sql, List.of(WeirSchema.NAME), List.of(WeirSchema.NAME, object.name()));
        if (object.dependencies() == null) {
            // A view of an older Weir's catalog that could not be checked when it was loaded: an object
            // registered after the view is not the one it was created over (that one was dropped).
            ObjectReferences read = new ObjectReferences();
            read.addScans(root.rel);
            for (CatalogObject found : read.objects()) {
                if (found.createdAt().isAfter(object.createdAt())) {
                    throw catalog.dropped(what, ObjectReference.gone(found.name(), found.type()), remedy);
                }
            }
        }
        return RelOptUtil.createCastRel(root.rel, rowType, true);
    }
}
