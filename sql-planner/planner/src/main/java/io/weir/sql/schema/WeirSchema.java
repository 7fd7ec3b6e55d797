package io.weir.sql.schema;

import io.weir.engine.view.MaterializedViewConnectorFactory;
import io.weir.spi.type.DataType;
import io.weir.sql.catalog.Catalog;
import io.weir.sql.catalog.CatalogObject;
import io.weir.sql.catalog.ColumnDefinition;
import io.weir.sql.catalog.ObjectType;
import io.weir.sql.udf.UserFunctions;
import com.google.common.collect.ListMultimap;
import com.google.common.collect.Multimap;
import com.google.common.collect.Multimaps;
import org.apache.calcite.schema.Function;
import org.apache.calcite.schema.Table;
import org.apache.calcite.schema.impl.AbstractSchema;
import org.apache.calcite.sql.SqlNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

import static java.util.Objects.requireNonNull;

/**
 * The schema users query: every stream and table in the catalog, read live so that DDL is seen by
 * the next statement without any refresh.
 */
public final class WeirSchema extends AbstractSchema {
    /** The one schema name users see in JDBC metadata and may use to qualify names. */
    public static final String NAME = "weir";

    private final Catalog catalog;
    private final ObjectScanner scanner;
    private final boolean streaming;
    private final UnaryOperator<SqlNode> viewRewrite;
    private final boolean continuous;
    private final UserFunctions functions;

    /**
     * @param streaming whether streams appear as Calcite {@code StreamableTable}s, as {@code SELECT STREAM}
     *        needs; Calcite refuses those in plain queries, so bounded queries use a non-streaming view
     */
    public WeirSchema(Catalog catalog, ObjectScanner scanner, boolean streaming) {
        this(catalog, scanner, streaming, UnaryOperator.identity());
    }

    /** @param viewRewrite applied to a view's query before Calcite expands it */
    public WeirSchema(Catalog catalog, ObjectScanner scanner, boolean streaming, UnaryOperator<SqlNode> viewRewrite) {
        this(catalog, scanner, streaming, viewRewrite, false);
    }

    /**
     * @param continuous the objects as continuous queries read them: materialized views as their change
     *        streams, with the {@code op} column first (otherwise as their rows, as plain SELECTs read
     *        them), and a computed event-time column as a column of the source (which computes it for its
     *        watermark; otherwise computed like the other computed columns)
     */
    public WeirSchema(Catalog catalog, ObjectScanner scanner, boolean streaming, UnaryOperator<SqlNode> viewRewrite,
                      boolean continuous) {
        this(catalog, scanner, streaming, viewRewrite, continuous, UserFunctions.inMemory(java.util.Optional.empty()));
    }

    /** @param functions the server's user-defined functions, callable in queries over this schema */
    public WeirSchema(Catalog catalog, ObjectScanner scanner, boolean streaming, UnaryOperator<SqlNode> viewRewrite,
                      boolean continuous, UserFunctions functions) {
        this.functions = requireNonNull(functions, "functions is null");
        this.continuous = continuous;
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.scanner = requireNonNull(scanner, "scanner is null");
        this.streaming = streaming;
        this.viewRewrite = requireNonNull(viewRewrite, "viewRewrite is null");
    }

    @Override
    protected Map<String, Table> getTableMap() {
        Map<String, Table> tables = new LinkedHashMap<>();
        for (CatalogObject object : catalog.list()) {
            if (object.type() == ObjectType.VIEW) {
                tables.put(object.name(), new ViewTable(object, catalog, viewRewrite));
            } else if (object.type() == ObjectType.MATERIALIZED_VIEW && continuous) {
                List<ColumnDefinition> columns = new ArrayList<>();
                columns.add(ColumnDefinition.physical(MaterializedViewConnectorFactory.OP_COLUMN,
                        DataType.varchar().withNullable(false), "INSERT, UPDATE_BEFORE, UPDATE_AFTER or DELETE"));
                columns.addAll(object.columns());
                tables.put(object.name(), new CatalogTable(object, columns, scanner));
            } else if (!streaming && ComputedColumnsTable.needed(object, continuous)) {
                tables.put(object.name(), new ComputedColumnsTable(object, continuous));
                tables.put(object.name() + ComputedColumnsTable.PHYSICAL_SUFFIX,
                        CatalogTable.sourceColumns(object, scanner, continuous));
            } else {
                tables.put(object.name(), CatalogTable.of(object, scanner, streaming));
            }
        }
        return tables;
    }

    /**
     * The user-defined functions. Calcite looks a schema's functions up by the name as written: the map
     * ignores case, as unquoted identifiers do.
     */
    @Override
    protected Multimap<String, Function> getFunctionMultimap() {
        ListMultimap<String, Function> all = Multimaps.newListMultimap(new TreeMap<>(String.CASE_INSENSITIVE_ORDER),
                ArrayList::new);
        for (String name : functions.callableNames()) {
            all.putAll(name, functions.overloads(name));
        }
        return all;
    }

    @Override
    public boolean isMutable() {
        // Tells Calcite not to cache the table map: the catalog changes under it.
        return true;
    }
}
