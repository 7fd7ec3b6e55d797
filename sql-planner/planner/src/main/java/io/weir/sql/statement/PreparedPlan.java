package io.weir.sql.statement;

import io.weir.sql.parameter.StatementParameter;
import org.apache.calcite.sql.SqlNode;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * A parsed and planned statement, ready to execute: the {@link Operation} it is (with the privileges it
 * requires), the columns of its result (empty for statements without rows) and its {@code ?} parameters
 * with their types.
 *
 * @param parameterValues the values bound to the parameters, in the representation Calcite's generated
 *        code reads (see {@link StatementExecutor#bind}); empty until bound. Only a plain query keeps its
 *        parameters when bound: other statements are bound by writing the values into their text.
 */
public record PreparedPlan(String sql, Operation operation, List<ResultColumn> columns,
                           List<StatementParameter> parameters, List<Object> parameterValues) {
    public PreparedPlan {
        requireNonNull(sql, "sql is null");
        requireNonNull(operation, "operation is null");
        columns = List.copyOf(columns);
        parameters = List.copyOf(parameters);
        parameterValues = Collections.unmodifiableList(new ArrayList<>(parameterValues)); // NULL values allowed
    }

    /** A statement without parameters. */
    public PreparedPlan(String sql, Operation operation, List<ResultColumn> columns) {
        this(sql, operation, columns, List.of(), List.of());
    }

    public int parameterCount() {
        return parameters.size();
    }

    /** Whether values are bound to all its parameters (true without parameters). */
    public boolean bound() {
        return parameterValues.size() == parameters.size();
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

    PreparedPlan withValues(List<Object> values) {
        return new PreparedPlan(sql, operation, columns, parameters, values);
    }
}
