package io.weir.spi.error;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.connector.ManualClock;
import io.weir.spi.connector.ObjectKind;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RecordErrorHandlerTest {
    private final SourceCounters counters = new SourceCounters();
    private final InMemoryDeadLetterSink sink = new InMemoryDeadLetterSink();
    private final ManualClock clock = ManualClock.at("2024-01-15T10:00:00Z");

    private RecordErrorHandler handler(ErrorPolicy policy, ObjectKind kind) {
        return new RecordErrorHandler("clicks", kind, policy, sink, counters, clock);
    }

    @Test
    void failThrowsNamingStreamRecordAndRemedy() {
        assertThatThrownBy(() -> handler(ErrorPolicy.FAIL, ObjectKind.STREAM)
                .handle("file /x/a.json line 17", "{bad", "field 'ts': cannot parse 'abc' as TIMESTAMP"))
                .isInstanceOfSatisfying(WeirException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.RECORD_DECODE_ERROR))
                .hasMessage("Stream 'clicks': cannot decode record at file /x/a.json line 17: field 'ts': cannot parse 'abc' "
                        + "as TIMESTAMP. Set 'on-error' = 'skip' or 'dead-letter' to keep the stream running");
        assertThat(counters.snapshot()).isEqualTo(new SourceCounters.Snapshot(0, 0, 0, 0));
    }

    @Test
    void failForTableSaysTable() {
        assertThatThrownBy(() -> handler(ErrorPolicy.FAIL, ObjectKind.TABLE).handle("file u.csv line 2", "x", "bad"))
                .hasMessageStartingWith("Table 'clicks': cannot decode record at file u.csv line 2: bad.");
    }

    @Test
    void skipCounts() {
        RecordErrorHandler handler = handler(ErrorPolicy.SKIP, ObjectKind.STREAM);
        handler.handle("line 1", "x", "bad");
        handler.handle("line 2", new byte[] {1}, "bad");
        assertThat(counters.skipped()).isEqualTo(2);
        assertThat(sink.letters()).isEmpty();
    }

    @Test
    void bytesOfTheRecordsDecodedOrPassedCountAtTheEndOfEachPoll() {
        RecordErrorHandler handler = handler(ErrorPolicy.SKIP, ObjectKind.STREAM);
        handler.bytesRead(100); // a reader decoding itself
        io.weir.spi.format.RecordDecoder blankLines = new io.weir.spi.format.RecordDecoder() {
            @Override
            public boolean decode(String record, io.weir.spi.batch.RowWriter out) {
                return false; // a record without a row: its bytes were read all the same
            }
        };
        handler.decodeInto(blankLines, new byte[] {1, 2, 3}, 0, 2, null, 0, () -> "x");
        assertThat(counters.bytes()).isZero(); // counted once per poll
        handler.recordsRead(0);
        assertThat(counters.bytes()).isEqualTo(102);
        handler.recordsRead(0);
        assertThat(counters.bytes()).isEqualTo(102);
    }

    @Test
    void deadLetterCountsAndKeepsTheRecord() {
        RecordErrorHandler handler = handler(ErrorPolicy.DEAD_LETTER, ObjectKind.STREAM);
        handler.recordsRead(5);
        handler.handle("file /x/a.json line 3", "{\"ts\": \"abc\"}", "field 'ts': bad");
        assertThat(counters.snapshot()).isEqualTo(new SourceCounters.Snapshot(5, 0, 1, 0));
        DeadLetter letter = sink.letters().get(0);
        assertThat(letter.objectName()).isEqualTo("clicks");
        assertThat(letter.source()).isEqualTo("file /x/a.json line 3");
        assertThat(letter.rawText()).isEqualTo("{\"ts\": \"abc\"}");
        assertThat(letter.reason()).isEqualTo("field 'ts': bad");
        assertThat(letter.time()).isEqualTo(Instant.parse("2024-01-15T10:00:00Z"));
    }

    @Test
    void deadLetterNeedsASink() {
        assertThatThrownBy(() -> new RecordErrorHandler("s", ObjectKind.STREAM, ErrorPolicy.DEAD_LETTER, null, counters, clock))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void policyFromOptionValue() {
        assertThat(ErrorPolicy.fromOptionValue("Dead-Letter")).isEqualTo(ErrorPolicy.DEAD_LETTER);
        assertThat(ErrorPolicy.optionValues()).containsExactly("fail", "skip", "dead-letter");
        assertThatThrownBy(() -> ErrorPolicy.fromOptionValue("ignore")).isInstanceOf(IllegalArgumentException.class);
    }
}
