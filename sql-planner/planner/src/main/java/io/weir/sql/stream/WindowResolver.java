package io.weir.sql.stream;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Calc;
import org.apache.calcite.rel.core.TableFunctionScan;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexProgram;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.sql.SqlWindowTableFunction;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Looks through the Calcs below a windowed aggregation down to the relation the window reads (a
 * stream, a subquery, or the input of a window table function) and expresses each column the
 * aggregation sees as an expression over that relation, or as the window's start or end.
 */
final class WindowResolver {
    private WindowResolver() {
    }

    /** Where a column of the aggregation's input comes from. */
    sealed interface Source permits Expression, WindowStart, WindowEnd {
    }

    /** An expression over the base relation's columns. */
    record Expression(RexNode expression) implements Source {
    }

    record WindowStart() implements Source {
    }

    record WindowEnd() implements Source {
    }

    /**
     * @param base the relation below the window
     * @param fields the source of each input column of the aggregation
     * @param conditions filters (over {@code base}) applied before the aggregation
     * @param windowFunction the window table function's call (operands over {@code base}), if the query uses one
     */
    record Resolved(RelNode base, List<Source> fields, List<RexNode> conditions, Optional<RexCall> windowFunction) {
    }

    static Resolved resolve(RelNode rel) {
        if (rel instanceof Calc calc) {
            Resolved below = resolve(calc.getInput());
            RexProgram program = calc.getProgram();
            List<Source> fields = new ArrayList<>();
            for (var local : program.getProjectList()) {
                RexNode expression = program.expandLocalRef(local);
                if (expression instanceof RexInputRef ref && !(below.fields().get(ref.getIndex()) instanceof Expression)) {
                    fields.add(below.fields().get(ref.getIndex()));
                } else {
                    fields.add(new Expression(substitute(expression, below.fields())));
                }
            }
            List<RexNode> conditions = new ArrayList<>(below.conditions());
            if (program.getCondition() != null) {
                conditions.add(substitute(program.expandLocalRef(program.getCondition()), below.fields()));
            }
            return new Resolved(below.base(), fields, conditions, below.windowFunction());
        }
        if (rel instanceof TableFunctionScan scan && scan.getCall() instanceof RexCall call
                && call.getOperator() instanceof SqlWindowTableFunction && !scan.getInputs().isEmpty()) {
            // Calcite turns a UNION ALL passed as the table argument into one input per branch.
            RelNode input = scan.getInputs().size() == 1
                    ? scan.getInput(0)
                    : org.apache.calcite.rel.logical.LogicalUnion.create(scan.getInputs(), true);
            List<Source> fields = new ArrayList<>(identity(input));
            fields.add(new WindowStart());
            fields.add(new WindowEnd());
            return new Resolved(input, fields, List.of(), Optional.of(call));
        }
        return new Resolved(rel, identity(rel), List.of(), Optional.empty());
    }

    private static List<Source> identity(RelNode rel) {
        List<Source> fields = new ArrayList<>();
        for (var field : rel.getRowType().getFieldList()) {
            fields.add(new Expression(new RexInputRef(field.getIndex(), field.getType())));
        }
        return fields;
    }

    private static RexNode substitute(RexNode expression, List<Source> fields) {
        return expression.accept(new RexShuttle() {
            @Override
            public RexNode visitInputRef(RexInputRef ref) {
                if (fields.get(ref.getIndex()) instanceof Expression source) {
                    return source.expression();
                }
                throw new WeirException(ErrorCode.NOT_SUPPORTED, "window_start and window_end can only be grouped by or"
                        + " selected as they are before the aggregation; compute with them after GROUP BY, e.g."
                        + " SELECT STREAM window_end + INTERVAL '1' SECOND ... GROUP BY window_start, window_end");
            }
        });
    }
}
