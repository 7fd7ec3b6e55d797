package io.weir.connector.datagen;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.connector.ConnectorContext;
import io.weir.spi.type.DataType;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The {@code fields.<column>.<key>} options, grouped by column. Unknown columns and unknown keys are
 * errors naming the full option key.
 */
final class FieldOptions {
    static final String PREFIX = "fields.";
    static final String KIND = "kind";
    static final String MIN = "min";
    static final String MAX = "max";
    static final String LENGTH = "length";
    static final String VALUES = "values";
    static final String START = "start";
    static final String END = "end";
    static final String MAX_DISORDER = "max-disorder";
    static final String NULL_RATE = "null-rate";
    static final String VALUE = "value";
    static final Set<String> KEYS = Set.of(KIND, MIN, MAX, LENGTH, VALUES, START, END, MAX_DISORDER, NULL_RATE, VALUE);

    /** One column's options: sub-key (lower case) to value, plus the full keys for messages. */
    record ColumnOptions(int column, DataType.Field field, Map<String, String> values, Map<String, String> fullKeys) {
        String key(String subKey) {
            return fullKeys.getOrDefault(subKey, PREFIX + field.name() + "." + subKey);
        }

        boolean has(String subKey) {
            return values.containsKey(subKey);
        }

        String get(String subKey) {
            return values.get(subKey);
        }
    }

    private final Map<Integer, ColumnOptions> byColumn;

    private FieldOptions(Map<Integer, ColumnOptions> byColumn) {
        this.byColumn = byColumn;
    }

    static FieldOptions of(ConnectorContext context) {
        Map<Integer, Map<String, String>> values = new HashMap<>();
        Map<Integer, Map<String, String>> keys = new HashMap<>();
        for (Map.Entry<String, String> entry : context.options().raw().entrySet()) {
            String key = entry.getKey();
            if (!key.startsWith(PREFIX)) {
                continue;
            }
            String rest = key.substring(PREFIX.length());
            int dot = rest.lastIndexOf('.');
            if (dot <= 0 || dot == rest.length() - 1) {
                throw unknown(context, key, "expected 'fields.<column>.<key>' with <key> one of " + sortedKeys());
            }
            String columnName = rest.substring(0, dot);
            String subKey = rest.substring(dot + 1);
            OptionalInt column = context.columnIndex(columnName);
            if (column.isEmpty()) {
                throw unknown(context, key, context.describe() + " has no column '" + columnName + "'; its columns are "
                        + context.schema().stream().map(DataType.Field::name).toList());
            }
            if (!KEYS.contains(subKey)) {
                throw unknown(context, key, "supported keys after 'fields.<column>.' are " + sortedKeys());
            }
            values.computeIfAbsent(column.getAsInt(), c -> new LinkedHashMap<>()).put(subKey, entry.getValue());
            keys.computeIfAbsent(column.getAsInt(), c -> new HashMap<>()).put(subKey, key);
        }
        Map<Integer, ColumnOptions> byColumn = new HashMap<>();
        values.forEach((column, map) -> byColumn.put(column,
                new ColumnOptions(column, context.schema().get(column), map, keys.get(column))));
        return new FieldOptions(byColumn);
    }

    ColumnOptions forColumn(int column, DataType.Field field) {
        return byColumn.getOrDefault(column, new ColumnOptions(column, field, Map.of(), Map.of()));
    }

    private static List<String> sortedKeys() {
        List<String> sorted = new ArrayList<>(KEYS);
        sorted.sort(null);
        return sorted;
    }

    static WeirException unknown(ConnectorContext context, String key, String detail) {
        return new WeirException(ErrorCode.UNKNOWN_OPTION, "Unknown option '" + key.toLowerCase(Locale.ROOT)
                + "' for connector 'datagen': " + detail);
    }

    static WeirException invalid(String key, String value, String problem) {
        return new WeirException(ErrorCode.INVALID_OPTION_VALUE, "Invalid value '" + value + "' for option '" + key + "': " + problem);
    }
}
