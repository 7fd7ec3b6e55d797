package io.weir.sql.schema;

import io.weir.sql.catalog.CatalogObject;
import io.weir.sql.catalog.ColumnDefinition;
import io.weir.sql.catalog.ColumnKind;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelRoot;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.schema.Schema;
import org.apache.calcite.schema.TranslatableTable;
import org.apache.calcite.schema.impl.AbstractTable;

import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * A stream or table with computed columns, as Calcite sees it: expanded like a view into a projection
 * of the computed expressions over a scan of the columns its source produces (the hidden table
 * {@code name$physical}), so the expressions run in generated code. For continuous queries a computed
 * event-time column is one the source produces: the source computes it, for its watermark.
 */
final class ComputedColumnsTable extends AbstractTable implements TranslatableTable {
    static final String PHYSICAL_SUFFIX = "$physical";

    private final CatalogObject object;
    private final boolean continuous;

    /** @param continuous for continuous queries: a computed event-time column comes from the source */
    ComputedColumnsTable(CatalogObject object, boolean continuous) {
        this.object = requireNonNull(object, "object is null");
        this.continuous = continuous;
    }

    /** Whether the object has computed columns its source does not produce. */
    static boolean needed(CatalogObject object, boolean continuous) {
        return object.columns().stream().anyMatch(c -> !fromSource(object, c, continuous));
    }

    /** Whether the object's source produces {@code column}: a stored one, or (continuous) the computed event time. */
    static boolean fromSource(CatalogObject object, ColumnDefinition column, boolean continuous) {
        return column.kind() != ColumnKind.COMPUTED
                || continuous && object.computedEventTime().filter(c -> c.name().equals(column.name())).isPresent();
    }

    CatalogObject object() {
        return object;
    }

    @Override
    public RelDataType getRowType(RelDataTypeFactory typeFactory) {
        return CatalogTable.rowType(typeFactory, object.columns());
    }

    @Override
    public Schema.TableType getJdbcTableType() {
        return Schema.TableType.TABLE;
    }

    @Override
    public RelNode toRel(RelOptTable.ToRelContext context, RelOptTable relOptTable) {
        ObjectReferences.record(context.getCluster(), object);
        RelDataType rowType = relOptTable.getRowType();
        RelRoot root = context.expandView(rowType, expansionSql(), List.of(WeirSchema.NAME),
                List.of(WeirSchema.NAME, object.name()));
        return RelOptUtil.createCastRel(root.rel, rowType, true);
    }

    private String expansionSql() {
        List<String> items = new ArrayList<>();
        for (ColumnDefinition column : object.columns()) {
            String quoted = quote(column.name());
            items.add(fromSource(object, column, continuous) ? quoted : "(" + column.expression() + ") AS " + quoted);
        }
        return "SELECT " + String.join(", ", items) + " FROM " + quote(WeirSchema.NAME) + "."
                + quote(object.name() + PHYSICAL_SUFFIX);
    }

    private static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }
}
