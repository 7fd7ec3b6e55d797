package io.weir.sql.stream.codegen;

import org.apache.calcite.DataContext;
import org.apache.calcite.adapter.java.JavaTypeFactory;
import org.apache.calcite.jdbc.JavaTypeFactoryImpl;
import org.apache.calcite.linq4j.QueryProvider;
import org.apache.calcite.schema.SchemaPlus;

import java.util.Locale;
import java.util.TimeZone;

/**
 * The {@link DataContext} generated expressions of continuous queries read: Calcite's code asks it
 * for the time zone (UTC: Weir's timestamps are UTC epoch millis) and the current time
 * (CURRENT_TIMESTAMP), read from the clock when asked. There is no schema: expressions never query.
 */
public final class StreamDataContext implements DataContext {
    /** Referenced by name from generated code. */
    public static final StreamDataContext INSTANCE = new StreamDataContext();

    private static final JavaTypeFactory TYPE_FACTORY = new JavaTypeFactoryImpl();
    private static final TimeZone UTC = TimeZone.getTimeZone("UTC");

    private StreamDataContext() {
    }

    @Override
    public SchemaPlus getRootSchema() {
        return null;
    }

    @Override
    public JavaTypeFactory getTypeFactory() {
        return TYPE_FACTORY;
    }

    @Override
    public QueryProvider getQueryProvider() {
        return null;
    }

    @Override
    public Object get(String name) {
        if (Variable.TIME_ZONE.camelName.equals(name)) {
            return UTC;
        }
        if (Variable.CURRENT_TIMESTAMP.camelName.equals(name) || Variable.LOCAL_TIMESTAMP.camelName.equals(name)
                || Variable.UTC_TIMESTAMP.camelName.equals(name)) {
            return System.currentTimeMillis();
        }
        if (Variable.LOCALE.camelName.equals(name)) {
            return Locale.ROOT;
        }
        return null;
    }
}
