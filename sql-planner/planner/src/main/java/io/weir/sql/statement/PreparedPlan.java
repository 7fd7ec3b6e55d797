package io.weir.sql.statement;

import org.apache.calcite.sql.SqlNode;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * A parsed and planned statement, ready to execute: the {@link Operation} it is (with the privileges it
 * requires), the columns of its result (empty for statements without rows) and how many {@code ?}
 * parameters it has.
 */
public record PreparedPlan(String sql, Operation operation, List<ResultColumn> columns, int parameterCount) {
    public PreparedPlan {
        requireNonNull(sql, "sql is null");
        requireNonNull(operation, "operation is null");
        columns = List.copyOf(columns);
    }

    /** The statement as parsed. */
    public SqlNode statement() {
        return operation.statement();
    }

    public StatementKind kind() {
        return operation.kind();
    }

    public boolean producesRows() {
        return !columns.isEmpty() || kind().producesRows();
    }
}
