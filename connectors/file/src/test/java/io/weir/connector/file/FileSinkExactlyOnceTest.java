package io.weir.connector.file;

import io.weir.spi.batch.Batch;
import io.weir.spi.connector.ConnectorContext;
import io.weir.spi.connector.ConnectorResolver;
import io.weir.spi.connector.DeliveryGuarantee;
import io.weir.spi.connector.ObjectKind;
import io.weir.spi.connector.PreparedCommit;
import io.weir.spi.connector.ResolvedConnector;
import io.weir.spi.connector.Sink;
import io.weir.spi.connector.SinkWriter;
import io.weir.spi.connector.SourceHarness;
import io.weir.spi.error.RecordErrorHandler;
import io.weir.spi.type.DataType;
import io.weir.spi.type.TypeKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The file sink with 'delivery.guarantee' = 'exactly-once' (the default) as a persistent query's sink. */
class FileSinkExactlyOnceTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final List<DataType.Field> CLICKS = List.of(
            new DataType.Field("user_id", DataType.of(TypeKind.BIGINT)),
            new DataType.Field("url", DataType.varchar()));

    @TempDir
    Path tempDir;

    private Path out() {
        return tempDir.resolve("out");
    }

    private Sink sink(String writerId, Object... extraOptions) {
        Map<String, String> options = new HashMap<>(Map.of("connector", "file", "path", out().toString()));
        for (int i = 0; i < extraOptions.length; i += 2) {
            options.put((String) extraOptions[i], String.valueOf(extraOptions[i + 1]));
        }
        ResolvedConnector resolved = ConnectorResolver.resolve(options);
        ConnectorContext context = resolved.context("out", ObjectKind.STREAM, CLICKS,
                RecordErrorHandler.failing("out", ObjectKind.STREAM), tempDir.resolve("state"), InstantSource.system())
                .withReading(List.of(), Optional.ofNullable(writerId));
        resolved.validate(context);
        return resolved.connector().createSink(context);
    }

    /** A writer of the persistent query {@code q1} as the engine starts it: recovered before its first write. */
    private SinkWriter started(Optional<PreparedCommit> newest) {
        SinkWriter writer = sink("q1.out").createWriter();
        assertThat(writer.recover(newest)).isTrue();
        return writer;
    }

    private static Batch rows(int first, int count) {
        List<Object[]> rows = new ArrayList<>();
        for (int i = first; i < first + count; i++) {
            rows.add(new Object[]{(long) i, "/page/" + i});
        }
        return Batch.of(CLICKS, rows);
    }

    private static List<Long> ids(int first, int count) {
        List<Long> ids = new ArrayList<>();
        for (int i = first; i < first + count; i++) {
            ids.add((long) i);
        }
        return ids;
    }

    private List<String> names() throws IOException {
        if (!Files.isDirectory(out())) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(out())) {
            return files.map(file -> file.getFileName().toString()).sorted().toList();
        }
    }

    private List<String> visible() throws IOException {
        return names().stream().filter(name -> !name.startsWith(".") && !name.startsWith("_")).toList();
    }

    private List<String> pending() throws IOException {
        return names().stream().filter(name -> name.endsWith(".pending")).toList();
    }

    /** The ids of the rows a bounded file source reads from the directory, in order. */
    private List<Object> readIds() {
        Path state = tempDir.resolve("read-state");
        return SourceHarness.create("in", CLICKS, Map.of("connector", "file", "path", out().toString()), state)
                .readAll(TIMEOUT).stream().map(row -> row[0]).toList();
    }

    private List<String> manifest(long checkpointId) throws IOException {
        return Files.readAllLines(out().resolve("_weir_manifest/q1.out").resolve(CommitManifest.entryName(checkpointId)));
    }

    @Test
    void partsBecomeVisibleWhenTheirCheckpointCommits() throws IOException {
        try (SinkWriter writer = started(Optional.empty())) {
            assertThat(writer.guarantee()).isEqualTo(DeliveryGuarantee.EXACTLY_ONCE);
            writer.write(rows(0, 3));
            writer.flush();
            assertThat(pending()).singleElement().isEqualTo(".part-q1.out-000000.jsonl.pending");
            assertThat(readIds()).as("flushed, not committed").isEmpty();

            writer.prepareCommit(1);
            assertThat(readIds()).as("prepared, not committed").isEmpty();
            writer.commit(1);
            assertThat(visible()).containsExactly("part-q1.out-000000.jsonl");
            assertThat(pending()).isEmpty();
            assertThat(readIds()).containsExactlyElementsOf(ids(0, 3));
            assertThat(manifest(1)).containsExactly("part-q1.out-000000.jsonl");

            writer.write(rows(3, 2));
            writer.flush();
            writer.prepareCommit(2);
            assertThat(readIds()).containsExactlyElementsOf(ids(0, 3));
            writer.commit(2);
            assertThat(readIds()).containsExactlyElementsOf(ids(0, 5));

            writer.prepareCommit(3); // nothing written: no file, no manifest entry
            writer.commit(3);
            assertThat(visible()).hasSize(2);
            assertThat(Files.exists(out().resolve("_weir_manifest/q1.out").resolve(CommitManifest.entryName(3)))).isFalse();

            writer.write(rows(5, 1));
            writer.flush();
        }
        assertThat(readIds()).as("closing publishes nothing: uncommitted rows are replayed after a restart")
                .containsExactlyElementsOf(ids(0, 5));
        assertThat(pending()).hasSize(1);
    }

    @Test
    void rollingWithinACheckpointStagesSeveralParts() throws IOException {
        try (SinkWriter writer = sink("q1.out", "sink.rolling-policy.file-size", "200").createWriter()) {
            writer.recover(Optional.empty());
            for (int i = 0; i < 10; i++) {
                writer.write(rows(i * 5, 5));
                writer.flush();
            }
            assertThat(visible()).isEmpty();
            assertThat(pending()).hasSizeGreaterThan(3);
            writer.prepareCommit(1);
            writer.commit(1);
        }
        assertThat(pending()).isEmpty();
        assertThat(visible()).hasSizeGreaterThan(3);
        assertThat(manifest(1)).containsExactlyElementsOf(visible());
        assertThat(readIds()).as("name order is write order").containsExactlyElementsOf(ids(0, 50));
    }

    @Test
    void crashAfterPrepareRecoversThatCheckpointExactlyOnce() throws IOException {
        SinkWriter crashed = started(Optional.empty());
        crashed.write(rows(0, 4));
        crashed.prepareCommit(1);
        crashed.commit(1);
        crashed.write(rows(4, 3));
        PreparedCommit second = new PreparedCommit(2, crashed.prepareCommit(2));
        // the checkpoint is written, then the process dies before commit(2), after more writes
        crashed.write(rows(7, 5));
        crashed.flush();
        assertThat(readIds()).containsExactlyElementsOf(ids(0, 4));

        try (SinkWriter restarted = started(Optional.of(second))) {
            assertThat(readIds()).as("checkpoint 2 published, later rows gone").containsExactlyElementsOf(ids(0, 7));
            assertThat(pending()).isEmpty();
            assertThat(manifest(2)).hasSize(1);
            // the query replays from checkpoint 2's positions
            restarted.write(rows(7, 5));
            restarted.prepareCommit(3);
            restarted.commit(3);
        } finally {
            crashed.close();
        }
        assertThat(readIds()).containsExactlyElementsOf(ids(0, 12));
        assertThat(visible()).as("no name is used twice").doesNotHaveDuplicates().hasSize(3);
    }

    @Test
    void crashBeforeTheNextPrepareRecoversTheCheckpointBefore() throws IOException {
        SinkWriter crashed = started(Optional.empty());
        crashed.write(rows(0, 2));
        PreparedCommit first = new PreparedCommit(1, crashed.prepareCommit(1));
        // dies before commit(1); checkpoint 2 was never prepared
        crashed.write(rows(2, 2));
        crashed.flush();
        assertThat(readIds()).isEmpty();

        try (SinkWriter restarted = started(Optional.of(first))) {
            assertThat(readIds()).containsExactlyElementsOf(ids(0, 2));
            assertThat(pending()).isEmpty();
            // a second crash right after recovery: recovering the same checkpoint again changes nothing
            try (SinkWriter again = started(Optional.of(first))) {
                assertThat(readIds()).containsExactlyElementsOf(ids(0, 2));
                again.write(rows(2, 2));
                again.prepareCommit(2);
                again.commit(2);
            }
            assertThat(restarted.guarantee()).isEqualTo(DeliveryGuarantee.EXACTLY_ONCE);
        } finally {
            crashed.close();
        }
        assertThat(readIds()).containsExactlyElementsOf(ids(0, 4));
    }

    @Test
    void crashWithoutAnyCheckpointDiscardsEverything() throws IOException {
        try (SinkWriter crashed = started(Optional.empty())) {
            crashed.write(rows(0, 2));
            crashed.prepareCommit(1); // the checkpoint was never written
        }
        try (SinkWriter restarted = started(Optional.empty())) {
            assertThat(names()).isEmpty();
            restarted.write(rows(0, 2));
            restarted.prepareCommit(1);
            restarted.commit(1);
        }
        assertThat(readIds()).containsExactlyElementsOf(ids(0, 2));
        assertThat(visible()).containsExactly("part-q1.out-000000.jsonl");
    }

    @Test
    void commitPublishesEarlierCheckpointsThatWereNotCommitted() throws IOException {
        PreparedCommit second;
        try (SinkWriter writer = started(Optional.empty())) {
            writer.write(rows(0, 2));
            writer.prepareCommit(1);
            writer.write(rows(2, 2));
            second = new PreparedCommit(2, writer.prepareCommit(2));
            writer.commit(2);
            assertThat(readIds()).containsExactlyElementsOf(ids(0, 4));
            assertThat(manifest(2)).hasSize(2);
        }
        assertThat(PreparedParts.fromBytes(second.state(), "test").files()).as("the state names every uncommitted part")
                .hasSize(2);
    }

    @Test
    void writersOfOtherQueriesInTheDirectoryAreLeftAlone() throws IOException {
        try (SinkWriter other = sink("q2.out").createWriter()) {
            other.recover(Optional.empty());
            other.write(rows(100, 2));
            other.flush();
            PreparedCommit otherFirst = new PreparedCommit(1, other.prepareCommit(1));
            // at-least-once writers recover in-progress orphans, but never touch pending parts
            try (SinkWriter atLeastOnce = sink("q3.out", "delivery.guarantee", "at-least-once").createWriter()) {
                atLeastOnce.write(rows(200, 1));
                atLeastOnce.flush();
            }
            try (SinkWriter writer = started(Optional.empty())) {
                writer.write(rows(0, 2));
                writer.prepareCommit(1);
                writer.commit(1);
            }
            assertThat(pending()).containsExactly(".part-q2.out-000000.jsonl.pending");
            other.commit(otherFirst.checkpointId());
        }
        assertThat(readIds()).containsExactlyInAnyOrder(0L, 1L, 100L, 101L, 200L);
    }

    @Test
    void atLeastOnceMakesFilesVisibleWhenComplete() throws IOException {
        try (SinkWriter writer = sink("q1.out", "delivery.guarantee", "at-least-once").createWriter()) {
            assertThat(writer.guarantee()).isEqualTo(DeliveryGuarantee.AT_LEAST_ONCE);
            assertThat(writer.recover(Optional.empty())).isTrue();
            writer.write(rows(0, 2));
            assertThat(writer.prepareCommit(1)).isEmpty();
            writer.commit(1);
            assertThat(names()).singleElement().satisfies(name -> assertThat(name).endsWith(".jsonl.inprogress"));
            assertThat(readIds()).isEmpty();
        }
        assertThat(readIds()).containsExactlyElementsOf(ids(0, 2));
    }

    @Test
    void withoutAWriterIdFilesBecomeVisibleWhenComplete() throws IOException {
        // no persistent query, so no checkpoints would ever commit the files
        try (SinkWriter writer = sink(null).createWriter()) {
            assertThat(writer.guarantee()).isEqualTo(DeliveryGuarantee.AT_LEAST_ONCE);
            writer.write(rows(0, 2));
        }
        assertThat(readIds()).containsExactlyElementsOf(ids(0, 2));
    }

    @Test
    void writerIdsBecomeDistinctFileNameSafeNames() {
        assertThat(PartFileNames.fileSafe("q1.out")).isEqualTo("q1.out");
        assertThat(PartFileNames.fileSafe("my-query.out")).isEqualTo("my%2Dquery.out");
        assertThat(PartFileNames.fileSafe("a/b")).isEqualTo("a%2Fb");
        assertThat(PartFileNames.fileSafe("..")).isEqualTo("%2E.");
        assertThat(PartFileNames.fileSafe("%2D")).isNotEqualTo(PartFileNames.fileSafe("-"));
        PartFileNames names = new PartFileNames("q1.out", "jsonl");
        assertThat(names.sequenceOf(Path.of("part-q1.out-000012.jsonl"))).hasValue(12);
        assertThat(names.sequenceOf(Path.of(".part-q1.out-000013.jsonl.pending"))).hasValue(13);
        assertThat(names.sequenceOf(Path.of("part-q1.out2-000012.jsonl"))).isEmpty();
        assertThat(names.sequenceOf(Path.of("part-q1.out%2Dx-000012.jsonl"))).isEmpty();
        assertThat(names.sequenceOf(Path.of("part-q1.out-abc.jsonl"))).isEmpty();
        // a view's query id has a ':': its encoded id is a writer id as any other
        PartFileNames view = new PartFileNames(PartFileNames.fileSafe("view:counts.late_rows.out"), "jsonl");
        assertThat(view.visible(1)).isEqualTo("part-view%3Acounts.late_rows.out-000001.jsonl");
    }
}
