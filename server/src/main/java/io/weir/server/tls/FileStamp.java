package io.weir.server.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Optional;

/**
 * What tells one version of a file from the next without reading it: modification time, size and
 * identity (a file replaced by a rename, as Kubernetes does with mounted secrets, is another file).
 * Symbolic links are followed.
 */
record FileStamp(FileTime modified, long size, Object fileKey) {
    /** The file's stamp now, or empty when it cannot be read (e.g. it is being replaced). */
    static Optional<FileStamp> of(Path file) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return Optional.of(new FileStamp(attributes.lastModifiedTime(), attributes.size(), attributes.fileKey()));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
