package io.weir.sql.udf;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.connector.FileRoots;
import org.apache.calcite.schema.Function;

import java.io.IOException;
import java.io.Serializable;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URLClassLoader;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static java.util.Objects.requireNonNull;

/**
 * A function's class loaded from its jar in a class loader of its own (a child of Weir's, so that two
 * functions' jars never see each other's classes and dropping a function releases its jar), and its
 * {@code eval} overloads made callable from compiled queries. Closed when the function is dropped.
 */
final class FunctionJar implements AutoCloseable {
    private final URLClassLoader loader;
    private final Loaded loaded;

    /**
     * What a function's class makes: its overloads as Calcite calls them, their signatures, and the handles
     * they are registered under in {@link FunctionCalls}.
     */
    record Loaded(String kind, List<Function> functions, List<String> signatures, List<String> handles) {
        Loaded {
            functions = List.copyOf(functions);
            signatures = List.copyOf(signatures);
            handles = List.copyOf(handles);
        }
    }

    private FunctionJar(URLClassLoader loader, Loaded loaded) {
        this.loader = loader;
        this.loaded = loaded;
    }

    /** {@code SCALAR} or {@code AGGREGATE}. */
    String kind() {
        return loaded.kind();
    }

    List<Function> functions() {
        return loaded.functions();
    }

    List<String> signatures() {
        return loaded.signatures();
    }

    /**
     * The path {@code jar} (a {@code file:} URI or a path; a relative one under the first file root) names,
     * checked to lie under the server's file roots.
     */
    static Path resolve(String functionName, String jar, Optional<FileRoots> roots) {
        String pathText = jar.strip();
        if (pathText.regionMatches(true, 0, "file:", 0, 5)) {
            String rest = pathText.substring(5);
            try {
                pathText = rest.startsWith("/") ? Path.of(URI.create(pathText)).toString() : rest;
            } catch (IllegalArgumentException e) {
                throw new WeirException(ErrorCode.INVALID_FUNCTION, "Function '" + functionName + "': '" + jar + "' is not a"
                        + " file URI (" + e.getMessage() + "); write USING JAR 'file:///path/to/functions.jar' or a path");
            }
        } else if (pathText.matches("^[A-Za-z][A-Za-z0-9+.-]+:.*")) {
            throw new WeirException(ErrorCode.INVALID_FUNCTION, "Function '" + functionName + "': the jar '" + jar + "' is not a"
                    + " file; Weir loads functions from jars in the server's file roots: copy the jar there and write"
                    + " USING JAR 'file:/path/to/functions.jar'");
        }
        Path path;
        try {
            path = roots.map(root -> root.roots().get(0)).orElse(Path.of("")).toAbsolutePath().resolve(pathText).normalize();
        } catch (InvalidPathException e) {
            throw new WeirException(ErrorCode.INVALID_FUNCTION, "Function '" + functionName + "': '" + jar + "' is not a valid"
                    + " path: " + e.getReason());
        }
        if (roots.isPresent()) {
            roots.get().checkFile("Function '" + functionName + "'", path);
        }
        return path;
    }

    /** Loads class {@code className} of the jar at {@code path} as function {@code name}. */
    static FunctionJar load(String name, String className, Path path) {
        requireNonNull(name, "name is null");
        if (!Files.isRegularFile(path)) {
            throw new WeirException(ErrorCode.INVALID_FUNCTION, "Function '" + name + "': the jar " + path + " does not exist or"
                    + " is not a file; put the jar there or correct USING JAR");
        }
        if (!Files.isReadable(path)) {
            throw new WeirException(ErrorCode.INVALID_FUNCTION, "Function '" + name + "': the server cannot read the jar " + path
                    + "; make it readable to the user the server runs as");
        }
        URL url;
        try {
            url = path.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new WeirException(ErrorCode.INVALID_FUNCTION, "Function '" + name + "': " + path + " is not a jar location", e);
        }
        URLClassLoader loader = new URLClassLoader("function " + name, new URL[] {url}, FunctionJar.class.getClassLoader());
        try {
            Class<?> type = loadClass(name, className, path, loader);
            boolean scalar = Arrays.stream(type.getMethods()).anyMatch(method -> method.getName().equals("eval"));
            return new FunctionJar(loader, scalar || !looksLikeAccumulator(type) ? overloads(name, type) : aggregate(name, type));
        } catch (RuntimeException e) {
            closeQuietly(loader);
            throw e;
        }
    }

    private static Class<?> loadClass(String name, String className, Path path, ClassLoader loader) {
        try {
            Class<?> loaded = Class.forName(className, true, loader);
            if (!Modifier.isPublic(loaded.getModifiers())) {
                throw new WeirException(ErrorCode.INVALID_FUNCTION, "Function '" + name + "': class " + className
                        + " must be public; make it a public top-level or public static nested class");
            }
            return loaded;
        } catch (ClassNotFoundException e) {
            throw new WeirException(ErrorCode.INVALID_FUNCTION, "Function '" + name + "': class " + className + " is not in the jar "
                    + path + ". Check its package and name (a nested class is written Outer$Inner), and that the jar holds"
                    + " it (jar tf " + path.getFileName() + ")");
        } catch (LinkageError e) {
            throw new WeirException(ErrorCode.INVALID_FUNCTION, "Function '" + name + "': class " + className + " of the jar " + path
                    + " cannot be loaded: " + e + ". Build it for Java 17 or older, with the classes it uses in the same jar", e);
        }
    }

    private static boolean looksLikeAccumulator(Class<?> type) {
        return Arrays.stream(type.getMethods()).anyMatch(m -> m.getName().equals("add"))
                && Arrays.stream(type.getMethods()).anyMatch(m -> m.getName().equals("result"));
    }

    /**
     * An aggregate function: the class is its accumulator, with a public no-argument constructor (an empty
     * accumulator), one public {@code add(value)}, {@code merge(SameClass other)} and {@code result()}; it is
     * Serializable, which is how its state is kept in checkpoints.
     */
    private static Loaded aggregate(String name, Class<?> type) {
        String prefix = "Function '" + name + "': the accumulator class " + type.getName();
        try {
            type.getConstructor();
        } catch (NoSuchMethodException e) {
            throw new WeirException(ErrorCode.INVALID_FUNCTION, prefix + " has no public no-argument constructor; add one"
                    + " that makes an empty accumulator");
        }
        if (!Serializable.class.isAssignableFrom(type)) {
            throw new WeirException(ErrorCode.INVALID_FUNCTION, prefix + " is not java.io.Serializable: its state is kept in"
                    + " the query's checkpoints in Java serialization. Implement Serializable (and keep its fields so)");
        }
        List<Method> adds = instanceMethods(type, "add");
        if (adds.size() != 1 || adds.get(0).getParameterCount() == 0) {
            throw new WeirException(ErrorCode.INVALID_FUNCTION, prefix + " must have exactly one public add method taking the"
                    + " function's arguments, add(value) or add(a, b, ...) (it has " + adds.size() + (adds.size() == 1
                    ? ", without parameters" : "") + ")");
        }
        Method add = adds.get(0);
        List<Method> merges = instanceMethods(type, "merge").stream()
                .filter(m -> m.getParameterCount() == 1 && m.getParameterTypes()[0].isAssignableFrom(type)).toList();
        if (merges.size() != 1) {
            throw new WeirException(ErrorCode.INVALID_FUNCTION, prefix + " must have one public merge(" + type.getSimpleName()
                    + " other) method, which adds another accumulator's values to this one (for session windows)");
        }
        List<Method> results = instanceMethods(type, "result").stream().filter(m -> m.getParameterCount() == 0).toList();
        if (results.size() != 1) {
            throw new WeirException(ErrorCode.INVALID_FUNCTION, prefix + " must have one public result() method returning the"
                    + " aggregate's value");
        }
        Method result = results.get(0);
        if (Arrays.stream(add.getParameterTypes()).anyMatch(type1 -> JavaSqlTypes.sqlType(type1).isEmpty())
                || JavaSqlTypes.sqlType(result.getReturnType()).isEmpty()) {
            throw new WeirException(ErrorCode.INVALID_FUNCTION, prefix + ": add takes " + String.join(", ",
                    Arrays.stream(add.getParameterTypes()).map(Class::getName).toList()) + " and result returns "
                    + result.getReturnType().getName() + "; they take and return " + JavaSqlTypes.SUPPORTED);
        }
        AggregateInvoker invoker;
        try {
            invoker = new AggregateInvoker(name, type, add, merges.get(0), result);
        } catch (ReflectiveOperationException e) {
            throw new WeirException(ErrorCode.INVALID_FUNCTION, prefix + " cannot be called: " + e.getMessage()
                    + "; make the class, its constructor and methods public", e);
        }
        String handle = UUID.randomUUID().toString();
        FunctionCalls.register(handle, invoker);
        UserAggregateFunction function = new UserAggregateFunction(name, add, result, handle, invoker);
        return new Loaded("AGGREGATE", List.of(function), List.of(function.signature()), List.of(handle));
    }

    private static List<Method> instanceMethods(Class<?> type, String methodName) {
        return Arrays.stream(type.getMethods())
                .filter(m -> m.getName().equals(methodName) && !Modifier.isStatic(m.getModifiers()) && !m.isBridge()
                        && !m.isSynthetic())
                .toList();
    }

    private static Loaded overloads(String name, Class<?> type) {
        List<Method> evals = Arrays.stream(type.getMethods())
                .filter(method -> method.getName().equals("eval") && !method.isBridge() && !method.isSynthetic())
                .sorted(Comparator.comparing(Method::getParameterCount).thenComparing(Method::toString))
                .toList();
        if (evals.isEmpty()) {
            throw new WeirException(ErrorCode.INVALID_FUNCTION, "Function '" + name + "': class " + type.getName()
                    + " has no public eval method. A scalar function is a public class with public eval methods (static, or"
                    + " on an instance made with its public no-argument constructor), one per overload; an aggregate function"
                    + " is a Serializable accumulator class with public add(value), merge(other) and result() methods");
        }
        Map<String, Method> bySqlTypes = new HashMap<>();
        for (Method eval : evals) {
            checkTypes(name, eval);
            String sqlTypes = Arrays.stream(eval.getParameterTypes()).map(JavaSqlTypes::sqlName).toList().toString();
            Method clash = bySqlTypes.putIfAbsent(sqlTypes, eval);
            if (clash != null) {
                throw new WeirException(ErrorCode.INVALID_FUNCTION, "Function '" + name + "': " + clash + " and " + eval
                        + " take the same SQL types " + sqlTypes + ", so a call could not choose; keep one of them");
            }
        }
        Object instance = evals.stream().allMatch(m -> Modifier.isStatic(m.getModifiers())) ? null : instance(name, type);
        List<Function> overloads = new ArrayList<>();
        List<String> signatures = new ArrayList<>();
        List<String> handles = new ArrayList<>();
        for (Method eval : evals) {
            String handle = UUID.randomUUID().toString();
            try {
                FunctionCalls.register(handle, new FunctionInvoker(name, eval, instance, type.getClassLoader()));
            } catch (IllegalAccessException e) {
                handles.forEach(FunctionCalls::remove);
                throw new WeirException(ErrorCode.INVALID_FUNCTION, "Function '" + name + "': " + eval + " cannot be called: "
                        + e.getMessage() + "; make the class and the method public", e);
            }
            handles.add(handle);
            overloads.add(new UserFunction(name, eval, handle));
            signatures.add(UserFunction.signature(eval));
        }
        return new Loaded("SCALAR", overloads, signatures, handles);
    }

    private static void checkTypes(String name, Method eval) {
        if (eval.isVarArgs()) {
            throw new WeirException(ErrorCode.INVALID_FUNCTION, "Function '" + name + "': " + eval + " takes variable arguments;"
                    + " write one eval method per number of arguments instead");
        }
        for (Class<?> parameter : eval.getParameterTypes()) {
            if (JavaSqlTypes.sqlType(parameter).isEmpty()) {
                throw new WeirException(ErrorCode.INVALID_FUNCTION, "Function '" + name + "': " + eval + " takes a "
                        + parameter.getName() + ", which has no SQL type; eval methods take and return " + JavaSqlTypes.SUPPORTED);
            }
        }
        if (JavaSqlTypes.sqlType(eval.getReturnType()).isEmpty()) {
            throw new WeirException(ErrorCode.INVALID_FUNCTION, "Function '" + name + "': " + eval + " returns "
                    + eval.getReturnType().getName() + ", which has no SQL type; eval methods take and return "
                    + JavaSqlTypes.SUPPORTED);
        }
    }

    private static Object instance(String name, Class<?> type) {
        try {
            return type.getConstructor().newInstance();
        } catch (NoSuchMethodException | IllegalAccessException e) {
            throw new WeirException(ErrorCode.INVALID_FUNCTION, "Function '" + name + "': class " + type.getName() + " has instance"
                    + " eval methods but no public no-argument constructor; add one, or make the eval methods static");
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            Throwable cause = e instanceof java.lang.reflect.InvocationTargetException target ? target.getCause() : e;
            throw new WeirException(ErrorCode.INVALID_FUNCTION, "Function '" + name + "': the constructor of " + type.getName()
                    + " failed: " + cause, cause);
        }
    }

    @Override
    public void close() {
        loaded.handles().forEach(FunctionCalls::remove);
        closeQuietly(loader);
    }

    private static void closeQuietly(URLClassLoader loader) {
        try {
            loader.close();
        } catch (IOException e) {
            // the jar stays open until the class loader is collected; nothing else depends on it
        }
    }
}
