package io.weir.spi.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class DurableFileTest {
    @TempDir
    Path directory;

    @Test
    void writesAndReadsBack() throws Exception {
        DurableFile file = new DurableFile(directory.resolve("a.json"));
        assertThat(file.read()).isEmpty();
        file.write("one".getBytes(StandardCharsets.UTF_8));
        file.write("two".getBytes(StandardCharsets.UTF_8));
        assertThat(file.read()).hasValueSatisfying(bytes -> assertThat(new String(bytes, StandardCharsets.UTF_8)).isEqualTo("two"));
    }

    @Test
    void ownerOnlyFilesHaveMode0600EvenWhenTheOldFileWasReadableByOthers() throws Exception {
        assumeTrue(directory.getFileSystem().supportedFileAttributeViews().contains("posix"));
        Path path = directory.resolve("users.json");
        Files.writeString(path, "old");
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-r--r--"));

        DurableFile.ownerOnly(path).write("secret".getBytes(StandardCharsets.UTF_8));

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(path))).isEqualTo("rw-------");
        assertThat(Files.readString(path)).isEqualTo("secret");
    }
}
