package io.weir.sql.schema;

import io.weir.sql.catalog.CatalogObject;
import io.weir.sql.catalog.ColumnDefinition;
import org.apache.calcite.DataContext;
import org.apache.calcite.linq4j.Enumerable;

import java.util.List;

/**
 * Reads a bounded stream or table to its end, in Calcite's row representation, for plain
 * (non-continuous) queries.
 */
@FunctionalInterface
public interface ObjectScanner {
    /** Rows of {@code columns} (a subset of the object's, in that order). */
    Enumerable<Object[]> scan(CatalogObject object, List<ColumnDefinition> columns, DataContext context);
}
