package io.weir.connector.file;

import io.weir.spi.connector.DeliveryGuarantee;
import io.weir.spi.connector.PreparedCommit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.UUID;

/**
 * At-least-once: a part file becomes visible as soon as it is complete (atomic rename from its
 * in-progress name). Flushed rows of a writer that died sit in its in-progress file; the next writer
 * to open a file in the directory completes such files ({@link InProgressFiles}), since the sources
 * may have moved past those rows. Checkpoints only flush.
 */
final class ImmediateParts implements PartFiles {
    private static final Logger LOG = LoggerFactory.getLogger(ImmediateParts.class);

    private final Path directory;
    private final PartFileNames names;
    private final String describedObject;
    private long sequence;
    private boolean recoveredOrphans;

    ImmediateParts(Path directory, String extension, String describedObject) {
        this.directory = directory;
        this.names = new PartFileNames(UUID.randomUUID().toString().substring(0, 8), extension);
        this.describedObject = describedObject;
    }

    @Override
    public DeliveryGuarantee guarantee() {
        return DeliveryGuarantee.AT_LEAST_ONCE;
    }

    @Override
    public Path nextPart() throws IOException {
        Files.createDirectories(directory);
        Path inProgress = InProgressFiles.inProgress(directory.resolve(names.visible(sequence++)));
        InProgressFiles.register(inProgress);
        return inProgress;
    }

    @Override
    public void opened(Path part, FileChannel channel) throws IOException {
        lockForOtherProcesses(part, channel);
        if (!recoveredOrphans) {
            recoveredOrphans = true;
            InProgressFiles.recoverOrphans(directory, describedObject);
        }
    }

    /** Tells writers in other processes that recover orphaned files that this one is alive. */
    private void lockForOtherProcesses(Path part, FileChannel channel) {
        try {
            channel.tryLock();
        } catch (IOException | OverlappingFileLockException e) {
            LOG.debug("{}: cannot lock {}: {}", describedObject, part, e.toString());
        }
    }

    @Override
    public void completed(Path part) throws IOException {
        Path visible = InProgressFiles.completedName(part).orElseThrow();
        Files.move(part, visible, StandardCopyOption.ATOMIC_MOVE);
        SinkDirectory.sync(directory, describedObject);
        LOG.debug("{}: completed {}", describedObject, visible);
    }

    @Override
    public void released(Path part) {
        InProgressFiles.unregister(part);
    }

    @Override
    public byte[] prepare(long checkpointId) {
        return new byte[0];
    }

    @Override
    public void commit(long checkpointId) {
    }

    @Override
    public boolean recover(Optional<PreparedCommit> newest) {
        return true;
    }
}
