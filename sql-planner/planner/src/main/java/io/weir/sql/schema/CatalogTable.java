package io.weir.sql.schema;

import io.weir.sql.catalog.CatalogObject;
import io.weir.sql.catalog.ColumnDefinition;
import io.weir.sql.catalog.ObjectType;
import org.apache.calcite.DataContext;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.rel.RelCollations;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.schema.ScannableTable;
import org.apache.calcite.schema.Schema;
import org.apache.calcite.schema.Statistic;
import org.apache.calcite.schema.Statistics;
import org.apache.calcite.schema.StreamableTable;
import org.apache.calcite.schema.Table;
import org.apache.calcite.schema.impl.AbstractTable;
import org.apache.calcite.util.ImmutableBitSet;

import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * A catalog object as Calcite sees it. Streams are {@link StreamableTable}s whose event-time
 * column is declared monotonic (what Calcite's streaming validation requires of windowed GROUP BY);
 * they and tables are also scannable so that bounded queries and metadata probes can run.
 */
public class CatalogTable extends AbstractTable implements ScannableTable {
    private final CatalogObject object;
    private final List<ColumnDefinition> columns;
    private final ObjectScanner scanner;

    /** @param columns the columns this table shows: all of the object's, or its stored (non-computed) ones */
    CatalogTable(CatalogObject object, List<ColumnDefinition> columns, ObjectScanner scanner) {
        this.object = requireNonNull(object, "object is null");
        this.columns = List.copyOf(columns);
        this.scanner = requireNonNull(scanner, "scanner is null");
    }

    public static CatalogTable of(CatalogObject object, ObjectScanner scanner, boolean streaming) {
        return streaming && object.type() == ObjectType.STREAM
                ? new StreamTable(object, object.columns(), scanner)
                : new CatalogTable(object, object.columns(), scanner);
    }

    /**
     * The columns the object's source produces, which {@link ComputedColumnsTable} expands over: the
     * stored (non-computed) ones, and for continuous queries a computed event-time column.
     */
    static CatalogTable sourceColumns(CatalogObject object, ObjectScanner scanner, boolean continuous) {
        return new CatalogTable(object, object.columns().stream()
                .filter(c -> ComputedColumnsTable.fromSource(object, c, continuous)).toList(), scanner);
    }

    static RelDataType rowType(RelDataTypeFactory typeFactory, List<ColumnDefinition> columns) {
        List<RelDataType> types = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (ColumnDefinition column : columns) {
            names.add(column.name());
            types.add(TypeMapping.toRelDataType(typeFactory, column.type()));
        }
        return typeFactory.createStructType(types, names);
    }

    public CatalogObject object() {
        return object;
    }

    @Override
    public RelDataType getRowType(RelDataTypeFactory typeFactory) {
        return rowType(typeFactory, columns);
    }

    @Override
    public Statistic getStatistic() {
        List<ImmutableBitSet> keys = new ArrayList<>();
        if (!object.primaryKey().isEmpty()) {
            ImmutableBitSet.Builder key = ImmutableBitSet.builder();
            for (String column : object.primaryKey()) {
                key.set(columnIndex(column));
            }
            keys.add(key.build());
        }
        // Row counts are unknown (streams are unbounded); 100 is Calcite's customary guess.
        List<org.apache.calcite.rel.RelCollation> collations = object.watermarkDefinition()
                .filter(watermark -> columnIndex(watermark.column()) >= 0)
                .map(watermark -> List.of(RelCollations.of(columnIndex(watermark.column()))))
                .orElse(List.of());
        return Statistics.of(100d, keys, collations);
    }

    private int columnIndex(String name) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equalsIgnoreCase(name)) {
                return i;
            }
        }
        return -1;
    }

    public List<ColumnDefinition> columns() {
        return columns;
    }

    @Override
    public Schema.TableType getJdbcTableType() {
        return switch (object.type()) {
            case STREAM -> Schema.TableType.STREAM;
            case MATERIALIZED_VIEW -> Schema.TableType.MATERIALIZED_VIEW;
            default -> Schema.TableType.TABLE;
        };
    }

    @Override
    public Enumerable<Object[]> scan(DataContext root) {
        return scanner.scan(object, columns, root);
    }

    /** A stream: the same table, also usable in {@code SELECT STREAM}. */
    static final class StreamTable extends CatalogTable implements StreamableTable {
        StreamTable(CatalogObject object, List<ColumnDefinition> columns, ObjectScanner scanner) {
            super(object, columns, scanner);
        }

        @Override
        public Table stream() {
            return this;
        }
    }
}
