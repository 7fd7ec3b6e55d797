package io.weir.server.crash;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * Adds each step of the input to a watched directory as a new JSON-lines file, written elsewhere and
 * moved in atomically (as the file connector asks), named so that name order is input order.
 */
final class DirectoryStepWriter implements StepWriter {
    private final Path staging;
    private final Path watched;

    /** @param staging where files are written before they are moved into {@code watched}; on the same file system */
    DirectoryStepWriter(Path staging, Path watched) throws IOException {
        this.staging = Files.createDirectories(requireNonNull(staging, "staging is null"));
        this.watched = Files.createDirectories(requireNonNull(watched, "watched is null"));
    }

    @Override
    public void write(int firstIndex, List<InputRecord> step) throws IOException {
        String name = String.format("input-%08d.jsonl", firstIndex);
        StringBuilder lines = new StringBuilder();
        for (InputRecord record : step) {
            lines.append(record.jsonWithEventTime()).append('\n');
        }
        Path written = Files.writeString(staging.resolve(name), lines, StandardCharsets.UTF_8);
        Files.move(written, watched.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }
}
