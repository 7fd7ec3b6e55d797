package io.weir.sql.schema;

import io.weir.sql.catalog.CatalogObject;
import io.weir.sql.catalog.ObjectReference;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelVisitor;
import org.apache.calcite.rel.core.TableScan;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The catalog objects one statement refers to, collected while it is planned: the views Calcite
 * expands (they leave no trace in the plan) as they are expanded, and the streams, tables and
 * materialized views the plan scans. Given to the planner as its context (see
 * {@link PlannerFrameworks#planner}); one per statement, not thread-safe.
 */
public final class ObjectReferences {
    private final Map<String, CatalogObject> objects = new LinkedHashMap<>();

    /** The collector of the statement being planned in {@code cluster}, if it has one. */
    static void record(RelOptCluster cluster, CatalogObject object) {
        cluster.getPlanner().getContext().maybeUnwrap(ObjectReferences.class).ifPresent(references -> references.add(object));
    }

    public void add(CatalogObject object) {
        objects.putIfAbsent(object.id(), object);
    }

    /** Adds the objects {@code plan} scans. */
    public void addScans(RelNode plan) {
        new RelVisitor() {
            @Override
            public void visit(RelNode node, int ordinal, RelNode parent) {
                if (node instanceof TableScan scan) {
                    CatalogTable table = scan.getTable().unwrap(CatalogTable.class);
                    if (table != null) {
                        add(table.object());
                    }
                }
                super.visit(node, ordinal, parent);
            }
        }.go(plan);
    }

    /** The objects referred to, in the order first seen. */
    public List<CatalogObject> objects() {
        return List.copyOf(objects.values());
    }

    public List<ObjectReference> references() {
        return objects.values().stream().map(ObjectReference::to).toList();
    }
}
