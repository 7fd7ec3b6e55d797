package io.weir.sql.stream;

import io.weir.engine.plan.PlanNode;
import io.weir.engine.plan.SinkSpec;
import io.weir.engine.plan.SinkWrite;
import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.type.DataType;
import io.weir.sql.schema.TypeMapping;
import io.weir.sql.statement.SqlErrors;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlInsert;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.type.SqlTypeUtil;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Fits a continuous query's rows to the columns of the sink stream an {@code INSERT INTO} writes:
 * by position, or by the INSERT's column list (unlisted columns get NULL), each value cast to the
 * column's declared type.
 */
final class SinkProjection {
    private SinkProjection() {
    }

    static PlanNode plan(ContinuousQueryPlanner.SinkTarget sink, SqlInsert insert, RelNode query, PlanNode physical,
                         PhysicalPlanConverter converter) {
        RexBuilder rexBuilder = query.getCluster().getRexBuilder();
        RelDataTypeFactory typeFactory = rexBuilder.getTypeFactory();
        RelDataType queryType = query.getRowType();
        List<DataType.Field> columns = sink.columns();
        int[] sourceOf = sourceColumns(sink, insert, queryType.getFieldCount());
        List<RexNode> projects = new ArrayList<>();
        RelDataTypeFactory.Builder outputType = typeFactory.builder();
        for (int j = 0; j < columns.size(); j++) {
            DataType.Field column = columns.get(j);
            RelDataType target = typeFactory.createTypeWithNullability(TypeMapping.toRelDataType(typeFactory, column.type()), true);
            outputType.add(column.name(), target);
            if (sourceOf[j] < 0) {
                if (!column.type().nullable()) {
                    throw error(insert.getTargetColumnList(), "Column '" + column.name() + "' of '" + sink.name()
                            + "' is NOT NULL, so the INSERT must give it a value: add it to the column list");
                }
                projects.add(rexBuilder.makeNullLiteral(target));
                continue;
            }
            RelDataType given = queryType.getFieldList().get(sourceOf[j]).getType();
            RexNode value = rexBuilder.makeInputRef(given, sourceOf[j]);
            if (!SqlTypeUtil.canAssignFrom(target, given)) {
                throw error(insert.getSource(), "Column '" + column.name() + "' of '" + sink.name() + "' is "
                        + column.type().withNullable(true).sqlString() + " but the query gives " + given.getFullTypeString()
                        + " (its column " + (sourceOf[j] + 1) + "); convert it with CAST(... AS " + column.type().withNullable(true).sqlString() + ")");
            }
            projects.add(SqlTypeUtil.equalSansNullability(typeFactory, target, given) ? value
                    : rexBuilder.makeCast(target, value, true, false));
        }
        PlanNode projected = converter.project(physical, queryType, projects, outputType.build());
        return new SinkWrite(projected, new SinkSpec(sink.name(), sink.options(), columns, sink.primaryKey()));
    }

    /**
     * Checks that the sink's primary key is filled by exactly the query columns {@code keyColumns} identify its
     * rows by (a keep-last deduplication's PARTITION BY columns), so that each row replaces the row it updates.
     */
    static void checkUpsertKey(ContinuousQueryPlanner.SinkTarget sink, SqlInsert insert, RelDataType queryType,
                               List<Integer> keyColumns, String what) {
        int[] sourceOf = sourceColumns(sink, insert, queryType.getFieldCount());
        java.util.Set<Integer> filling = new java.util.TreeSet<>();
        for (String key : sink.primaryKey()) {
            int column = indexOf(sink.columns(), key);
            if (column >= 0 && sourceOf[column] >= 0) {
                filling.add(sourceOf[column]);
            } else {
                filling.add(-1);
            }
        }
        if (!filling.equals(new java.util.TreeSet<>(keyColumns))) {
            List<String> names = keyColumns.stream().map(i -> queryType.getFieldNames().get(i)).toList();
            throw new WeirException(ErrorCode.NOT_SUPPORTED, SqlErrors.position(insert.getSource().getParserPosition()),
                    what + " writes one row per " + String.join(", ", names) + ": the PRIMARY KEY of '" + sink.name()
                    + "' (" + String.join(", ", sink.primaryKey()) + ") must be filled by exactly those columns");
        }
    }

    /** For each sink column, the index of the query column that fills it, or -1 for NULL. */
    private static int[] sourceColumns(ContinuousQueryPlanner.SinkTarget sink, SqlInsert insert, int queryColumns) {
        List<DataType.Field> columns = sink.columns();
        int[] sourceOf = new int[columns.size()];
        if (insert.getTargetColumnList() == null || insert.getTargetColumnList().isEmpty()) {
            if (queryColumns != columns.size()) {
                throw error(insert.getSource(), "'" + sink.name() + "' has " + columns.size() + " columns ("
                        + columns.stream().map(DataType.Field::name).collect(Collectors.joining(", ")) + ") but the query gives "
                        + queryColumns + "; select one value per column, or name the columns: INSERT INTO " + sink.name()
                        + " (col, ...) SELECT STREAM ...");
            }
            for (int j = 0; j < sourceOf.length; j++) {
                sourceOf[j] = j;
            }
            return sourceOf;
        }
        Arrays.fill(sourceOf, -1);
        List<SqlNode> listed = insert.getTargetColumnList().getList();
        if (listed.size() != queryColumns) {
            throw error(insert.getTargetColumnList(), "The INSERT names " + listed.size() + " columns but the query gives "
                    + queryColumns);
        }
        for (int i = 0; i < listed.size(); i++) {
            SqlIdentifier identifier = (SqlIdentifier) listed.get(i);
            String name = identifier.getSimple();
            int index = indexOf(columns, name);
            if (index < 0) {
                throw error(identifier, "'" + sink.name() + "' has no column '" + name + "'; it has "
                        + columns.stream().map(DataType.Field::name).collect(Collectors.joining(", ")));
            }
            if (sourceOf[index] >= 0) {
                throw error(identifier, "Column '" + name + "' is listed twice");
            }
            sourceOf[index] = i;
        }
        return sourceOf;
    }

    private static int indexOf(List<DataType.Field> columns, String name) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equals(name)) {
                return i;
            }
        }
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                return i;
            }
        }
        return -1;
    }

    private static WeirException error(SqlNode at, String message) {
        return new WeirException(ErrorCode.VALIDATION_ERROR, SqlErrors.position(at.getParserPosition()), message);
    }
}
