package io.weir.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Temporary directories of a benchmark run (data directories, generated input: gigabytes), deleted when the JVM
 * exits however the run ends, so that repeated runs do not fill the disk.
 */
final class ScratchDirectories {
    private ScratchDirectories() {
    }

    /** A new directory under the system's temporary directory, deleted with its contents at exit. */
    static Path create(String prefix) throws IOException {
        return deletedAtExit(Files.createTempDirectory(prefix));
    }

    /** A new directory under {@code parent}, deleted with its contents at exit. */
    static Path create(Path parent, String prefix) throws IOException {
        return deletedAtExit(Files.createTempDirectory(parent, prefix));
    }

    private static Path deletedAtExit(Path directory) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteRecursively(directory), "delete " + directory));
        return directory;
    }

    static void deleteRecursively(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            System.err.println("could not delete " + directory + ": " + e.getMessage());
        }
    }
}
