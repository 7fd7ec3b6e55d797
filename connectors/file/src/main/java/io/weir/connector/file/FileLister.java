package io.weir.connector.file;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The files a path stands for, in name order: the file itself, or the regular files directly in the
 * directory whose names match the glob, leaving out hidden and in-progress files (names starting
 * with '.' or '_', the convention of Spark and Hadoop writers, and names ending '.inprogress', as the
 * file sink's and Flink's in-progress files do). Subdirectories are not read.
 */
final class FileLister {
    private final FileSettings settings;
    private final String describedObject;

    FileLister(FileSettings settings, String describedObject) {
        this.settings = settings;
        this.describedObject = describedObject;
    }

    /** The files now present; empty when the path does not exist (yet). */
    List<Path> list() {
        Path path = settings.path();
        if (!Files.isDirectory(path)) {
            return Files.isRegularFile(path) ? List.of(confined(path)) : List.of();
        }
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(path)) {
            for (Path entry : entries) {
                if (isCandidate(entry)) {
                    files.add(confined(entry));
                }
            }
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new WeirException(ErrorCode.SOURCE_ERROR, describedObject + ": cannot list directory '" + path + "': " + e.getMessage(), e);
        }
        files.sort(Comparator.comparing(file -> file.getFileName().toString()));
        return files;
    }

    /** A file of the path, checked again as it is read: it may have become (or be) a link out of the file roots. */
    private Path confined(Path file) {
        settings.roots().ifPresent(roots -> roots.checkFile(describedObject, file));
        return file;
    }

    private boolean isCandidate(Path entry) {
        String name = entry.getFileName().toString();
        if (name.startsWith(".") || name.startsWith("_") || name.endsWith(".inprogress")) {
            return false;
        }
        if (settings.nameMatcher().isPresent() && !settings.nameMatcher().get().matches(entry.getFileName())) {
            return false;
        }
        return Files.isRegularFile(entry);
    }
}
