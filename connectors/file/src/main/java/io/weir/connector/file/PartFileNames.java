package io.weir.connector.file;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.OptionalLong;

import static java.util.Objects.requireNonNull;

/**
 * The names of one sink writer's part files: {@code part-<writer>-<seq>.<ext>} when visible, and the
 * hidden names they have before: {@code .part-<writer>-<seq>.<ext>.inprogress} for an at-least-once
 * writer, {@code .part-<writer>-<seq>.<ext>.pending} for an exactly-once one until its checkpoint
 * commits. Sequences are zero-padded so that name order is write order.
 *
 * @param writerId file-name safe ({@link #fileSafe}); never contains '-', so the name of one writer's
 *                 files is never a prefix of another's
 * @param extension without the dot
 */
record PartFileNames(String writerId, String extension) {
    static final String PENDING_SUFFIX = ".pending";
    private static final String PREFIX = "part-";

    PartFileNames {
        requireNonNull(writerId, "writerId is null");
        requireNonNull(extension, "extension is null");
        if (!isFileSafe(writerId)) {
            throw new IllegalArgumentException("not a file-name safe writer id: " + writerId);
        }
    }

    /** Whether {@code id} is what {@link #fileSafe} makes: ASCII letters, digits, '.', '_' and '%' escapes, not starting with '.'. */
    static boolean isFileSafe(String id) {
        if (id.isEmpty() || id.charAt(0) == '.') {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (!(c < 0x80 && (Character.isLetterOrDigit(c) || c == '.' || c == '_' || c == '%'))) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@code id} with every character but ASCII letters, digits, '.' and '_' percent-encoded (as
     * UTF-8), so that distinct ids stay distinct and make valid file names without '-'.
     */
    static String fileSafe(String id) {
        StringBuilder safe = new StringBuilder(id.length());
        for (byte b : id.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (c < 0x80 && (Character.isLetterOrDigit(c) || c == '.' || c == '_') && !(c == '.' && safe.isEmpty())) {
                safe.append(c);
            } else {
                safe.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)))
                        .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
            }
        }
        return safe.toString();
    }

    /** The visible name of the part with this sequence number. */
    String visible(long sequence) {
        return String.format("%s%s-%06d.%s", PREFIX, writerId, sequence, extension);
    }

    /** The hidden name of a staged part of an exactly-once writer, for its visible name. */
    static String pending(String visible) {
        return "." + visible + PENDING_SUFFIX;
    }

    /** The visible name of a staged part, if {@code fileName} is one. */
    static java.util.Optional<String> visibleOfPending(String fileName) {
        if (fileName.startsWith("." + PREFIX) && fileName.endsWith(PENDING_SUFFIX)) {
            return java.util.Optional.of(fileName.substring(1, fileName.length() - PENDING_SUFFIX.length()));
        }
        return java.util.Optional.empty();
    }

    /** The sequence number of a part file of this writer in any state (visible, in progress, pending); empty for other files. */
    OptionalLong sequenceOf(Path file) {
        String name = file.getFileName().toString();
        String ownPrefix = PREFIX + writerId + "-";
        int start = name.startsWith(ownPrefix) ? ownPrefix.length() : name.startsWith("." + ownPrefix) ? ownPrefix.length() + 1 : -1;
        if (start < 0) {
            return OptionalLong.empty();
        }
        int end = start;
        while (end < name.length() && Character.isDigit(name.charAt(end))) {
            end++;
        }
        if (end == start || end == name.length() || name.charAt(end) != '.' || end - start > 18) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Long.parseLong(name.substring(start, end)));
    }
}
