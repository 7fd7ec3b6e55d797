package io.weir.sql.stream;

import io.weir.engine.expression.BatchFilter;
import io.weir.engine.plan.Calc;
import io.weir.engine.plan.PlanNode;
import io.weir.engine.plan.SourceScan;
import io.weir.engine.plan.UnionAll;
import io.weir.spi.type.DataType;
import io.weir.spi.type.Projection;
import io.weir.sql.function.ProcessingTime;
import io.weir.sql.schema.TypeMapping;
import io.weir.sql.stream.codegen.ExpressionCompiler;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.rex.RexVisitorImpl;
import org.apache.calcite.util.ImmutableBitSet;
import org.apache.calcite.util.Util;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Makes {@link Calc} nodes: compiles a filter and projections over an input into generated code. A
 * Calc planned over another Calc it planned is fused with it into one, so rows pass one generated
 * loop (e.g. computed columns, the projection before a window and the one after it).
 */
final class CalcPlanner {
    private final ExpressionCompiler compiler;
    private final RexBuilder rexBuilder;
    /** The expressions of the Calcs made so far, for fusing. */
    private final Map<PlanNode, Expressions> planned = new IdentityHashMap<>();

    private record Expressions(PlanNode input, RelDataType inputType, RexNode condition, List<RexNode> projects) {
    }

    CalcPlanner(ExpressionCompiler compiler, RexBuilder rexBuilder) {
        this.compiler = requireNonNull(compiler, "compiler is null");
        this.rexBuilder = requireNonNull(rexBuilder, "rexBuilder is null");
    }

    /**
     * @param inputType the Calcite row type of {@code input}'s columns, which the expressions refer to
     * @param condition null or always-true for no filter
     * @param outputType names and types of the projections
     */
    PlanNode calc(PlanNode input, RelDataType inputType, RexNode condition, List<RexNode> projects, RelDataType outputType) {
        boolean filters = condition != null && !condition.isAlwaysTrue();
        if (!filters && isIdentity(projects, inputType)) {
            return input;
        }
        Expressions inner = planned.get(input);
        if (inner != null) {
            RexShuttle substitute = new RexShuttle() {
                @Override
                public RexNode visitInputRef(RexInputRef ref) {
                    return inner.projects().get(ref.getIndex());
                }
            };
            List<RexNode> fused = projects.stream().map(p -> p.accept(substitute)).toList();
            List<RexNode> conditions = new ArrayList<>();
            if (inner.condition() != null) {
                conditions.add(inner.condition());
            }
            if (filters) {
                conditions.add(condition.accept(substitute));
            }
            RexNode fusedCondition = conditions.isEmpty() ? null : RexUtil.composeConjunction(rexBuilder, conditions);
            return calc(inner.input(), inner.inputType(), fusedCondition, fused, outputType);
        }
        Optional<BatchFilter> filter = filters ? Optional.of(compiler.compileFilter(inputType, condition)) : Optional.empty();
        List<DataType.Field> fields = fields(outputType);
        int inputEventTime = eventTimeColumn(input);
        int eventTime = -1;
        for (int i = 0; i < projects.size() && inputEventTime >= 0; i++) {
            if (projects.get(i) instanceof RexInputRef ref && ref.getIndex() == inputEventTime) {
                eventTime = i;
                break;
            }
        }
        ImmutableBitSet read = RelOptUtil.InputFinder.bits(projects, filters ? condition : null);
        Calc calc = new Calc(input, filter, compiler.compileProjection(inputType, projects), fields, eventTime,
                describe(inputType, condition, filters, projects, outputType), Projection.of(read.asList()));
        planned.put(calc, new Expressions(input, inputType, filters ? condition : null, List.copyOf(projects)));
        return calc;
    }

    /**
     * The column of {@code calc}'s input that its output column {@code column} copies unchanged, or
     * -1 when it is computed (or {@code calc} was not planned here).
     */
    int copiedColumn(PlanNode calc, int column) {
        return projection(calc, column) instanceof RexInputRef ref ? ref.getIndex() : -1;
    }

    /** The expression of {@code calc}'s output column {@code column} over its input, or null if it was not planned here. */
    RexNode projection(PlanNode calc, int column) {
        Expressions expressions = planned.get(calc);
        return expressions == null ? null : expressions.projects().get(column);
    }

    /**
     * Whether {@code node}, if it is a Calc planned here, gives the same values for the same input row
     * whenever it is evaluated, so that an equal Calc may be computed once for both
     * ({@link io.weir.engine.plan.SharedSubPlans}). {@code PROCTIME()} counts as such: the engine
     * evaluates it once per micro-batch.
     */
    boolean deterministic(PlanNode node) {
        Expressions expressions = planned.get(node);
        if (expressions == null) {
            return true;
        }
        List<RexNode> all = new ArrayList<>(expressions.projects());
        if (expressions.condition() != null) {
            all.add(expressions.condition());
        }
        RexVisitorImpl<Void> finder = new RexVisitorImpl<>(true) {
            @Override
            public Void visitCall(RexCall call) {
                if (!call.getOperator().isDeterministic()
                        && !call.getOperator().getName().equalsIgnoreCase(ProcessingTime.NAME)) {
                    throw Util.FoundOne.NULL;
                }
                return super.visitCall(call);
            }
        };
        try {
            all.forEach(expression -> expression.accept(finder));
            return true;
        } catch (Util.FoundOne e) {
            return false;
        }
    }

    private static boolean isIdentity(List<RexNode> projects, RelDataType inputType) {
        if (projects.size() != inputType.getFieldCount()) {
            return false;
        }
        for (int i = 0; i < projects.size(); i++) {
            if (!(projects.get(i) instanceof RexInputRef ref) || ref.getIndex() != i) {
                return false;
            }
        }
        return true;
    }

    static List<DataType.Field> fields(RelDataType rowType) {
        List<DataType.Field> fields = new ArrayList<>();
        for (RelDataTypeField field : rowType.getFieldList()) {
            fields.add(new DataType.Field(field.getName(), TypeMapping.toDataType(field.getType(), "column '" + field.getName() + "'")));
        }
        return fields;
    }

    /** The column of {@code node}'s output that carries its input's event time, or -1. */
    static int eventTimeColumn(PlanNode node) {
        if (node instanceof SourceScan scan) {
            return scan.spec().eventTimeColumn();
        }
        if (node instanceof Calc calc) {
            return calc.eventTimeColumn();
        }
        if (node instanceof io.weir.engine.plan.LookupJoin lookup) {
            return eventTimeColumn(lookup.input());
        }
        if (node instanceof UnionAll union) {
            int first = eventTimeColumn(union.inputs().get(0));
            return union.inputs().stream().allMatch(i -> eventTimeColumn(i) == first) ? first : -1;
        }
        return -1;
    }

    private static String describe(RelDataType inputType, RexNode condition, boolean filters, List<RexNode> projects,
                                   RelDataType outputType) {
        List<String> names = inputType.getFieldNames();
        List<String> items = new ArrayList<>();
        for (int i = 0; i < projects.size(); i++) {
            items.add(outputType.getFieldNames().get(i) + "=" + render(projects.get(i), names));
        }
        return (filters ? "filter=[" + render(condition, names) + "], " : "") + "project=" + items;
    }

    /** An expression as Calcite prints it, with input references named ({@code $2} becomes {@code $2:ts}). */
    static String render(RexNode expression, List<String> inputNames) {
        String text = expression.toString();
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            out.append(c);
            if (c == '$' && i + 1 < text.length() && Character.isDigit(text.charAt(i + 1))
                    && (i == 0 || !Character.isLetterOrDigit(text.charAt(i - 1)))) {
                int end = i + 1;
                while (end < text.length() && Character.isDigit(text.charAt(end))) {
                    end++;
                }
                int index = Integer.parseInt(text.substring(i + 1, end));
                out.append(text, i + 1, end);
                if (index < inputNames.size()) {
                    out.append(':').append(inputNames.get(index));
                }
                i = end - 1;
            }
        }
        return out.toString();
    }
}
