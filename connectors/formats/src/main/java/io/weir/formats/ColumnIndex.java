package io.weir.formats;

import io.weir.spi.type.DataType;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Finds the column an external field name (JSON key, CSV header) fills: an exact match first, then
 * a match ignoring case, so {@code user_id} fills a column declared {@code USER_ID}. Lookups do not
 * allocate.
 */
public final class ColumnIndex {
    private final Map<String, Integer> exact = new HashMap<>();
    private final Map<String, Integer> ignoringCase = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

    public ColumnIndex(List<DataType.Field> schema) {
        for (int i = 0; i < schema.size(); i++) {
            String name = schema.get(i).name();
            exact.putIfAbsent(name, i);
            ignoringCase.putIfAbsent(name, i);
        }
    }

    /** The column index, or -1 when no column has that name. */
    public int find(String name) {
        Integer index = exact.get(name);
        if (index == null) {
            index = ignoringCase.get(name);
        }
        return index == null ? -1 : index;
    }
}
