package io.weir.server.meta;

import org.apache.calcite.avatica.ColumnMetaData;
import org.apache.calcite.avatica.MetaImpl;

import java.util.ArrayList;
import java.util.List;

/** Declares the columns of a JDBC metadata result (getTables, getColumns, ...) in JDBC's order. */
final class MetaResultColumns {
    private final List<ColumnMetaData> columns = new ArrayList<>();

    MetaResultColumns add(String name, Class<?> type, boolean nullable) {
        columns.add(MetaImpl.columnMetaData(name, columns.size(), type, nullable));
        return this;
    }

    MetaResultColumns text(String name) {
        return add(name, String.class, true);
    }

    MetaResultColumns textNotNull(String name) {
        return add(name, String.class, false);
    }

    List<ColumnMetaData> build() {
        return List.copyOf(columns);
    }

    int size() {
        return columns.size();
    }
}
