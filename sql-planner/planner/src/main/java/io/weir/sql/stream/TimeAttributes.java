package io.weir.sql.stream;

import io.weir.sql.catalog.CatalogObject;
import io.weir.sql.schema.CatalogTable;
import io.weir.sql.stream.codegen.ExpressionCompiler;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Calc;
import org.apache.calcite.rel.core.Filter;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.core.TableFunctionScan;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rel.core.Union;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexProgram;
import org.apache.calcite.sql.SqlKind;

/** Finds whether an expression is a stream's event time (its WATERMARK column) or processing time (PROCTIME()). */
final class TimeAttributes {
    enum TimeAttribute { EVENT_TIME, PROCESSING_TIME, NONE }

    private TimeAttributes() {
    }

    /** The time attribute of {@code expression}, an expression over the columns of {@code rel}. */
    static TimeAttribute of(RelNode rel, RexNode expression) {
        if (ExpressionCompiler.isProcessingTime(expression)) {
            return TimeAttribute.PROCESSING_TIME;
        }
        if (expression instanceof RexCall call && call.getKind() == SqlKind.CAST) {
            return of(rel, call.getOperands().get(0));
        }
        if (expression instanceof RexInputRef ref) {
            return field(rel, ref.getIndex());
        }
        return TimeAttribute.NONE;
    }

    static TimeAttribute field(RelNode rel, int field) {
        if (rel instanceof TableScan scan) {
            CatalogTable table = scan.getTable().unwrap(CatalogTable.class);
            if (table == null) {
                return TimeAttribute.NONE;
            }
            CatalogObject object = table.object();
            String name = scan.getRowType().getFieldNames().get(field);
            return object.watermarkDefinition().filter(w -> w.column().equalsIgnoreCase(name)).isPresent()
                    ? TimeAttribute.EVENT_TIME : TimeAttribute.NONE;
        }
        if (rel instanceof Calc calc) {
            RexProgram program = calc.getProgram();
            return of(calc.getInput(), program.expandLocalRef(program.getProjectList().get(field)));
        }
        if (rel instanceof Project project) {
            return of(project.getInput(), project.getProjects().get(field));
        }
        if (rel instanceof Filter filter) {
            return field(filter.getInput(), field);
        }
        if (rel instanceof TableFunctionScan scan && scan.getInputs().size() == 1
                && field < scan.getInput(0).getRowType().getFieldCount()) {
            return field(scan.getInput(0), field);
        }
        if (rel instanceof org.apache.calcite.rel.core.Join join && field < join.getLeft().getRowType().getFieldCount()
                && JoinPlanner.isReferenceTable(join.getRight())) {
            // a lookup join passes the stream's rows and watermark through
            return field(join.getLeft(), field);
        }
        if (rel instanceof Union union) {
            TimeAttribute first = field(union.getInput(0), field);
            for (RelNode input : union.getInputs()) {
                if (field(input, field) != first) {
                    return TimeAttribute.NONE;
                }
            }
            return first;
        }
        return TimeAttribute.NONE;
    }
}
