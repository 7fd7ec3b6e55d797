package io.weir.server.testing;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Builds a real jar from Java source, as a user would build one for CREATE FUNCTION: the source is compiled
 * with the JDK's compiler (javax.tools) against nothing but the JDK, and its classes jarred.
 */
public final class FunctionJars {
    private static final Pattern PACKAGE = Pattern.compile("^\\s*package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);
    private static final Pattern PUBLIC_CLASS = Pattern.compile("public\\s+(?:final\\s+|abstract\\s+)*class\\s+(\\w+)");

    private FunctionJars() {
    }

    /** Compiles {@code source} (one compilation unit, with its public class) into the jar {@code jar}. */
    public static Path build(Path jar, String source) throws IOException {
        Matcher name = PUBLIC_CLASS.matcher(source);
        if (!name.find()) {
            throw new IllegalArgumentException("the source has no public class:\n" + source);
        }
        Matcher pkg = PACKAGE.matcher(source);
        String packagePath = pkg.find() ? pkg.group(1).replace('.', '/') + "/" : "";
        Path work = Files.createTempDirectory(jar.toAbsolutePath().getParent(), ".jar-build");
        try {
            Path sourceFile = work.resolve("src").resolve(packagePath + name.group(1) + ".java");
            Files.createDirectories(sourceFile.getParent());
            Files.writeString(sourceFile, source, StandardCharsets.UTF_8);
            Path classes = Files.createDirectories(work.resolve("classes"));
            JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
            ByteArrayOutputStream errors = new ByteArrayOutputStream();
            int status = compiler.run(null, errors, errors, "--release", "17", "-d", classes.toString(), sourceFile.toString());
            if (status != 0) {
                throw new IllegalArgumentException("the source does not compile:\n" + errors.toString(StandardCharsets.UTF_8));
            }
            Manifest manifest = new Manifest();
            manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
            Path partial = jar.resolveSibling("." + jar.getFileName() + ".tmp");
            try (OutputStream out = Files.newOutputStream(partial); JarOutputStream jarOut = new JarOutputStream(out, manifest);
                 Stream<Path> files = Files.walk(classes)) {
                for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                    jarOut.putNextEntry(new JarEntry(classes.relativize(file).toString().replace('\\', '/')));
                    jarOut.write(Files.readAllBytes(file));
                    jarOut.closeEntry();
                }
            }
            Files.move(partial, jar, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return jar;
        } finally {
            try (Stream<Path> files = Files.walk(work)) {
                for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    /** Whether a scenario file of this name is Java source to be built into a jar. */
    public static boolean isJar(String fileName) {
        return fileName.endsWith(".jar");
    }
}
