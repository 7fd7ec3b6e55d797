package io.weir.sql.udf;

import io.weir.engine.aggregate.UserAggregate;
import org.apache.calcite.adapter.enumerable.AggAddContext;
import org.apache.calcite.adapter.enumerable.AggContext;
import org.apache.calcite.adapter.enumerable.AggImplementor;
import org.apache.calcite.adapter.enumerable.AggResultContext;
import org.apache.calcite.adapter.enumerable.EnumUtils;
import org.apache.calcite.adapter.enumerable.StrictAggImplementor;
import org.apache.calcite.linq4j.tree.Expression;
import org.apache.calcite.linq4j.tree.Expressions;
import org.apache.calcite.linq4j.tree.Primitive;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.schema.FunctionParameter;
import org.apache.calcite.schema.ImplementableAggFunction;

import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * A user-defined aggregate function as Calcite sees it: its arguments typed from its accumulator's
 * {@code add} method's parameters, and the result type of its {@code result()} method. Continuous queries run it
 * through the engine's accumulators ({@link #aggregate()}); plain queries through compiled code that
 * calls it by its handle in {@link FunctionCalls}. Groups without non-NULL values are NULL.
 */
public final class UserAggregateFunction implements ImplementableAggFunction {
    private final String name;
    private final Method add;
    private final Method result;
    private final String handle;
    private final AggregateInvoker aggregate;

    UserAggregateFunction(String name, Method add, Method result, String handle, AggregateInvoker aggregate) {
        this.name = requireNonNull(name, "name is null");
        this.add = requireNonNull(add, "add is null");
        this.result = requireNonNull(result, "result is null");
        this.handle = requireNonNull(handle, "handle is null");
        this.aggregate = requireNonNull(aggregate, "aggregate is null");
    }

    /** The function as the engine's accumulators run it. */
    public UserAggregate aggregate() {
        return aggregate;
    }

    String handle() {
        return handle;
    }

    /** {@code (BIGINT) -> DOUBLE}. */
    String signature() {
        return "(" + String.join(", ", Arrays.stream(add.getParameterTypes()).map(JavaSqlTypes::sqlName).toList()) + ") -> "
                + JavaSqlTypes.sqlName(result.getReturnType());
    }

    @Override
    public RelDataType getReturnType(RelDataTypeFactory typeFactory) {
        return JavaSqlTypes.relType(typeFactory, result.getReturnType());
    }

    @Override
    public List<FunctionParameter> getParameters() {
        Class<?>[] types = add.getParameterTypes();
        List<FunctionParameter> parameters = new ArrayList<>(types.length);
        for (int i = 0; i < types.length; i++) {
            int ordinal = i;
            parameters.add(new FunctionParameter() {
                @Override
                public int getOrdinal() {
                    return ordinal;
                }

                @Override
                public String getName() {
                    return types.length == 1 ? "value" : "arg" + ordinal;
                }

                @Override
                public RelDataType getType(RelDataTypeFactory typeFactory) {
                    return JavaSqlTypes.relType(typeFactory, types[ordinal]);
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
    public AggImplementor getImplementor(boolean windowContext) {
        Class<?>[] parameters = add.getParameterTypes();
        Class<?> resultType = Primitive.box(result.getReturnType());
        return new StrictAggImplementor() {
            @Override
            public List<Type> getNotNullState(AggContext info) {
                return List.of(Object.class);
            }

            @Override
            protected void implementNotNullAdd(AggContext info, AggAddContext add) {
                Expression accumulator = add.accumulator().get(0);
                List<Expression> values = new ArrayList<>();
                for (int i = 0; i < parameters.length; i++) {
                    Expression value = EnumUtils.convert(add.arguments().get(i), parameters[i]);
                    values.add(parameters[i].isPrimitive() ? Expressions.box(value) : value);
                }
                add.currentBlock().add(Expressions.statement(Expressions.assign(accumulator,
                        Expressions.call(FunctionCalls.class, values.size() == 1 ? "aggregateAdd" : "aggregateAddAll",
                                Expressions.constant(handle),
                                Expressions.constant(name), accumulator, values.size() == 1 ? values.get(0)
                                        : Expressions.newArrayInit(Object.class, values)))));
            }

            @Override
            protected Expression implementNotNullResult(AggContext info, AggResultContext result) {
                return Expressions.convert_(Expressions.call(FunctionCalls.class, "aggregateResult", Expressions.constant(handle),
                        Expressions.constant(name), result.accumulator().get(0)), resultType);
            }
        };
    }
}
