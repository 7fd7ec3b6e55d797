package io.weir.sql.schema;

import io.weir.sql.function.CodePointConvertlets;
import io.weir.sql.function.DatetimeMinus;
import io.weir.sql.catalog.Catalog;
import io.weir.sql.function.ProcessingTime;
import io.weir.sql.parser.WeirSqlParser;
import io.weir.sql.statement.StatementCancel;
import io.weir.sql.udf.UserFunctions;
import org.apache.calcite.jdbc.CalciteSchema;
import org.apache.calcite.plan.Contexts;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperatorTable;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.util.SqlOperatorTables;
import org.apache.calcite.config.CalciteConnectionConfigImpl;
import org.apache.calcite.config.CalciteConnectionProperty;
import org.apache.calcite.sql.validate.SqlConformance;
import org.apache.calcite.sql.validate.SqlConformanceEnum;
import org.apache.calcite.sql.validate.SqlDelegatingConformance;
import org.apache.calcite.sql.validate.SqlValidator;
import org.apache.calcite.tools.FrameworkConfig;
import org.apache.calcite.tools.Frameworks;
import org.apache.calcite.tools.Planner;
import org.apache.calcite.tools.Programs;

import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.UnaryOperator;

/**
 * Calcite set-up shared by every statement: Weir's parser and lexical rules (unquoted identifiers
 * case-insensitive, case kept), the standard operator table (alone: chaining the STANDARD library
 * table registers operators twice, see the Calcite notes) and the {@code weir} schema as default.
 */
public final class PlannerFrameworks {
    private PlannerFrameworks() {
    }

    /** A root schema holding the catalog as schema {@code weir} plus Weir's functions; see {@link WeirSchema} for {@code streaming}. */
    public static SchemaPlus rootSchema(Catalog catalog, ObjectScanner scanner, boolean streaming) {
        return rootSchema(catalog, scanner, streaming, UnaryOperator.identity());
    }

    /** @param viewRewrite applied to a view's query before Calcite expands it, see {@link ViewTable} */
    public static SchemaPlus rootSchema(Catalog catalog, ObjectScanner scanner, boolean streaming,
                                        UnaryOperator<SqlNode> viewRewrite) {
        return rootSchema(catalog, scanner, streaming, viewRewrite, false);
    }

    /** @param continuous the objects as continuous queries read them (see {@link WeirSchema}) */
    public static SchemaPlus rootSchema(Catalog catalog, ObjectScanner scanner, boolean streaming,
                                        UnaryOperator<SqlNode> viewRewrite, boolean continuous) {
        return rootSchema(catalog, scanner, streaming, viewRewrite, continuous, UserFunctions.inMemory(java.util.Optional.empty()));
    }

    /** @param functions the server's user-defined functions, callable in the schema's queries */
    public static SchemaPlus rootSchema(Catalog catalog, ObjectScanner scanner, boolean streaming,
                                        UnaryOperator<SqlNode> viewRewrite, boolean continuous, UserFunctions functions) {
        SchemaPlus root = CalciteSchema.createRootSchema(false, false).plus();
        SchemaPlus weir = root.add(WeirSchema.NAME, new WeirSchema(catalog, scanner, streaming, viewRewrite, continuous,
                functions));
        ProcessingTime.register(weir);
        return root;
    }

    public static FrameworkConfig config(SchemaPlus defaultSchema) {
        return config(defaultSchema, SqlStdOperatorTable.instance());
    }

    /** @param operatorTable the standard table, or the standard table chained with non-standard operators */
    public static FrameworkConfig config(SchemaPlus defaultSchema, SqlOperatorTable operatorTable) {
        return config(defaultSchema, operatorTable, null);
    }

    /**
     * @param references collects the catalog objects the statement refers to; null for none. The
     *        planner stops at its next rule once the statement the calling thread plans is cancelled
     *        ({@link StatementCancel#current()}).
     */
    /**
     * Calcite's default dialect, plus {@code GROUP BY 1} (an ordinal of the SELECT list, as in
     * PostgreSQL and MySQL): BI tools write it (Grafana's query builder groups time series so). Not
     * GROUP BY a SELECT alias: Calcite prefers the alias to a column of the same name, PostgreSQL the column.
     */
    static final SqlConformance CONFORMANCE = new SqlDelegatingConformance(SqlConformanceEnum.DEFAULT) {
        @Override
        public boolean isGroupByOrdinal() {
            return true;
        }

        /**
         * Calcite lets schema functions without parameters ({@code current_database()}) be called with
         * parentheses only when this is true or the conformance is exactly {@code DEFAULT}.
         */
        @Override
        public boolean allowNiladicParentheses() {
            return true;
        }
    };

    /** Operators that replace Calcite's standard ones of the same name: {@link DatetimeMinus}. */
    private static final SqlOperatorTable WEIR_OPERATORS = SqlOperatorTables.of(DatetimeMinus.INSTANCE);

    /** What the planner would derive from the parser's config, with {@link #CONFORMANCE}. */
    private static final CalciteConnectionConfigImpl CONNECTION_CONFIG = new WeirConnectionConfig();

    private static final class WeirConnectionConfig extends CalciteConnectionConfigImpl {
        WeirConnectionConfig() {
            // both set, so that the planner keeps this config rather than a copy with its defaults
            super(properties());
        }

        private static Properties properties() {
            Properties properties = new Properties();
            properties.setProperty(CalciteConnectionProperty.CASE_SENSITIVE.camelName(),
                    String.valueOf(WeirSqlParser.config().caseSensitive()));
            properties.setProperty(CalciteConnectionProperty.CONFORMANCE.camelName(), SqlConformanceEnum.DEFAULT.name());
            return properties;
        }

        @Override
        public SqlConformance conformance() {
            return CONFORMANCE;
        }
    }

    public static FrameworkConfig config(SchemaPlus defaultSchema, SqlOperatorTable operatorTable,
                                         ObjectReferences references) {
        List<Object> context = new ArrayList<>();
        // Calcite's Planner takes the validator's conformance from the connection config, not from ours
        context.add(CONNECTION_CONFIG);
        if (references != null) {
            context.add(references);
        }
        StatementCancel.current().ifPresent(cancel -> context.add(cancel.calciteFlag()));
        return Frameworks.newConfigBuilder()
                .context(Contexts.of(context.toArray()))
                .parserConfig(WeirSqlParser.config())
                .defaultSchema(defaultSchema)
                // Weir's minus first: the validator resolves a binary operator by name in the table, first match wins
                .operatorTable(SqlOperatorTables.chain(WEIR_OPERATORS, operatorTable))
                .convertletTable(CodePointConvertlets.INSTANCE)
                .sqlValidatorConfig(SqlValidator.Config.DEFAULT
                        .withIdentifierExpansion(true)
                        .withConformance(CONFORMANCE))
                .programs(Programs.standard())
                .build();
    }

    public static Planner planner(SchemaPlus defaultSchema) {
        return Frameworks.getPlanner(config(defaultSchema));
    }

    public static Planner planner(SchemaPlus defaultSchema, SqlOperatorTable operatorTable) {
        return Frameworks.getPlanner(config(defaultSchema, operatorTable));
    }

    /**
     * A planner that records in {@code references} the views it expands; add the objects the
     * converted plan scans with {@link ObjectReferences#addScans}.
     */
    public static Planner planner(SchemaPlus defaultSchema, SqlOperatorTable operatorTable, ObjectReferences references) {
        return Frameworks.getPlanner(config(defaultSchema, operatorTable, references));
    }
}
