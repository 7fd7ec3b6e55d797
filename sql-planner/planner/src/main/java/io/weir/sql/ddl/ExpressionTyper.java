package io.weir.sql.ddl;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.type.DataType;
import io.weir.sql.function.ProcessingTime;
import io.weir.sql.schema.PlannerFrameworks;
import io.weir.sql.schema.TypeMapping;
import io.weir.sql.statement.SqlErrors;
import org.apache.calcite.jdbc.CalciteSchema;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.calcite.schema.impl.AbstractTable;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.dialect.CalciteSqlDialect;
import org.apache.calcite.tools.Planner;

import java.util.ArrayList;
import java.util.List;

/**
 * Validates the expressions of computed columns and watermarks against a table's columns and
 * derives their types, with the same Calcite validator queries use.
 */
final class ExpressionTyper {
    private static final String TABLE = "__columns";

    private final SchemaPlus schema;

    ExpressionTyper(List<DataType.Field> columns) {
        SchemaPlus root = CalciteSchema.createRootSchema(false, false).plus();
        this.schema = root.add("__ddl", new org.apache.calcite.schema.impl.AbstractSchema());
        schema.add(TABLE, new ColumnsTable(columns));
        ProcessingTime.register(schema);
    }

    /** The SQL text of {@code expression}, re-parseable by Weir's parser. */
    static String unparse(SqlNode expression) {
        return expression.toSqlString(config -> config.withDialect(CalciteSqlDialect.DEFAULT)
                .withQuoteAllIdentifiers(false)
                .withAlwaysUseParentheses(false)).getSql();
    }

    /** The type of {@code expression} over the columns. */
    DataType type(SqlNode expression, String what) {
        String sql = "SELECT " + unparse(expression) + " FROM \"" + TABLE + "\"";
        Planner planner = PlannerFrameworks.planner(schema);
        try {
            SqlNode validated = planner.validate(planner.parse(sql));
            RelDataType rowType = planner.rel(validated).validatedRowType;
            return TypeMapping.toDataType(rowType.getFieldList().get(0).getType(), what);
        } catch (Exception e) {
            WeirException translated = SqlErrors.translate(e);
            throw new WeirException(translated.errorCode() == ErrorCode.INTERNAL_ERROR ? ErrorCode.INVALID_DDL : translated.errorCode(),
                    SqlErrors.position(expression.getParserPosition()),
                    "Invalid expression for " + what + ": " + translated.rawMessage(), e);
        } finally {
            planner.close();
        }
    }

    static boolean isSelect(SqlNode node) {
        return node instanceof SqlSelect;
    }

    private static final class ColumnsTable extends AbstractTable {
        private final List<DataType.Field> columns;

        ColumnsTable(List<DataType.Field> columns) {
            this.columns = List.copyOf(columns);
        }

        @Override
        public RelDataType getRowType(RelDataTypeFactory typeFactory) {
            List<RelDataType> types = new ArrayList<>();
            List<String> names = new ArrayList<>();
            for (DataType.Field column : columns) {
                names.add(column.name());
                types.add(TypeMapping.toRelDataType(typeFactory, column.type()));
            }
            return typeFactory.createStructType(types, names);
        }
    }
}
