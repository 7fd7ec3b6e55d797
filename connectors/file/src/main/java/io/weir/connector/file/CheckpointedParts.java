package io.weir.connector.file;

import io.weir.spi.connector.DeliveryGuarantee;
import io.weir.spi.connector.PreparedCommit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;

/**
 * Exactly-once, like Spark's file sink: a part file stays hidden ({@code .part-<writer>-<seq>.<ext>.pending})
 * until the checkpoint covering its rows commits. Preparing a checkpoint stages the parts completed
 * since the previous one (the writer completes its open part first) and stores their names in the
 * checkpoint; committing renames them to their visible names and records them in the
 * {@link CommitManifest}. At startup, {@link #recover} publishes what the newest checkpoint staged
 * (it may have died before committing) and deletes every other pending part of this writer: rows
 * written after that checkpoint, which the query writes again when it replays its input.
 *
 * <p>The writer id is the query's stable sink writer id, so a restarted query finds its own files,
 * and writers of other queries in the same directory never touch them.
 */
final class CheckpointedParts implements PartFiles {
    private static final Logger LOG = LoggerFactory.getLogger(CheckpointedParts.class);

    private final Path directory;
    private final PartFileNames names;
    private final CommitManifest manifest;
    private final String describedObject;
    /** Visible names of the parts completed since the last prepare. */
    private final List<String> completed = new ArrayList<>();
    /** Per prepared checkpoint not committed yet, the visible names of its parts. */
    private final NavigableMap<Long, List<String>> prepared = new TreeMap<>();
    /** The sequence number of the next part; -1 until the directory was scanned. */
    private long nextSequence = -1;

    CheckpointedParts(Path directory, String writerId, String extension, String describedObject) {
        this.directory = requireNonNull(directory, "directory is null");
        this.names = new PartFileNames(PartFileNames.fileSafe(writerId), extension);
        this.manifest = new CommitManifest(directory, names.writerId());
        this.describedObject = requireNonNull(describedObject, "describedObject is null");
    }

    @Override
    public DeliveryGuarantee guarantee() {
        return DeliveryGuarantee.EXACTLY_ONCE;
    }

    @Override
    public Path nextPart() throws IOException {
        Files.createDirectories(directory);
        if (nextSequence < 0) {
            nextSequence = highestSequence().orElse(-1) + 1;
        }
        return directory.resolve(PartFileNames.pending(names.visible(nextSequence++)));
    }

    @Override
    public void opened(Path part, FileChannel channel) {
    }

    @Override
    public void completed(Path part) {
        completed.add(PartFileNames.visibleOfPending(part.getFileName().toString()).orElseThrow());
    }

    @Override
    public void released(Path part) {
    }

    /**
     * Stages the completed parts for {@code checkpointId}. The stored state names every part not yet
     * committed, also those of an earlier checkpoint whose commit did not happen, so that recovery from
     * this checkpoint (whose source positions are past all their rows) publishes them all.
     */
    @Override
    public byte[] prepare(long checkpointId) throws IOException {
        if (!prepared.isEmpty() && prepared.lastKey() >= checkpointId) {
            throw new IllegalStateException("checkpoint " + checkpointId + " prepared after checkpoint " + prepared.lastKey());
        }
        if (!completed.isEmpty()) {
            SinkDirectory.sync(directory, describedObject); // the pending files' names must survive a crash, as the checkpoint will
        }
        prepared.put(checkpointId, List.copyOf(completed));
        completed.clear();
        List<String> uncommitted = new ArrayList<>();
        prepared.values().forEach(uncommitted::addAll);
        return new PreparedParts(uncommitted, Math.max(nextSequence, 0)).toBytes();
    }

    @Override
    public void commit(long checkpointId) throws IOException {
        NavigableMap<Long, List<String>> due = prepared.headMap(checkpointId, true);
        List<String> files = new ArrayList<>();
        due.values().forEach(files::addAll);
        publish(files, checkpointId);
        due.clear();
    }

    private void publish(List<String> files, long checkpointId) throws IOException {
        if (files.isEmpty()) {
            return;
        }
        for (String file : files) {
            Path pending = directory.resolve(PartFileNames.pending(file));
            try {
                Files.move(pending, directory.resolve(file), StandardCopyOption.ATOMIC_MOVE);
            } catch (NoSuchFileException e) {
                if (!Files.exists(directory.resolve(file))) {
                    LOG.error("{}: part file {} of checkpoint {} is gone (deleted by someone else?); its rows are lost",
                            describedObject, pending, checkpointId);
                }
                // else: published before, by a commit or recovery that did not get to record it
            }
        }
        SinkDirectory.sync(directory, describedObject);
        manifest.record(checkpointId, files);
        LOG.debug("{}: checkpoint {} published {}", describedObject, checkpointId, files);
    }

    @Override
    public boolean recover(Optional<PreparedCommit> newest) throws IOException {
        completed.clear();
        prepared.clear();
        Optional<PreparedParts> parts = newest.map(commit -> PreparedParts.fromBytes(commit.state(), describedObject));
        if (parts.isPresent()) {
            publish(parts.get().files(), newest.get().checkpointId());
        }
        int discarded = discardPending();
        if (discarded > 0) {
            LOG.info("{}: discarded {} part file(s) written after the last checkpoint{}; the query writes their rows again",
                    describedObject, discarded, newest.map(c -> " (" + c.checkpointId() + ")").orElse(""));
        }
        long fromDirectory = highestSequence().orElse(-1) + 1;
        nextSequence = Math.max(fromDirectory, parts.map(PreparedParts::nextSequence).orElse(0L));
        return true;
    }

    /** Deletes this writer's pending parts (never committed); returns how many. */
    private int discardPending() throws IOException {
        if (!Files.isDirectory(directory)) {
            return 0;
        }
        int discarded = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, "." + "part-*" + PartFileNames.PENDING_SUFFIX)) {
            for (Path entry : entries) {
                if (names.sequenceOf(entry).isPresent()) {
                    Files.deleteIfExists(entry);
                    discarded++;
                }
            }
        }
        if (discarded > 0) {
            SinkDirectory.sync(directory, describedObject);
        }
        return discarded;
    }

    /** The highest sequence number of this writer's part files in the directory, in any state. */
    private OptionalLong highestSequence() throws IOException {
        if (!Files.isDirectory(directory)) {
            return OptionalLong.empty();
        }
        long highest = -1;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            for (Path entry : entries) {
                OptionalLong sequence = names.sequenceOf(entry);
                if (sequence.isPresent()) {
                    highest = Math.max(highest, sequence.getAsLong());
                }
            }
        }
        return highest < 0 ? OptionalLong.empty() : OptionalLong.of(highest);
    }
}
