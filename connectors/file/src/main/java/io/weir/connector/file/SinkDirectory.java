package io.weir.connector.file;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Forcing the sink directory, so that creations and renames in it survive a crash. */
final class SinkDirectory {
    private static final Logger LOG = LoggerFactory.getLogger(SinkDirectory.class);

    private SinkDirectory() {
    }

    /** Forces {@code directory} (Linux and macOS support fsync on a directory; others do not need it). */
    static void sync(Path directory, String describedObject) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            LOG.debug("{}: cannot sync directory {}: {}", describedObject, directory, e.toString());
        }
    }
}
