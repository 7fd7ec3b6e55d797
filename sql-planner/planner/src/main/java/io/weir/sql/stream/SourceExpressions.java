package io.weir.sql.stream;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.type.DataType;
import io.weir.sql.function.ProcessingTime;
import io.weir.sql.schema.PlannerFrameworks;
import io.weir.sql.schema.TypeMapping;
import org.apache.calcite.jdbc.CalciteSchema;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.calcite.schema.impl.AbstractSchema;
import org.apache.calcite.schema.impl.AbstractTable;
import org.apache.calcite.tools.Planner;

import java.util.List;

/**
 * Turns the SQL text of a computed column, as the catalog keeps it, into an expression over the
 * columns a stream's source reads, for the source to compute it (a computed event-time column).
 */
final class SourceExpressions {
    private static final String TABLE = "__source";

    private SourceExpressions() {
    }

    /**
     * @param sql the expression, over {@code columns} by name
     * @param rexBuilder the builder of the plan the expression goes into
     * @return the expression; its input references are positions in {@code columns}
     */
    static RexNode expression(String sql, List<DataType.Field> columns, RexBuilder rexBuilder) {
        SchemaPlus root = CalciteSchema.createRootSchema(false, false).plus();
        SchemaPlus schema = root.add("__expressions", new AbstractSchema());
        schema.add(TABLE, new ColumnsTable(columns));
        ProcessingTime.register(schema);
        Planner planner = PlannerFrameworks.planner(schema);
        try {
            RelNode plan = planner.rel(planner.validate(planner.parse("SELECT " + sql + " FROM \"" + TABLE + "\""))).project();
            if (!(plan instanceof Project project) || project.getProjects().size() != 1) {
                throw new IllegalStateException("unexpected plan of a computed column: " + plan.explain());
            }
            // made by another planner: copied into this plan's type factory
            return rexBuilder.copy(project.getProjects().get(0));
        } catch (Exception e) {
            throw new WeirException(ErrorCode.INTERNAL_ERROR, "Internal error: the computed column expression '" + sql
                    + "' does not plan over the columns " + columns + ": " + e.getMessage() + ". This is a bug in Weir", e);
        } finally {
            planner.close();
        }
    }

    private static final class ColumnsTable extends AbstractTable {
        private final List<DataType.Field> columns;

        ColumnsTable(List<DataType.Field> columns) {
            this.columns = List.copyOf(columns);
        }

        @Override
        public RelDataType getRowType(RelDataTypeFactory typeFactory) {
            RelDataTypeFactory.Builder builder = typeFactory.builder();
            for (DataType.Field column : columns) {
                builder.add(column.name(), TypeMapping.toRelDataType(typeFactory, column.type()));
            }
            return builder.build();
        }
    }
}
