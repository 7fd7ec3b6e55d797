package io.weir.sql.stream.codegen;

import io.weir.engine.expression.BatchFilter;
import io.weir.engine.expression.BatchProjection;
import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.batch.BatchBuilder;
import io.weir.spi.type.TypeKind;
import io.weir.sql.function.ProcessingTime;
import org.apache.calcite.adapter.enumerable.EnumUtils;
import org.apache.calcite.adapter.enumerable.RexImpTable;
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
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexProgram;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.validate.SqlConformanceEnum;
import org.apache.calcite.sql.validate.SqlUserDefinedFunction;
import org.codehaus.commons.compiler.CompileException;
import org.codehaus.janino.ClassBodyEvaluator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static java.util.Objects.requireNonNull;

/**
 * Compiles a Calc's expressions once per query into Java classes implementing {@link BatchFilter}
 * and {@link BatchProjection}: Calcite's {@link RexToLixTranslator} produces the expression code (with
 * SQL's three-valued logic, CASE, CAST and Calcite's function library), {@link ColumnInputGetter}
 * reads the batch's primitive arrays, and Janino compiles the result. {@code PROCTIME()} is the
 * batch's processing time from the {@link io.weir.engine.expression.EvaluationContext}.
 */
public final class ExpressionCompiler {
    private static final Logger LOG = LoggerFactory.getLogger(ExpressionCompiler.class);
    private static final AtomicLong CLASS_COUNTER = new AtomicLong();
    /**
     * Generated classes by source. They are stateless, so a query prepared and then executed, or the
     * same expressions in another query, reuse one class instead of compiling again. Bounded, least
     * recently used first out, so that classes of old queries can be unloaded.
     */
    private static final int MAX_COMPILED = 512;
    private static final Map<String, Class<?>> COMPILED = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Class<?>> eldest) {
            return size() > MAX_COMPILED;
        }
    };
    private static final Expression ROOT = Expressions.field(null, StreamDataContext.class, "INSTANCE");
    private static final ParameterExpression OUT = Expressions.parameter(BatchBuilder.class, "out$");
    private static final ParameterExpression SELECTED = Expressions.parameter(int[].class, "selected$");
    private static final ParameterExpression SELECTED_COUNT = Expressions.parameter(int.class, "kept$");

    private final RexBuilder rexBuilder;
    private final JavaTypeFactory typeFactory;
    private final SqlUserDefinedFunction isNull;
    private final SqlUserDefinedFunction isNotNull;

    public ExpressionCompiler(RexBuilder rexBuilder) {
        this.rexBuilder = requireNonNull(rexBuilder, "rexBuilder is null");
        this.typeFactory = (JavaTypeFactory) rexBuilder.getTypeFactory();
        this.isNull = NullTests.function(typeFactory, "isNull");
        this.isNotNull = NullTests.function(typeFactory, "isNotNull");
    }

    /** A predicate over rows of {@code inputType}; rows where it is not TRUE are dropped. */
    public BatchFilter compileFilter(RelDataType inputType, RexNode condition) {
        Prepared prepared = prepare(inputType, List.of(condition));
        RexProgram program = RexProgram.create(prepared.inputType(), List.of(), prepared.expressions().get(0),
                List.<String>of(), rexBuilder);
        ColumnInputGetter getter = new ColumnInputGetter(typeFactory, fieldTypes(prepared.inputType()));
        BlockBuilder body = new BlockBuilder(false);
        Expression test = translate(() -> RexToLixTranslator.translateCondition(program, typeFactory, body, getter, null,
                SqlConformanceEnum.DEFAULT));
        body.add(Expressions.ifThen(test, Expressions.statement(Expressions.assign(
                Expressions.arrayIndex(SELECTED, Expressions.postIncrementAssign(SELECTED_COUNT)), ColumnInputGetter.ROW))));
        String source = "public int filter(io.weir.spi.batch.Batch batch$, int[] selection$, int count$, int[] selected$) {\n"
                + prologue(prepared.inputType(), getter)
                + "  final long proctime$ = System.currentTimeMillis();\n"
                + "  int kept$ = 0;\n"
                + "  for (int i$ = 0; i$ < count$; i$++) {\n"
                + "    final int row$ = selection$[i$];\n"
                + Expressions.toString(body.toBlock())
                + "  }\n"
                + "  return kept$;\n"
                + "}\n";
        return compile(BatchFilter.class, source);
    }

    /** Computes {@code projects} (over rows of {@code inputType}) into the output row, in order. */
    public BatchProjection compileProjection(RelDataType inputType, List<RexNode> projects) {
        Prepared prepared = prepare(inputType, projects);
        ColumnInputGetter getter = new ColumnInputGetter(typeFactory, fieldTypes(prepared.inputType()));
        // Columns passed through unchanged are copied straight from array to array: no boxing, no
        // Calcite code; only computed expressions go through Calcite's translator.
        StringBuilder copies = new StringBuilder();
        List<Integer> computed = new ArrayList<>();
        for (int i = 0; i < projects.size(); i++) {
            if (prepared.expressions().get(i) instanceof RexInputRef ref) {
                copies.append(copy(i, ref.getIndex(), prepared.inputType(), getter));
            } else {
                computed.add(i);
            }
        }
        BlockBuilder body = new BlockBuilder(false);
        if (!computed.isEmpty()) {
            List<RexNode> expressions = computed.stream().map(prepared.expressions()::get).toList();
            RexProgram program = RexProgram.create(prepared.inputType(), expressions, null, names(expressions.size()),
                    rexBuilder);
            List<Expression> values = translate(() -> RexToLixTranslator.translateProjects(program, typeFactory,
                    SqlConformanceEnum.DEFAULT, body, null, ROOT, getter, null));
            for (int i = 0; i < values.size(); i++) {
                write(body, computed.get(i), projects.get(computed.get(i)).getType(), values.get(i));
            }
        }
        String source = "public void project(io.weir.spi.batch.Batch batch$, int[] selection$, int count$, "
                + "io.weir.engine.expression.EvaluationContext context$, io.weir.spi.batch.BatchBuilder out$) {\n"
                + prologue(prepared.inputType(), getter)
                + "  final long proctime$ = context$.processingTimeMillis();\n"
                + "  for (int i$ = 0; i$ < count$; i$++) {\n"
                + "    final int row$ = selection$[i$];\n"
                + (computed.isEmpty() ? "" : Expressions.toString(body.toBlock()))
                + copies
                + "    out$.commitRow();\n"
                + "  }\n"
                + "}\n";
        return compile(BatchProjection.class, source);
    }

    /** Java statements copying input column {@code input} (or the processing time) to output column {@code output}. */
    private static String copy(int output, int input, RelDataType inputType, ColumnInputGetter getter) {
        if (input == inputType.getFieldCount() - 1) {
            return "    out$.setLong(" + output + ", proctime$);\n";
        }
        getter.usedColumns().add(input);
        String setter = switch (ColumnInputGetter.representation(inputType.getFieldList().get(input).getType())) {
            case LONG -> "setLong";
            case DOUBLE -> "setDouble";
            case BOOLEAN -> "setBoolean";
            case OBJECT -> "setObject";
        };
        return "    if (" + ColumnInputGetter.nullsName(input) + "[row$]) out$.setNull(" + output + "); else out$." + setter
                + "(" + output + ", " + ColumnInputGetter.valuesName(input) + "[row$]);\n";
    }

    private static List<String> names(int count) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            names.add("e" + i);
        }
        return names;
    }

    /** The input's column types: the prepared input type without its last field, the processing time. */
    private static List<RelDataType> fieldTypes(RelDataType extendedRowType) {
        List<RelDataType> types = extendedRowType.getFieldList().stream().map(RelDataTypeField::getType).toList();
        return types.subList(0, types.size() - 1);
    }

    /** The expressions with PROCTIME() replaced by the extra input field past the input's columns. */
    private record Prepared(RelDataType inputType, List<RexNode> expressions) {
    }

    private Prepared prepare(RelDataType inputType, List<RexNode> expressions) {
        int processingTimeField = inputType.getFieldCount();
        RelDataType[] processingTimeType = new RelDataType[1];
        RexShuttle replaceProcessingTime = new RexShuttle() {
            @Override
            public RexNode visitCall(RexCall call) {
                if (isProcessingTime(call)) {
                    processingTimeType[0] = call.getType();
                    return new RexInputRef(processingTimeField, call.getType());
                }
                if ((call.getKind() == SqlKind.IS_NULL || call.getKind() == SqlKind.IS_NOT_NULL)
                        && call.getOperands().get(0).getType().isNullable()) {
                    RexNode operand = call.getOperands().get(0).accept(this);
                    return rexBuilder.makeCall(call.getType(), call.getKind() == SqlKind.IS_NULL ? isNull : isNotNull,
                            List.of(operand));
                }
                checkSupported(call);
                return super.visitCall(call);
            }
        };
        List<RexNode> replaced = expressions.stream().map(e -> e.accept(replaceProcessingTime)).toList();
        RelDataType extended = typeFactory.builder()
                .addAll(inputType.getFieldList())
                .add("$proctime", processingTimeType[0] != null ? processingTimeType[0] : typeFactory.createSqlType(
                        org.apache.calcite.sql.type.SqlTypeName.TIMESTAMP, 3))
                .build();
        return new Prepared(extended, replaced);
    }

    /** Whether {@code call} is Weir's {@code PROCTIME()}. */
    public static boolean isProcessingTime(RexNode node) {
        return node instanceof RexCall call && call.getOperator() instanceof SqlUserDefinedFunction
                && call.getOperator().getName().equalsIgnoreCase(ProcessingTime.NAME);
    }

    private static void checkSupported(RexCall call) {
        SqlKind kind = call.getKind();
        if (kind == SqlKind.CASE || kind == SqlKind.SEARCH || call.getOperator() instanceof SqlUserDefinedFunction) {
            return;
        }
        if (RexImpTable.INSTANCE.get(call.getOperator()) == null) {
            throw unsupported(call.getOperator().getName(), null);
        }
    }

    private static WeirException unsupported(String function, RuntimeException cause) {
        return new WeirException(ErrorCode.NOT_SUPPORTED, "Function " + function
                + " is not supported in continuous queries. Use standard SQL scalar functions (arithmetic, comparisons,"
                + " CASE, CAST, string, math and date/time functions)", cause);
    }

    private static <T> T translate(java.util.function.Supplier<T> translation) {
        try {
            return translation.get();
        } catch (WeirException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new WeirException(ErrorCode.NOT_SUPPORTED, "An expression of this query cannot be compiled for"
                    + " continuous execution: " + e.getMessage(), e);
        }
    }

    /** Writes value {@code value} of SQL type {@code type} to output column {@code column}. */
    private void write(BlockBuilder body, int column, RelDataType type, Expression value) {
        TypeKind.Representation representation = ColumnInputGetter.representation(type);
        Type javaType = typeFactory.getJavaClass(type);
        Expression typed = value.getType() == javaType ? value : EnumUtils.convert(value, javaType);
        Expression index = Expressions.constant(column);
        Primitive primitive = Primitive.of(typed.getType());
        if (representation == TypeKind.Representation.OBJECT) {
            Expression object = typed;
            if (typed.getType() == ByteString.class) {
                Expression bytes = body.append("v" + column, typed);
                object = ternary(Expressions.equal(bytes, Expressions.constant(null)),
                        Expressions.constant(null, byte[].class), Expressions.call(bytes, "getBytes"));
            }
            body.add(Expressions.statement(Expressions.call(OUT, method("setObject", Object.class), index, object)));
            return;
        }
        String setter;
        Class<?> storage;
        switch (representation) {
            case LONG -> {
                setter = "setLong";
                storage = long.class;
            }
            case DOUBLE -> {
                setter = "setDouble";
                storage = double.class;
            }
            default -> {
                setter = "setBoolean";
                storage = boolean.class;
            }
        }
        if (primitive != null) {
            body.add(Expressions.statement(Expressions.call(OUT, method(setter, storage), index,
                    Expressions.convert_(typed, storage))));
            return;
        }
        Expression boxed = body.append("v" + column, typed);
        Expression unboxed = Expressions.call(boxed, storage.getName() + "Value");
        body.add(Expressions.ifThenElse(Expressions.equal(boxed, Expressions.constant(null)),
                Expressions.statement(Expressions.call(OUT, method("setNull"), index)),
                Expressions.statement(Expressions.call(OUT, method(setter, storage), index, unboxed))));
    }

    private static Method method(String name, Class<?>... valueTypes) {
        Class<?>[] parameters = new Class<?>[valueTypes.length + 1];
        parameters[0] = int.class;
        System.arraycopy(valueTypes, 0, parameters, 1, valueTypes.length);
        try {
            return BatchBuilder.class.getMethod(name, parameters);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("BatchBuilder lacks " + name, e);
        }
    }

    private static String prologue(RelDataType inputType, ColumnInputGetter getter) {
        StringBuilder prologue = new StringBuilder();
        for (int column : getter.usedColumns()) {
            TypeKind.Representation representation = ColumnInputGetter.representation(
                    inputType.getFieldList().get(column).getType());
            String vector = switch (representation) {
                case LONG -> "io.weir.spi.batch.LongVector";
                case DOUBLE -> "io.weir.spi.batch.DoubleVector";
                case BOOLEAN -> "io.weir.spi.batch.BooleanVector";
                case OBJECT -> "io.weir.spi.batch.ObjectVector";
            };
            prologue.append("  final ").append(ColumnInputGetter.storageArrayClass(representation).getSimpleName()).append(' ')
                    .append(ColumnInputGetter.valuesName(column)).append(" = ((").append(vector).append(") batch$.column(")
                    .append(column).append(")).values();\n");
            prologue.append("  final boolean[] ").append(ColumnInputGetter.nullsName(column)).append(" = batch$.column(")
                    .append(column).append(").nulls();\n");
        }
        return prologue.toString();
    }

    private static <T> T compile(Class<T> type, String source) {
        Class<?> compiled;
        synchronized (COMPILED) {
            compiled = COMPILED.get(source);
        }
        try {
            if (compiled == null) {
                compiled = cook(type, source);
                synchronized (COMPILED) {
                    COMPILED.put(source, compiled);
                }
            }
            return type.cast(compiled.getDeclaredConstructor().newInstance());
        } catch (ReflectiveOperationException e) {
            throw new WeirException(ErrorCode.INTERNAL_ERROR, "Internal error: a generated expression class cannot be"
                    + " instantiated (" + e.getMessage() + "). This is a bug in Weir; the server log has the details", e);
        }
    }

    private static Class<?> cook(Class<?> type, String source) {
        ClassBodyEvaluator evaluator = new ClassBodyEvaluator();
        evaluator.setClassName("io.weir.generated." + type.getSimpleName() + CLASS_COUNTER.incrementAndGet());
        evaluator.setImplementedInterfaces(new Class<?>[] {type});
        evaluator.setParentClassLoader(ExpressionCompiler.class.getClassLoader());
        LOG.debug("Compiling {}:\n{}", type.getSimpleName(), source);
        try {
            evaluator.cook(source);
            return evaluator.getClazz();
        } catch (CompileException e) {
            throw new WeirException(ErrorCode.INTERNAL_ERROR, "Internal error: the generated code of an expression does not"
                    + " compile (" + e.getMessage() + "). This is a bug in Weir; the server log has the details", e);
        }
    }

    /** {@code test ? ifTrue : ifFalse}. */
    private static Expression ternary(Expression test, Expression ifTrue, Expression ifFalse) {
        return Expressions.makeTernary(ExpressionType.Conditional, test, ifTrue, ifFalse);
    }
}
