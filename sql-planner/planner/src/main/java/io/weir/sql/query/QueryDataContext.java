package io.weir.sql.query;

import io.weir.sql.statement.StatementCancel;
import org.apache.calcite.DataContext;
import org.apache.calcite.adapter.java.JavaTypeFactory;
import org.apache.calcite.linq4j.QueryProvider;
import org.apache.calcite.schema.SchemaPlus;

import java.util.List;
import java.util.TimeZone;

import static java.util.Objects.requireNonNull;

/** The variables Calcite's generated code reads while running one bounded query. */
final class QueryDataContext implements DataContext {
    private final SchemaPlus rootSchema;
    private final JavaTypeFactory typeFactory;
    private final TimeZone timeZone;
    private final long startMillis = System.currentTimeMillis();
    private final StatementCancel statement;
    private final java.util.Map<String, Object> variables;
    private final List<Object> parameterValues;

    /**
     * @param variables what else the query's tables read by name (e.g. who runs it, for the sys tables)
     * @param parameterValues the values of the statement's parameters, as Calcite's generated code reads them
     */
    QueryDataContext(SchemaPlus rootSchema, JavaTypeFactory typeFactory, TimeZone timeZone, StatementCancel statement,
                     java.util.Map<String, Object> variables, List<Object> parameterValues) {
        this.variables = java.util.Map.copyOf(variables);
        this.rootSchema = requireNonNull(rootSchema, "rootSchema is null");
        this.typeFactory = requireNonNull(typeFactory, "typeFactory is null");
        this.timeZone = requireNonNull(timeZone, "timeZone is null");
        this.statement = requireNonNull(statement, "statement is null");
        this.parameterValues = requireNonNull(parameterValues, "parameterValues is null");
    }

    @Override
    public SchemaPlus getRootSchema() {
        return rootSchema;
    }

    @Override
    public JavaTypeFactory getTypeFactory() {
        return typeFactory;
    }

    @Override
    public QueryProvider getQueryProvider() {
        return null;
    }

    /** The result was closed: scans still running stop. */
    void cancel() {
        statement.cancel(StatementCancel.cancelled("its result was closed"));
    }

    @Override
    public Object get(String name) {
        if (!name.isEmpty() && name.charAt(0) == '?') {
            // the value of a parameter, as Calcite's generated code names it: ?0, ?1, ... Asked for at every row
            // a filter reads it (PgEndpointBenchmark: parsing the name was a third of a pull query's time)
            return parameterValues.get(name.length() == 2 ? name.charAt(1) - '0' : Integer.parseInt(name, 1, name.length(), 10));
        }
        if (Variable.CURRENT_TIMESTAMP.camelName.equals(name) || Variable.UTC_TIMESTAMP.camelName.equals(name)) {
            return startMillis;
        }
        if (Variable.LOCAL_TIMESTAMP.camelName.equals(name)) {
            return startMillis + timeZone.getOffset(startMillis);
        }
        if (Variable.TIME_ZONE.camelName.equals(name)) {
            return timeZone;
        }
        if (Variable.CANCEL_FLAG.camelName.equals(name)) {
            return statement.flag(); // what the scans check at every row
        }
        return variables.get(name);
    }
}
