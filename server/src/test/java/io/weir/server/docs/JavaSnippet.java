package io.weir.server.docs;

import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Compiles a Java example of the docs as the body of a {@code main} method (with {@code java.sql.*}
 * imported, as the example's reader would write around it) and runs it in this JVM, where Weir's
 * JDBC driver is on the class path as it is on a reader's. Returns what it printed.
 */
final class JavaSnippet {
    private JavaSnippet() {
    }

    static String run(String body, Path dir) throws IOException, ReflectiveOperationException {
        String source = "import java.sql.*;\nimport java.util.*;\n\npublic class DocExample {\n"
                + "    public static void main(String[] args) throws Exception {\n" + body.indent(8)
                + "    }\n}\n";
        Path sources = Files.createDirectories(dir.resolve("src"));
        Path classes = Files.createDirectories(dir.resolve("classes"));
        Path file = sources.resolve("DocExample.java");
        Files.writeString(file, source, StandardCharsets.UTF_8);
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        if (compiler == null) {
            throw new IllegalStateException("no Java compiler in this JVM: the tests need a JDK");
        }
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = compiler.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
            boolean compiled = compiler.getTask(null, files, diagnostics, List.of("-d", classes.toString()), null,
                    files.getJavaFileObjects(file)).call();
            if (!compiled) {
                throw new AssertionError("the Java example does not compile:\n" + diagnostics.getDiagnostics().stream()
                        .map(d -> "line " + (d.getLineNumber() - 5) + ": " + d.getMessage(Locale.ROOT))
                        .collect(Collectors.joining("\n")));
            }
        }
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        PrintStream original = System.out;
        // The example's class loader sees this JVM's classes, so DriverManager lets it use Weir's driver.
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, JavaSnippet.class.getClassLoader());
             PrintStream capture = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            Method main = loader.loadClass("DocExample").getMethod("main", String[].class);
            System.setOut(capture);
            try {
                main.invoke(null, (Object) new String[0]);
            } catch (InvocationTargetException e) {
                throw new AssertionError("the Java example failed: " + e.getCause(), e.getCause());
            } finally {
                System.setOut(original);
            }
        }
        return output.toString(StandardCharsets.UTF_8);
    }
}
