package io.weir.sql.udf;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where the compiled code of a query finds the user-defined function it calls. That code is compiled by
 * Janino with Weir's class loader as parent (Calcite's bounded queries and Weir's continuous expressions
 * alike), so it cannot name a class of a function's jar, and it has no per-server context to look a
 * function up in: it names the function's overload by a handle instead, unique to one load of one jar,
 * so that servers in one JVM never see each other's functions and a replaced function's old code is never
 * called under its new name. Handles are removed when their function is dropped or its server closes.
 */
public final class FunctionCalls {
    private static final Map<String, FunctionInvoker> INVOKERS = new ConcurrentHashMap<>();
    private static final Map<String, AggregateInvoker> AGGREGATES = new ConcurrentHashMap<>();

    private FunctionCalls() {
    }

    static void register(String handle, FunctionInvoker invoker) {
        INVOKERS.put(handle, invoker);
    }

    static void register(String handle, AggregateInvoker aggregate) {
        AGGREGATES.put(handle, aggregate);
    }

    static void remove(String handle) {
        INVOKERS.remove(handle);
        AGGREGATES.remove(handle);
    }

    /** Called by generated code: the overload {@code handle} names, applied to {@code arguments}. */
    public static Object call(String handle, String functionName, Object[] arguments) {
        FunctionInvoker invoker = INVOKERS.get(handle);
        if (invoker == null) {
            throw new WeirException(ErrorCode.FUNCTION_FAILED, "Function " + functionName + " was dropped or replaced while"
                    + " this query ran; run the query again");
        }
        return invoker.invoke(arguments);
    }

    /** Called by generated code: adds {@code value} to {@code accumulator} (made on the group's first value). */
    public static Object aggregateAdd(String handle, String functionName, Object accumulator, Object value) {
        AggregateInvoker aggregate = aggregate(handle, functionName);
        Object current = accumulator == null ? aggregate.create() : accumulator;
        aggregate.add(current, value);
        return current;
    }

    /** Called by generated code: {@code accumulator} (a new one when null) with one row's arguments added. */
    public static Object aggregateAddAll(String handle, String functionName, Object accumulator, Object[] values) {
        AggregateInvoker aggregate = aggregate(handle, functionName);
        Object current = accumulator == null ? aggregate.create() : accumulator;
        aggregate.add(current, values);
        return current;
    }

    /** Called by generated code: the result of {@code accumulator}. */
    public static Object aggregateResult(String handle, String functionName, Object accumulator) {
        return aggregate(handle, functionName).result(accumulator);
    }

    private static AggregateInvoker aggregate(String handle, String functionName) {
        AggregateInvoker aggregate = AGGREGATES.get(handle);
        if (aggregate == null) {
            throw new WeirException(ErrorCode.FUNCTION_FAILED, "Function " + functionName + " was dropped or replaced while"
                    + " this query ran; run the query again");
        }
        return aggregate;
    }
}
