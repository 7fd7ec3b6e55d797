package io.weir.sql.udf;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.connector.FileRoots;

import java.io.IOException;
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
    private final List<UserFunction> overloads;

    private FunctionJar(URLClassLoader loader, List<UserFunction> overloads) {
        this.loader = loader;
        this.overloads = List.copyOf(overloads);
    }

    List<UserFunction> overloads() {
        return overloads;
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
        if (roots.isPresent()) {
            try {
                return roots.get().resolve("Function '" + functionName + "'", "USING JAR", pathText);
            } catch (WeirException e) {
                if (e.errorCode() == ErrorCode.INVALID_OPTION_VALUE) {
                    throw new WeirException(ErrorCode.INVALID_FUNCTION, e.rawMessage(), e);
                }
                throw e;
            }
        }
        try {
            return Path.of(pathText).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw new WeirException(ErrorCode.INVALID_FUNCTION, "Function '" + functionName + "': '" + jar + "' is not a valid"
                    + " path: " + e.getReason());
        }
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
            List<UserFunction> overloads = overloads(name, loadClass(name, className, path, loader));
            return new FunctionJar(loader, overloads);
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

    private static List<UserFunction> overloads(String name, Class<?> type) {
        List<Method> evals = Arrays.stream(type.getMethods())
                .filter(method -> method.getName().equals("eval") && !method.isBridge() && !method.isSynthetic())
                .sorted(Comparator.comparing(Method::getParameterCount).thenComparing(Method::toString))
                .toList();
        if (evals.isEmpty()) {
            boolean accumulator = Arrays.stream(type.getMethods()).anyMatch(m -> m.getName().equals("add"))
                    && Arrays.stream(type.getMethods()).anyMatch(m -> m.getName().equals("result"));
            throw new WeirException(ErrorCode.INVALID_FUNCTION, "Function '" + name + "': class " + type.getName()
                    + " has no public eval method. " + (accumulator
                    ? "It looks like an aggregate (add/result): this version of Weir runs scalar functions only"
                    : "A scalar function is a public class with public eval methods (static, or on an instance made with"
                    + " its public no-argument constructor), one per overload"));
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
        List<UserFunction> overloads = new ArrayList<>();
        for (Method eval : evals) {
            String handle = UUID.randomUUID().toString();
            try {
                FunctionCalls.register(handle, new FunctionInvoker(name, eval, instance, type.getClassLoader()));
            } catch (IllegalAccessException e) {
                overloads.forEach(overload -> FunctionCalls.remove(overload.handle()));
                throw new WeirException(ErrorCode.INVALID_FUNCTION, "Function '" + name + "': " + eval + " cannot be called: "
                        + e.getMessage() + "; make the class and the method public", e);
            }
            overloads.add(new UserFunction(name, eval, handle));
        }
        return overloads;
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
        overloads.forEach(overload -> FunctionCalls.remove(overload.handle()));
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
