package io.weir.sql.stream.codegen;

import io.weir.spi.type.DataType;
import io.weir.spi.type.TypeKind;
import io.weir.sql.schema.TypeMapping;
import org.apache.calcite.adapter.enumerable.EnumUtils;
import org.apache.calcite.adapter.enumerable.RexToLixTranslator;
import org.apache.calcite.adapter.java.JavaTypeFactory;
import org.apache.calcite.avatica.util.ByteString;
import org.apache.calcite.linq4j.tree.BlockBuilder;
import org.apache.calcite.linq4j.tree.Expression;
import org.apache.calcite.linq4j.tree.ExpressionType;
import org.apache.calcite.linq4j.tree.Expressions;
import org.apache.calcite.linq4j.tree.ParameterExpression;
import org.apache.calcite.linq4j.tree.Primitive;
import org.apache.calcite.rel.type.RelDataType;

import java.lang.reflect.Type;
import java.util.List;
import java.util.TreeSet;

import static java.util.Objects.requireNonNull;

/**
 * Gives Calcite's code generator the value of an input column at the current row, read from the
 * batch's primitive arrays ({@code col$i[row$]}, null mask {@code nul$i[row$]}) and converted from
 * Weir's storage (integers and dates widened to long, REAL to double, VARBINARY as byte[]) to the
 * Java type Calcite's generated code expects. Records which columns were read, so the generated
 * method fetches only their arrays. The field past the input's is the processing time.
 */
final class ColumnInputGetter implements RexToLixTranslator.InputGetter {
    static final ParameterExpression ROW = Expressions.parameter(int.class, "row$");
    static final ParameterExpression PROCESSING_TIME = Expressions.parameter(long.class, "proctime$");

    private final JavaTypeFactory typeFactory;
    private final List<RelDataType> inputTypes;
    private final TreeSet<Integer> used = new TreeSet<>();

    /** @param inputTypes the input's column types; index {@code inputTypes.size()} is PROCTIME() */
    ColumnInputGetter(JavaTypeFactory typeFactory, List<RelDataType> inputTypes) {
        this.typeFactory = requireNonNull(typeFactory, "typeFactory is null");
        this.inputTypes = List.copyOf(inputTypes);
    }

    static String valuesName(int column) {
        return "col$" + column;
    }

    static String nullsName(int column) {
        return "nul$" + column;
    }

    /** The input columns read by the expressions translated so far. */
    TreeSet<Integer> usedColumns() {
        return used;
    }

    static TypeKind.Representation representation(RelDataType type) {
        return TypeMapping.toDataType(type, "an expression input").kind().representation();
    }

    static Class<?> storageArrayClass(TypeKind.Representation representation) {
        return switch (representation) {
            case LONG -> long[].class;
            case DOUBLE -> double[].class;
            case BOOLEAN -> boolean[].class;
            case OBJECT -> Object[].class;
        };
    }

    @Override
    public Expression field(BlockBuilder list, int index, Type storageType) {
        Expression value;
        if (index == inputTypes.size()) {
            value = PROCESSING_TIME;
        } else {
            used.add(index);
            value = read(index, inputTypes.get(index));
        }
        return storageType == null || storageType == value.getType() ? value : EnumUtils.convert(value, storageType);
    }

    private Expression read(int index, RelDataType type) {
        DataType dataType = TypeMapping.toDataType(type, "an expression input");
        TypeKind.Representation representation = dataType.kind().representation();
        Expression raw = Expressions.arrayIndex(
                Expressions.parameter(storageArrayClass(representation), valuesName(index)), ROW);
        Type javaType = typeFactory.getJavaClass(type);
        if (representation == TypeKind.Representation.OBJECT) {
            if (dataType.kind() == TypeKind.VARBINARY) {
                Expression bytes = Expressions.convert_(raw, byte[].class);
                return ternary(Expressions.equal(raw, Expressions.constant(null)),
                        Expressions.constant(null, ByteString.class), Expressions.new_(ByteString.class, bytes));
            }
            return javaType instanceof Class<?> c && c != Object.class ? Expressions.convert_(raw, javaType) : raw;
        }
        Primitive primitive = Primitive.of(javaType) != null ? Primitive.of(javaType) : Primitive.ofBox(javaType);
        if (primitive == null) {
            throw new IllegalStateException("no primitive Java type for " + type);
        }
        Expression unboxed = primitive.primitiveClass == raw.getType() ? raw : Expressions.convert_(raw, primitive.primitiveClass);
        if (!type.isNullable()) {
            return unboxed;
        }
        Expression isNull = Expressions.arrayIndex(Expressions.parameter(boolean[].class, nullsName(index)), ROW);
        return ternary(isNull, Expressions.constant(null, primitive.boxClass), Expressions.box(unboxed));
    }


    /** {@code test ? ifTrue : ifFalse}. */
    private static Expression ternary(Expression test, Expression ifTrue, Expression ifFalse) {
        return Expressions.makeTernary(ExpressionType.Conditional, test, ifTrue, ifFalse);
    }
}
