package io.weir.sql.query;

import io.weir.sql.statement.StatementCancel;
import org.apache.calcite.DataContext;
import org.apache.calcite.adapter.java.JavaTypeFactory;
import org.apache.calcite.linq4j.QueryProvider;
import org.apache.calcite.schema.SchemaPlus;

import java.util.TimeZone;

import static java.util.Objects.requireNonNull;

/** The variables Calcite's generated code reads while running one bounded query. */
final class QueryDataContext implements DataContext {
    private final SchemaPlus rootSchema;
    private final JavaTypeFactory typeFactory;
    private final TimeZone timeZone;
    private final long startMillis = System.currentTimeMillis();
    private final StatementCancel statement;
    /** The values of the query's parameters, in Calcite's representation; read as "?0", "?1", ... */
    private final Object[] parameters;

    QueryDataContext(SchemaPlus rootSchema, JavaTypeFactory typeFactory, TimeZone timeZone, StatementCancel statement,
                     Object[] parameters) {
        this.parameters = parameters.clone();
        this.rootSchema = requireNonNull(rootSchema, "rootSchema is null");
        this.typeFactory = requireNonNull(typeFactory, "typeFactory is null");
        this.timeZone = requireNonNull(timeZone, "timeZone is null");
        this.statement = requireNonNull(statement, "statement is null");
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
        if (name.startsWith("?")) {
            int index = Integer.parseInt(name.substring(1));
            return index < parameters.length ? parameters[index] : null;
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
        return null;
    }
}
