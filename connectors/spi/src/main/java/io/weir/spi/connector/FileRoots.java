package io.weir.spi.connector;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * The directories under which connectors may read and write files ({@code --file-roots}): a statement
 * can name any path, so without them any user allowed to create a stream could read every file the
 * server can (and write files anywhere through a file sink). A path is inside a root when the real
 * path of its longest existing part (symbolic links followed) plus the rest lies under the real path
 * of a root; a {@code ..} that climbs out, or a link that points out, is refused. Relative paths are
 * resolved against the first root. A server hands its roots to its connectors as a service
 * ({@link ConnectorServices#find}); a context without them (embedded engines, tests) is not confined.
 */
public final class FileRoots {
    private final List<Path> roots;

    private FileRoots(List<Path> roots) {
        if (roots.isEmpty()) {
            throw new IllegalArgumentException("at least one file root is needed");
        }
        this.roots = List.copyOf(roots);
    }

    /** Roots given as absolute, normalized paths; they need not exist yet. */
    public static FileRoots of(List<Path> roots) {
        requireNonNull(roots, "roots is null");
        List<Path> absolute = new ArrayList<>(roots.size());
        for (Path root : roots) {
            absolute.add(root.toAbsolutePath().normalize());
        }
        return new FileRoots(absolute);
    }

    public List<Path> roots() {
        return roots;
    }

    /**
     * The path option {@code optionKey} names, absolute (a relative one under the first root) and
     * checked to lie under a root.
     *
     * @throws WeirException {@link ErrorCode#INVALID_OPTION_VALUE} for a path that is not one,
     *         {@link ErrorCode#INSUFFICIENT_PRIVILEGE} for one outside every root
     */
    public Path resolve(String describedObject, String optionKey, String pathText) {
        Path path;
        try {
            path = roots.get(0).resolve(pathText).normalize();
        } catch (InvalidPathException e) {
            throw new WeirException(ErrorCode.INVALID_OPTION_VALUE, "Invalid value '" + pathText + "' for option '" + optionKey
                    + "': not a valid path: " + e.getReason());
        }
        check(describedObject, "path '" + pathText + "' (option '" + optionKey + "')", path);
        return path;
    }

    /** Checks a file about to be opened, e.g. one found in a watched directory, which may be a link to elsewhere. */
    public void checkFile(String describedObject, Path file) {
        check(describedObject, "file '" + file + "'", file);
    }

    private void check(String describedObject, String what, Path path) {
        Path real = realPath(path);
        for (Path root : roots) {
            if (real.startsWith(realPath(root))) {
                return;
            }
        }
        throw new WeirException(ErrorCode.INSUFFICIENT_PRIVILEGE, describedObject + ": " + what + " is outside the directories "
                + "the server may read and write (" + describe() + (real.equals(path) ? "" : "; it leads to '" + real + "'")
                + "). Put the files under one of them, or have the server started with --file-roots listing their directory");
    }

    /**
     * Where a link whose target does not exist points (a sink would create its files there); for
     * anything else that cannot be resolved (an unreadable directory), the path itself.
     */
    private static Path danglingLinkTarget(Path existing, int links) {
        if (!Files.isSymbolicLink(existing)) {
            return existing;
        }
        if (links >= 40) { // a loop of links: it leads nowhere, so nowhere allowed
            return Path.of("/").resolve("link loop");
        }
        try {
            Path target = existing.toAbsolutePath().getParent().resolve(Files.readSymbolicLink(existing)).normalize();
            return realPath(target, links + 1);
        } catch (IOException e) {
            return existing;
        }
    }

    /** The roots as a comma-separated list, for messages. */
    public String describe() {
        return roots.stream().map(Path::toString).collect(Collectors.joining(", "));
    }

    /** The real path of the longest existing part of {@code path} (links followed), with the part that does not exist yet appended. */
    private static Path realPath(Path path) {
        return realPath(path, 0);
    }

    private static Path realPath(Path path, int links) {
        Path existing = path;
        Path rest = null;
        while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            Path name = existing.getFileName();
            rest = rest == null ? name : name.resolve(rest);
            existing = existing.getParent();
        }
        if (existing == null) {
            return path;
        }
        Path real;
        try {
            real = existing.toRealPath();
        } catch (IOException e) {
            real = danglingLinkTarget(existing, links);
        }
        return rest == null ? real : real.resolve(rest).normalize();
    }
}
