package io.weir.sql.udf;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * Calls one {@code eval} overload of a user-defined function, as the compiled code of a query does for
 * each row. What the function throws fails the query (not the server) with {@link ErrorCode#FUNCTION_FAILED},
 * naming the function and the row's arguments.
 */
public final class FunctionInvoker {
    private static final int MAX_SHOWN_ARGUMENT = 100;

    private final String functionName;
    private final String signature;
    private final MethodHandle handle;
    private final ClassLoader loader;

    FunctionInvoker(String functionName, Method method, Object instance, ClassLoader loader) throws IllegalAccessException {
        this.functionName = requireNonNull(functionName, "functionName is null");
        this.loader = requireNonNull(loader, "loader is null");
        this.signature = UserFunction.signature(method);
        MethodHandle unreflected = MethodHandles.publicLookup().unreflect(method);
        if (!Modifier.isStatic(method.getModifiers())) {
            unreflected = unreflected.bindTo(requireNonNull(instance, "instance is null"));
        }
        this.handle = unreflected.asSpreader(Object[].class, method.getParameterCount())
                .asType(MethodType.methodType(Object.class, Object[].class));
    }

    /**
     * Calls the function; its class loader is the thread's context class loader meanwhile, so that what the
     * function looks up by name (service loaders, resources) comes from its jar.
     */
    public Object invoke(Object[] arguments) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            return handle.invokeExact(arguments);
        } catch (Error e) {
            if (e instanceof VirtualMachineError) {
                throw e;
            }
            throw failure(arguments, e);
        } catch (Throwable e) {
            throw failure(arguments, e);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private WeirException failure(Object[] arguments, Throwable cause) {
        return new WeirException(ErrorCode.FUNCTION_FAILED, "Function " + functionName + signature + " failed on the row with"
                + " arguments (" + Arrays.stream(arguments).map(FunctionInvoker::show).collect(Collectors.joining(", ")) + "): "
                + cause + ". The query stopped; fix the function (CREATE OR REPLACE FUNCTION) or keep such rows from it"
                + " (e.g. with WHERE or CASE), then run the query again", cause);
    }

    private static String show(Object argument) {
        if (argument == null) {
            return "NULL";
        }
        String text = argument.toString();
        if (text.length() > MAX_SHOWN_ARGUMENT) {
            text = text.substring(0, MAX_SHOWN_ARGUMENT) + "...";
        }
        return argument instanceof String ? "'" + text.replace("'", "''") + "'" : text;
    }
}
