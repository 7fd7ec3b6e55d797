package io.weir.connector.file;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * What an exactly-once file sink writer stores in a checkpoint: the staged part files it publishes
 * when the checkpoint commits (by visible name), and the sequence number its next part takes, so
 * that part names never repeat after a restart. Stored as UTF-8 text, one item per line.
 *
 * @param files visible names of the staged parts
 * @param nextSequence the sequence number of the writer's next part file
 */
record PreparedParts(List<String> files, long nextSequence) {
    private static final String HEADER = "weir-file-sink-prepared 1";

    PreparedParts {
        files = List.copyOf(requireNonNull(files, "files is null"));
    }

    byte[] toBytes() {
        StringBuilder text = new StringBuilder(HEADER).append('\n').append(nextSequence).append('\n');
        for (String file : files) {
            text.append(file).append('\n');
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    static PreparedParts fromBytes(byte[] bytes, String describedObject) {
        String[] lines = new String(bytes, StandardCharsets.UTF_8).split("\n");
        if (lines.length < 2 || !lines[0].equals(HEADER)) {
            throw unreadable(describedObject, "unknown header");
        }
        long nextSequence;
        try {
            nextSequence = Long.parseLong(lines[1]);
        } catch (NumberFormatException e) {
            throw unreadable(describedObject, "bad sequence number '" + lines[1] + "'");
        }
        List<String> files = new ArrayList<>();
        for (int i = 2; i < lines.length; i++) {
            if (lines[i].isEmpty() || lines[i].contains("/") || lines[i].startsWith(".")) {
                throw unreadable(describedObject, "bad file name '" + lines[i] + "'");
            }
            files.add(lines[i]);
        }
        return new PreparedParts(files, nextSequence);
    }

    private static WeirException unreadable(String describedObject, String problem) {
        return new WeirException(ErrorCode.SINK_ERROR, describedObject + ": the file sink's part of the query's checkpoint "
                + "cannot be read (" + problem + "); it was written by another version or damaged. Restart the query "
                + "without its checkpoint (rows may then be written again)");
    }
}
