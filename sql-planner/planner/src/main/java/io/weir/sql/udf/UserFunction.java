package io.weir.sql.udf;

import org.apache.calcite.adapter.enumerable.CallImplementor;
import org.apache.calcite.adapter.enumerable.EnumUtils;
import org.apache.calcite.adapter.enumerable.NotNullImplementor;
import org.apache.calcite.adapter.enumerable.NullPolicy;
import org.apache.calcite.adapter.enumerable.RexImpTable;
import org.apache.calcite.linq4j.tree.Expression;
import org.apache.calcite.linq4j.tree.Expressions;
import org.apache.calcite.linq4j.tree.Primitive;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.schema.FunctionParameter;
import org.apache.calcite.schema.ImplementableFunction;
import org.apache.calcite.schema.ScalarFunction;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * One {@code eval} overload of a user-defined scalar function, as Calcite sees it: parameter and result
 * types from the Java signature, and an implementor that compiles the call into the query's generated
 * code as a call through {@link FunctionCalls} (see there why not to the method itself). A primitive
 * parameter makes the function NULL on a NULL argument without calling it; with only object parameters
 * it is called with the NULLs.
 */
final class UserFunction implements ScalarFunction, ImplementableFunction {
    private final String name;
    private final Method method;
    private final String handle;

    UserFunction(String name, Method method, String handle) {
        this.name = requireNonNull(name, "name is null");
        this.method = requireNonNull(method, "method is null");
        this.handle = requireNonNull(handle, "handle is null");
    }

    Method method() {
        return method;
    }

    String handle() {
        return handle;
    }

    /** {@code (BIGINT, VARCHAR) -> VARCHAR}. */
    static String signature(Method method) {
        return Arrays.stream(method.getParameterTypes()).map(JavaSqlTypes::sqlName)
                .collect(Collectors.joining(", ", "(", ")")) + " -> " + JavaSqlTypes.sqlName(method.getReturnType());
    }

    @Override
    public RelDataType getReturnType(RelDataTypeFactory typeFactory) {
        return JavaSqlTypes.relType(typeFactory, method.getReturnType());
    }

    @Override
    public List<FunctionParameter> getParameters() {
        List<FunctionParameter> parameters = new ArrayList<>();
        Class<?>[] types = method.getParameterTypes();
        for (int i = 0; i < types.length; i++) {
            int ordinal = i;
            Class<?> type = types[i];
            parameters.add(new FunctionParameter() {
                @Override
                public int getOrdinal() {
                    return ordinal;
                }

                @Override
                public String getName() {
                    return "arg" + ordinal;
                }

                @Override
                public RelDataType getType(RelDataTypeFactory typeFactory) {
                    return JavaSqlTypes.relType(typeFactory, type);
                }

                @Override
                public boolean isOptional() {
                    return false;
                }
            });
        }
        return parameters;
    }

    @Override
    public CallImplementor getImplementor() {
        boolean anyPrimitive = Arrays.stream(method.getParameterTypes()).anyMatch(Class::isPrimitive);
        NotNullImplementor call = (translator, rexCall, operands) -> {
            Class<?>[] types = method.getParameterTypes();
            List<Expression> arguments = new ArrayList<>();
            for (int i = 0; i < operands.size(); i++) {
                Expression converted = EnumUtils.convert(operands.get(i), types[i]);
                arguments.add(types[i].isPrimitive() ? Expressions.box(converted) : converted);
            }
            Expression result = Expressions.call(FunctionCalls.class, "call", Expressions.constant(handle),
                    Expressions.constant(name), Expressions.newArrayInit(Object.class, arguments));
            return Expressions.convert_(result, Primitive.box(method.getReturnType()));
        };
        return RexImpTable.createImplementor(call, anyPrimitive ? NullPolicy.ANY : NullPolicy.NONE, false);
    }
}
