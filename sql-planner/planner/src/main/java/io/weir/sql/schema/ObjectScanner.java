package io.weir.sql.schema;

import io.weir.sql.catalog.CatalogObject;
import org.apache.calcite.DataContext;
import org.apache.calcite.linq4j.Enumerable;

/**
 * Reads a bounded stream or table to its end, in Calcite's row representation, for plain
 * (non-continuous) queries.
 */
@FunctionalInterface
public interface ObjectScanner {
    Enumerable<Object[]> scan(CatalogObject object, DataContext context);
}
