package io.weir.sql.function;

import org.apache.calcite.schema.Function;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.calcite.schema.impl.ScalarFunctionImpl;

import java.sql.Timestamp;

/**
 * {@code PROCTIME()}: the processing time, for a computed column that gives a stream processing-time
 * semantics ({@code pt AS PROCTIME()}). Its column type is {@code TIMESTAMP(3) NOT NULL}.
 */
public final class ProcessingTime {
    public static final String NAME = "PROCTIME";

    private ProcessingTime() {
    }

    /** The wall-clock time at evaluation. */
    public static Timestamp proctime() {
        return new Timestamp(System.currentTimeMillis());
    }

    public static Function function() {
        return ScalarFunctionImpl.create(ProcessingTime.class, "proctime");
    }

    /** Registers Weir's functions in {@code schema}. */
    public static void register(SchemaPlus schema) {
        schema.add(NAME, function());
    }
}
