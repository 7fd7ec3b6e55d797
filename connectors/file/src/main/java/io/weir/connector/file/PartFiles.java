package io.weir.connector.file;

import io.weir.spi.connector.DeliveryGuarantee;
import io.weir.spi.connector.PreparedCommit;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Optional;

/**
 * When the part files of one {@link FileSinkWriter} become visible: when complete
 * ({@link ImmediateParts}, at-least-once) or when the checkpoint that covers them commits
 * ({@link CheckpointedParts}, exactly-once). The writer writes, rolls and forces the files; this
 * names them and publishes them.
 */
interface PartFiles {
    DeliveryGuarantee guarantee();

    /** The hidden path of the next part file; the writer creates it (create-new) and writes it. */
    Path nextPart() throws IOException;

    /** The writer created and opened {@code part}. */
    void opened(Path part, FileChannel channel) throws IOException;

    /** {@code part} holds all its rows and is forced to disk; still open (renaming it now keeps its lock). */
    void completed(Path part) throws IOException;

    /** The writer closed {@code part}, completed or not. */
    void released(Path part);

    /** Checkpoint step 1, after the writer completed its current part: the state to store in the checkpoint. */
    byte[] prepare(long checkpointId) throws IOException;

    /** Checkpoint step 3: publishes what was prepared for checkpoints up to {@code checkpointId}. */
    void commit(long checkpointId) throws IOException;

    /** See {@link io.weir.spi.connector.SinkWriter#recover(Optional)}. */
    boolean recover(Optional<PreparedCommit> newest) throws IOException;
}
