package io.weir.sql.parameter;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.type.DataType;
import io.weir.spi.type.TypeKind;
import io.weir.sql.schema.TypeMapping;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelVisitor;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexDynamicParam;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.rex.RexSubQuery;
import org.apache.calcite.sql.SqlDynamicParam;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.util.SqlShuttle;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The types of a statement's parameters, read from the plan Calcite converted it into: each
 * {@code ?} becomes a dynamic parameter typed by the validator from its context.
 */
public final class ParameterTypes {
    /** A parameter that is the value of a {@code WITH ('key' = ?)} option: text, as option values are. */
    public static final StatementParameter OPTION_VALUE = StatementParameter.of(DataType.varchar());

    private ParameterTypes() {
    }

    /** The indexes of the parameters of a parsed statement that are option values ({@code WITH ('path' = ?)}). */
    public static java.util.Set<Integer> optionParameters(SqlNode statement) {
        java.util.Set<Integer> found = new java.util.TreeSet<>();
        statement.accept(new SqlShuttle() {
            @Override
            public SqlNode visit(org.apache.calcite.sql.SqlCall call) {
                if (call instanceof io.weir.sql.parser.ddl.SqlOption option && option.isParameter()) {
                    found.add(((SqlDynamicParam) option.getOperandList().get(1)).getIndex());
                }
                return super.visit(call);
            }
        });
        return found;
    }

    /**
     * The number of {@code ?} in a parsed statement: one more than the largest parameter index (a
     * validated statement may hold a node in two places, e.g. its LIMIT both in an ORDER BY and its SELECT).
     */
    public static int count(SqlNode statement) {
        int[] count = {0};
        statement.accept(new SqlShuttle() {
            @Override
            public SqlNode visit(SqlDynamicParam param) {
                count[0] = Math.max(count[0], param.getIndex() + 1);
                return param;
            }
        });
        return count[0];
    }

    /**
     * The types of parameters {@code 0 .. count-1} in {@code plan}.
     *
     * @throws WeirException when a parameter is not in the plan or has a type no client can bind
     */
    public static List<StatementParameter> of(RelNode plan, int count) {
        return of(plan, count, java.util.Set.of());
    }

    /** {@link #of(RelNode, int)} where the parameters {@code options} are option values ({@link #OPTION_VALUE}), not in the plan. */
    public static List<StatementParameter> of(RelNode plan, int count, java.util.Set<Integer> options) {
        Map<Integer, RelDataType> found = new TreeMap<>();
        collect(plan, found);
        List<StatementParameter> parameters = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            if (options.contains(i)) {
                parameters.add(OPTION_VALUE);
                continue;
            }
            RelDataType type = found.get(i);
            if (type == null) {
                throw new WeirException(ErrorCode.VALIDATION_ERROR, "The type of parameter " + (i + 1)
                        + " cannot be inferred from where it stands; write CAST(? AS type)");
            }
            parameters.add(parameter(i, type));
        }
        return parameters;
    }

    private static StatementParameter parameter(int index, RelDataType type) {
        DataType dataType;
        try {
            dataType = TypeMapping.toDataType(type, "parameter " + (index + 1));
        } catch (WeirException e) {
            throw new WeirException(ErrorCode.NOT_SUPPORTED, e.rawMessage() + ". Write CAST(? AS type) with one of them");
        }
        if (dataType.kind() == TypeKind.ARRAY || dataType.kind() == TypeKind.MAP || dataType.kind() == TypeKind.ROW) {
            throw new WeirException(ErrorCode.NOT_SUPPORTED, "Parameter " + (index + 1) + " would be of type "
                    + dataType.withNullable(true).sqlString() + "; parameters take single values: write the "
                    + dataType.kind().sqlName() + " into the statement, or bind its elements one by one");
        }
        if (type.getSqlTypeName() == SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE) {
            return new StatementParameter(dataType, "TIMESTAMP(" + dataType.precision() + ") WITH LOCAL TIME ZONE");
        }
        return StatementParameter.of(dataType);
    }

    private static void collect(RelNode plan, Map<Integer, RelDataType> found) {
        RexShuttle parameters = new RexShuttle() {
            @Override
            public RexNode visitDynamicParam(RexDynamicParam param) {
                found.putIfAbsent(param.getIndex(), param.getType());
                return param;
            }

            @Override
            public RexNode visitSubQuery(RexSubQuery subQuery) {
                collect(subQuery.rel, found);
                return super.visitSubQuery(subQuery);
            }
        };
        new RelVisitor() {
            @Override
            public void visit(RelNode node, int ordinal, RelNode parent) {
                node.accept(parameters);
                super.visit(node, ordinal, parent);
            }
        }.go(plan);
    }
}
