package io.weir.sql.statement;

import org.apache.calcite.sql.SqlNode;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * A parsed and validated statement, ready to execute: its kind, the columns of its result (empty
 * for statements without rows) and how many {@code ?} parameters it has.
 */
public record PreparedPlan(String sql, SqlNode statement, StatementKind kind, List<ResultColumn> columns,
                           int parameterCount) {
    public PreparedPlan {
        requireNonNull(sql, "sql is null");
        requireNonNull(statement, "statement is null");
        requireNonNull(kind, "kind is null");
        columns = List.copyOf(columns);
    }

    public boolean producesRows() {
        return !columns.isEmpty() || kind.producesRows();
    }
}
