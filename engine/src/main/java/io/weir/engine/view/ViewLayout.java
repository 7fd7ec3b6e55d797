package io.weir.engine.view;

import io.weir.spi.type.DataType;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * How a materialized view keeps the rows its query writes.
 *
 * @param columns the view's columns
 * @param keyColumns the columns identifying a row (window bounds and GROUP BY keys); a row written
 *        with the key of a kept row replaces it. Empty: every row is kept (a view of a filter or
 *        projection)
 * @param keepColumn whether each written row carries one more, trailing BOOLEAN column saying whether
 *        the row belongs in the view (a HAVING that no longer holds removes the row)
 * @param windowEndColumn the column of the window end, for retention of windowed views
 * @param retention rows of windows that ended this long before the latest window end seen (or, for
 *        views without windows, rows not written for this long) are removed
 */
public record ViewLayout(List<DataType.Field> columns, List<Integer> keyColumns, boolean keepColumn,
                         Optional<Integer> windowEndColumn, Optional<Duration> retention) {
    public ViewLayout {
        columns = List.copyOf(columns);
        keyColumns = List.copyOf(keyColumns);
        requireNonNull(windowEndColumn, "windowEndColumn is null");
        requireNonNull(retention, "retention is null");
    }

    /** The rows the view's query writes: the columns, then the keep flag when there is one. */
    public int writtenColumns() {
        return columns.size() + (keepColumn ? 1 : 0);
    }
}
