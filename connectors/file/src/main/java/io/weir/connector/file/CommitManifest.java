package io.weir.connector.file;

import io.weir.spi.storage.DurableFile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * The record of the part files an exactly-once writer committed, for readers that must see only
 * committed output without relying on names: {@code _weir_manifest/<writer>/<checkpoint id>} in the
 * sink directory (ids zero-padded to 10 digits) lists the files, relative to the sink directory, one
 * per line (UTF-8), that became visible when that checkpoint committed. Each entry is written
 * atomically and durably ({@link DurableFile}) after its files were renamed to their visible names,
 * so every file an entry names is complete. The file source ignores the directory ('_' prefix).
 */
final class CommitManifest {
    static final String DIRECTORY = "_weir_manifest";

    private final Path directory;

    CommitManifest(Path sinkDirectory, String writerId) {
        this.directory = sinkDirectory.resolve(DIRECTORY).resolve(writerId);
    }

    Path directory() {
        return directory;
    }

    /** Records that checkpoint {@code checkpointId} published {@code files}; writing the same entry again is harmless. */
    void record(long checkpointId, List<String> files) throws IOException {
        StringBuilder text = new StringBuilder();
        for (String file : files) {
            text.append(file).append('\n');
        }
        new DurableFile(directory.resolve(entryName(checkpointId))).write(text.toString().getBytes(StandardCharsets.UTF_8));
    }

    static String entryName(long checkpointId) {
        return String.format("%010d", checkpointId);
    }
}
