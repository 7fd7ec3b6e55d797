package io.weir.engine.late;

import io.weir.spi.batch.Batch;
import io.weir.spi.connector.PreparedCommit;
import io.weir.spi.connector.SinkWriter;
import io.weir.spi.type.DataType;
import io.weir.spi.type.TypeKind;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A late-row sink's rows (its columns by name, in its order), when they are written and committed, and
 * the writer that commits a query's sink and its late rows together.
 */
class LateRowSinkTest {
    /** A writer that records what it is asked to do. */
    private static final class RecordingWriter implements SinkWriter {
        final String name;
        final List<String> calls = new ArrayList<>();
        final List<Object[]> rows = new ArrayList<>();
        boolean visible = true;
        Optional<byte[]> recovered;

        RecordingWriter(String name) {
            this.name = name;
        }

        @Override
        public void write(Batch batch) {
            calls.add("write " + batch.rowCount());
            rows.addAll(batch.rows());
        }

        @Override
        public void flush() {
            calls.add("flush");
        }

        @Override
        public byte[] prepareCommit(long checkpointId) {
            calls.add("prepare " + checkpointId);
            return (name + checkpointId).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }

        @Override
        public void commit(long checkpointId) {
            calls.add("commit " + checkpointId);
        }

        @Override
        public boolean recover(Optional<PreparedCommit> newest) {
            recovered = newest.map(PreparedCommit::state);
            return visible;
        }

        @Override
        public void close() {
            calls.add("close");
        }
    }

    private static final List<DataType.Field> COLUMNS = List.of(
            new DataType.Field("event_time", DataType.of(TypeKind.BIGINT)),
            new DataType.Field("ROW_JSON", DataType.varchar()),
            new DataType.Field("watermark", DataType.timestamp(3)));

    private static LateRow row(long eventTime) {
        return new LateRow("q1", "clicks", "{\"k\": 1}", eventTime, 900, 5_000);
    }

    @Test
    void rowsAreWrittenByColumnNameAtTheEndOfTheBatch() {
        RecordingWriter writer = new RecordingWriter("late");
        LateRowSink sink = new LateRowSink("late_out", writer, COLUMNS);
        sink.add(row(100));
        sink.add(row(200));
        assertThat(writer.calls).isEmpty();
        sink.endBatch(true);
        assertThat(writer.calls).containsExactly("write 2", "flush"); // committed by the query's checkpoints
        assertThat(writer.rows.stream().map(Arrays::toString))
                .containsExactly("[100, {\"k\": 1}, 900]", "[200, {\"k\": 1}, 900]");
        assertThat(sink.rowsWritten()).isEqualTo(2);
    }

    @Test
    void withoutCheckpointsABatchWithLateRowsIsCommittedAtItsEnd() {
        RecordingWriter writer = new RecordingWriter("late");
        LateRowSink sink = new LateRowSink("late_out", writer, COLUMNS);
        sink.endBatch(false);
        assertThat(writer.calls).containsExactly("flush");
        sink.add(row(100));
        sink.endBatch(false);
        assertThat(writer.calls).containsExactly("flush", "write 1", "flush", "prepare 1", "commit 1");
        sink.close();
        sink.close();
        assertThat(writer.calls).endsWith("commit 1", "close").filteredOn("close"::equals).hasSize(1);
    }

    @Test
    void columnsThatAreNoFieldOfALateRowAreRefused() {
        assertThatThrownBy(() -> new LateRowSink("x", new RecordingWriter("x"),
                List.of(new DataType.Field("note", DataType.varchar()))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("note");
        assertThatThrownBy(() -> new LateRowSink("x", new RecordingWriter("x"),
                List.of(new DataType.Field("event_time", DataType.varchar()))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("event_time");
    }

    @Test
    void theQuerySinkAndTheLateRowsAreCommittedAndRecoveredTogether() {
        RecordingWriter main = new RecordingWriter("main");
        RecordingWriter late = new RecordingWriter("late");
        SinkWriter combined = new LateRowSink("late_out", late, COLUMNS).withQuerySink(Optional.of(main));
        byte[] prepared = combined.prepareCommit(7, List.of());
        combined.commit(7);
        assertThat(main.calls).containsExactly("prepare 7", "commit 7");
        assertThat(late.calls).containsExactly("prepare 7", "commit 7");

        // each writer gets its own part back
        assertThat(combined.recover(Optional.of(new PreparedCommit(7, prepared)))).isTrue();
        assertThat(new String(main.recovered.orElseThrow())).isEqualTo("main7");
        assertThat(new String(late.recovered.orElseThrow())).isEqualTo("late7");
        // visible only when both parts are
        late.visible = false;
        assertThat(combined.recover(Optional.of(new PreparedCommit(7, prepared)))).isFalse();
        late.visible = true;
        // a checkpoint from before the late rows had a sink is the query sink's alone
        assertThat(combined.recover(Optional.of(new PreparedCommit(3, "old".getBytes())))).isTrue();
        assertThat(new String(main.recovered.orElseThrow())).isEqualTo("old");
        assertThat(late.recovered).isEmpty();
        assertThat(combined.recover(Optional.empty())).isTrue();

        // without a query sink, the late rows' writer is the query's
        assertThat(new LateRowSink("late_out", late, COLUMNS).withQuerySink(Optional.empty())).isSameAs(late);
    }
}
