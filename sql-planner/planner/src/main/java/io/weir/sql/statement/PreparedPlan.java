package io.weir.sql.statement;

import io.weir.spi.type.DataType;
import org.apache.calcite.sql.SqlNode;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * A parsed and validated statement, ready to execute: its kind, the columns of its result (empty
 * for statements without rows), how many {@code ?} parameters it has with the types validation gave
 * them (in order; empty when not known), and the values bound to them ({@link #bind}).
 */
public record PreparedPlan(String sql, SqlNode statement, StatementKind kind, List<ResultColumn> columns,
                           int parameterCount, List<DataType> parameterTypes, List<Object> parameterValues) {
    public PreparedPlan {
        requireNonNull(sql, "sql is null");
        requireNonNull(statement, "statement is null");
        requireNonNull(kind, "kind is null");
        columns = List.copyOf(columns);
        parameterTypes = List.copyOf(parameterTypes);
        // values may be null (SQL NULL)
        parameterValues = Collections.unmodifiableList(new ArrayList<>(parameterValues));
        if (!parameterTypes.isEmpty() && parameterTypes.size() != parameterCount) {
            throw new IllegalArgumentException(parameterTypes.size() + " parameter types for " + parameterCount + " parameters");
        }
    }

    /** A statement whose parameters' types are not known (none, or not a query). */
    public PreparedPlan(String sql, SqlNode statement, StatementKind kind, List<ResultColumn> columns, int parameterCount) {
        this(sql, statement, kind, columns, parameterCount, List.of(), List.of());
    }

    public boolean producesRows() {
        return !columns.isEmpty() || kind.producesRows();
    }

    /**
     * This statement with {@code values} for its parameters, in Weir's value representation
     * ({@link io.weir.spi.type.TypeKind}) of each parameter's type; null for SQL NULL.
     *
     * @throws io.weir.spi.WeirException when the number of values is not the number of parameters
     */
    public PreparedPlan bind(List<Object> values) {
        if (values.size() != parameterCount) {
            throw new io.weir.spi.WeirException(io.weir.spi.ErrorCode.VALIDATION_ERROR, "The statement has " + parameterCount
                    + " parameters but " + values.size() + " values were given; give one value for each parameter");
        }
        return new PreparedPlan(sql, statement, kind, columns, parameterCount, parameterTypes, values);
    }
}
