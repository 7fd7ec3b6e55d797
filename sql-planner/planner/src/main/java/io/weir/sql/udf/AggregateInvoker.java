package io.weir.sql.udf;

import io.weir.engine.aggregate.UserAggregate;
import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.math.BigDecimal;

import static java.util.Objects.requireNonNull;

/**
 * Runs a user-defined aggregate function: its accumulator class has a public no-argument constructor
 * (an empty accumulator), {@code add(value)}, {@code merge(other)} and {@code result()}, and is
 * {@link java.io.Serializable}: a checkpoint holds each group's accumulator in Java serialization, read back
 * with the function's class loader. What the function throws fails the query with
 * {@link ErrorCode#FUNCTION_FAILED}, naming the function (and, for add, the value).
 */
final class AggregateInvoker implements UserAggregate {
    private final String name;
    private final Class<?> accumulatorClass;
    private final Class<?>[] argumentTypes;
    private final MethodHandle create;
    private final MethodHandle add;
    private final MethodHandle merge;
    private final MethodHandle result;

    AggregateInvoker(String name, Class<?> accumulatorClass, Method add, Method merge, Method result)
            throws ReflectiveOperationException {
        this.name = requireNonNull(name, "name is null");
        this.accumulatorClass = requireNonNull(accumulatorClass, "accumulatorClass is null");
        this.argumentTypes = add.getParameterTypes();
        MethodHandles.Lookup lookup = MethodHandles.publicLookup();
        this.create = lookup.findConstructor(accumulatorClass, MethodType.methodType(void.class))
                .asType(MethodType.methodType(Object.class));
        int arity = add.getParameterCount();
        MethodHandle unreflected = lookup.unreflect(add);
        // add(value) as (Object, Object); add(a, b, ...) as (Object, Object[])
        this.add = arity == 1 ? unreflected.asType(MethodType.methodType(void.class, Object.class, Object.class))
                : unreflected.asType(MethodType.genericMethodType(arity + 1).changeReturnType(void.class))
                .asSpreader(Object[].class, arity);
        this.merge = lookup.unreflect(merge).asType(MethodType.methodType(void.class, Object.class, Object.class));
        this.result = lookup.unreflect(result).asType(MethodType.methodType(Object.class, Object.class));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Object create() {
        try {
            return (Object) create.invokeExact();
        } catch (Throwable e) {
            throw failure("its constructor", e);
        }
    }

    @Override
    public void add(Object accumulator, Object value) {
        if (argumentTypes.length != 1) {
            throw new IllegalStateException(name + " takes " + argumentTypes.length + " arguments");
        }
        Object converted = convert(value, argumentTypes[0]);
        try {
            add.invokeExact(accumulator, converted);
        } catch (Throwable e) {
            throw failure("add(" + show(value) + ")", e);
        }
    }

    @Override
    public void add(Object accumulator, Object[] values) {
        if (values.length != argumentTypes.length || values.length < 2) {
            throw new IllegalStateException(name + " takes " + argumentTypes.length + " arguments, not " + values.length);
        }
        Object[] converted = new Object[values.length];
        for (int i = 0; i < values.length; i++) {
            converted[i] = convert(values[i], argumentTypes[i]);
        }
        try {
            add.invokeExact(accumulator, converted);
        } catch (Throwable e) {
            throw failure("add(" + String.join(", ", java.util.Arrays.stream(values).map(AggregateInvoker::show).toList()) + ")", e);
        }
    }

    private static String show(Object value) {
        return value instanceof String ? "'" + value + "'" : String.valueOf(value);
    }

    /** Engine values (Long for every integer type, Double for REAL) as the add method's parameter type. */
    private static Object convert(Object value, Class<?> argumentType) {
        if (value instanceof Number number && !argumentType.isInstance(value)) {
            Class<?> boxed = argumentType.isPrimitive() ? org.apache.calcite.linq4j.tree.Primitive.box(argumentType) : argumentType;
            if (boxed == Long.class) {
                return number.longValue();
            } else if (boxed == Integer.class) {
                return number.intValue();
            } else if (boxed == Short.class) {
                return number.shortValue();
            } else if (boxed == Byte.class) {
                return number.byteValue();
            } else if (boxed == Double.class) {
                return number.doubleValue();
            } else if (boxed == Float.class) {
                return number.floatValue();
            } else if (boxed == BigDecimal.class) {
                return number instanceof Double || number instanceof Float ? BigDecimal.valueOf(number.doubleValue())
                        : BigDecimal.valueOf(number.longValue());
            }
        }
        return value;
    }

    @Override
    public void merge(Object into, Object from) {
        try {
            merge.invokeExact(into, from);
        } catch (Throwable e) {
            throw failure("merge", e);
        }
    }

    @Override
    public Object result(Object accumulator) {
        try {
            return (Object) result.invokeExact(accumulator);
        } catch (Throwable e) {
            throw failure("result()", e);
        }
    }

    @Override
    public byte[] serialize(Object accumulator) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(accumulator);
        } catch (IOException | RuntimeException e) {
            throw new WeirException(ErrorCode.FUNCTION_FAILED, "Aggregate function " + name + " cannot checkpoint its accumulator "
                    + accumulatorClass.getName() + ": " + e + ". Make the accumulator and what its fields hold Serializable", e);
        }
        return bytes.toByteArray();
    }

    @Override
    public Object deserialize(byte[] state) {
        try (ObjectInputStream in = new FunctionObjectInputStream(new ByteArrayInputStream(state), accumulatorClass.getClassLoader())) {
            return in.readObject();
        } catch (IOException | ClassNotFoundException | RuntimeException e) {
            throw new WeirException(ErrorCode.FUNCTION_FAILED, "Aggregate function " + name + " cannot restore its accumulator "
                    + accumulatorClass.getName() + " from the checkpoint: " + e + ". Was its jar replaced by an incompatible"
                    + " version? Restore the jar, or drop the query's state by creating the query again", e);
        }
    }

    @Override
    public String stateLayout() {
        return name + ":" + accumulatorClass.getName();
    }

    @Override
    public String toString() {
        return name;
    }

    private WeirException failure(String what, Throwable cause) {
        if (cause instanceof WeirException weir) {
            return weir;
        }
        if (cause instanceof VirtualMachineError error) {
            throw error;
        }
        return new WeirException(ErrorCode.FUNCTION_FAILED, "Aggregate function " + name + " failed in " + what + ": " + cause
                + ". The query stopped; fix the function (CREATE OR REPLACE FUNCTION) or keep such rows from it (e.g. with"
                + " WHERE or FILTER), then run the query again", cause);
    }

    /** Resolves the classes of a serialized accumulator with its function's class loader. */
    private static final class FunctionObjectInputStream extends ObjectInputStream {
        private final ClassLoader loader;

        FunctionObjectInputStream(InputStream in, ClassLoader loader) throws IOException {
            super(in);
            this.loader = loader;
        }

        @Override
        protected Class<?> resolveClass(ObjectStreamClass description) throws IOException, ClassNotFoundException {
            try {
                return Class.forName(description.getName(), false, loader);
            } catch (ClassNotFoundException e) {
                return super.resolveClass(description);
            }
        }
    }
}
