package io.weir.spi.wal;

import io.weir.spi.connector.ManualClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The write-ahead log on real files. */
@Timeout(60)
class WriteAheadLogTest {
    private static final long SEGMENT_BYTES = 4096;

    @TempDir
    Path dir;
    private final ManualClock clock = ManualClock.at("2024-05-01T10:00:00Z");
    private final List<WriteAheadLog> opened = new ArrayList<>();

    @AfterEach
    void closeLogs() {
        opened.forEach(WriteAheadLog::close);
    }

    @Test
    void appendsAreReadFromAnyOffset() throws IOException {
        WriteAheadLog log = open(WalSync.ALWAYS, 1 << 20);

        assertThat(log.append(records("a", "b", "c"))).isZero();
        assertThat(log.append(records("d"))).isEqualTo(3);

        assertThat(log.endOffset()).isEqualTo(4);
        assertThat(readAll(log, 0)).containsExactly("0:a", "1:b", "2:c", "3:d");
        assertThat(readAll(log, 2)).containsExactly("2:c", "3:d");
        assertThat(readAll(log, 4)).isEmpty();
    }

    @Test
    void aReaderSeesRecordsAppendedAfterItReachedTheEnd() throws IOException {
        WriteAheadLog log = open(WalSync.INTERVAL, 1 << 20);
        log.append(records("a"));
        try (WalReader reader = log.reader(0)) {
            List<String> read = new ArrayList<>();
            reader.read(10, (offset, payload) -> read.add(text(payload)));
            assertThat(reader.read(10, (offset, payload) -> read.add(text(payload)))).isZero();

            log.append(records("b", "c"));

            assertThat(reader.read(10, (offset, payload) -> read.add(text(payload)))).isEqualTo(2);
            assertThat(read).containsExactly("a", "b", "c");
            assertThat(reader.position()).isEqualTo(3);
        }
    }

    @Test
    void segmentsRollAtTheirSizeAndAreReadAcross() throws IOException {
        WriteAheadLog log = open(WalSync.ALWAYS, 1 << 20);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            String record = "record-" + i + "-" + "x".repeat(50);
            log.append(records(record));
            expected.add(i + ":" + record);
        }

        assertThat(segmentFiles()).hasSizeGreaterThan(3);
        assertThat(readAll(log, 0)).containsExactlyElementsOf(expected);
        assertThat(readAll(log, 123)).containsExactlyElementsOf(expected.subList(123, 300));
    }

    @Test
    void eachAppendKnowsWhenItArrivedUntilTheServerRestarts() throws IOException {
        WriteAheadLog log = open(WalSync.ALWAYS, 1 << 20);
        long before = System.nanoTime();
        log.append(records("a", "b"));
        long between = System.nanoTime();
        log.append(records("c"));
        long after = System.nanoTime();
        AppendTimes.Append first = log.appendOf(1);
        assertThat(first.start()).isZero();
        assertThat(first.end()).isEqualTo(2);
        assertThat(first.nanos()).isBetween(before, between);
        assertThat(log.appendOf(2).nanos()).isBetween(between, after);
        log.close();

        WriteAheadLog reopened = open(WalSync.ALWAYS, 1 << 20);
        assertThat(reopened.appendOf(2).nanos()).isEqualTo(io.weir.spi.batch.Batch.ARRIVAL_UNKNOWN);
    }

    @Test
    void offsetsContinueAfterReopening() throws IOException {
        WriteAheadLog log = open(WalSync.ALWAYS, 1 << 20);
        log.append(records("a", "b"));
        log.close();

        WriteAheadLog reopened = open(WalSync.ALWAYS, 1 << 20);
        assertThat(reopened.endOffset()).isEqualTo(2);
        assertThat(reopened.append(records("c"))).isEqualTo(2);
        assertThat(readAll(reopened, 0)).containsExactly("0:a", "1:b", "2:c");
    }

    @Test
    void aTailCutByACrashIsTruncatedToTheLastWholeRecord() throws IOException {
        WriteAheadLog log = open(WalSync.ALWAYS, 1 << 20);
        log.append(records("first", "second"));
        log.append(records("third-record"));
        log.close();
        Path segment = segmentFiles().get(0);
        try (RandomAccessFile file = new RandomAccessFile(segment.toFile(), "rw")) {
            file.setLength(file.length() - 3);
        }

        WriteAheadLog reopened = open(WalSync.ALWAYS, 1 << 20);

        assertThat(reopened.endOffset()).isEqualTo(2);
        assertThat(readAll(reopened, 0)).containsExactly("0:first", "1:second");
        assertThat(reopened.append(records("after"))).isEqualTo(2);
        assertThat(readAll(reopened, 0)).containsExactly("0:first", "1:second", "2:after");
    }

    @Test
    void aFlippedBitInTheLastRecordIsTruncatedAway() throws IOException {
        WriteAheadLog log = open(WalSync.ALWAYS, 1 << 20);
        log.append(records("first", "second", "third"));
        log.close();
        Path segment = segmentFiles().get(0);
        try (RandomAccessFile file = new RandomAccessFile(segment.toFile(), "rw")) {
            long last = file.length() - 2; // inside the payload of "third"
            file.seek(last);
            int value = file.read();
            file.seek(last);
            file.write(value ^ 0x10);
        }

        WriteAheadLog reopened = open(WalSync.ALWAYS, 1 << 20);

        assertThat(readAll(reopened, 0)).containsExactly("0:first", "1:second");
        assertThat(Files.size(segment)).isEqualTo(SegmentFormat.HEADER_BYTES + 2L * 8 + "first".length() + "second".length());
    }

    @Test
    void aFlippedBitInALengthIsTruncatedAway() throws IOException {
        WriteAheadLog log = open(WalSync.ALWAYS, 1 << 20);
        log.append(records("first", "second"));
        log.close();
        Path segment = segmentFiles().get(0);
        long secondRecord = SegmentFormat.HEADER_BYTES + 8 + "first".length();
        try (RandomAccessFile file = new RandomAccessFile(segment.toFile(), "rw")) {
            file.seek(secondRecord + 3);
            file.write(6 ^ 0x01); // length 6 becomes 7
        }

        WriteAheadLog reopened = open(WalSync.ALWAYS, 1 << 20);

        assertThat(readAll(reopened, 0)).containsExactly("0:first");
        assertThat(reopened.endOffset()).isEqualTo(1);
    }

    @Test
    void aSegmentWhoseHeaderWasCutIsRemoved() throws IOException {
        WriteAheadLog log = open(WalSync.ALWAYS, 1 << 20);
        log.append(records("a"));
        log.close();
        Files.write(dir.resolve(SegmentFormat.fileName(1)), new byte[] {0x57, 0x57});

        WriteAheadLog reopened = open(WalSync.ALWAYS, 1 << 20);

        assertThat(readAll(reopened, 0)).containsExactly("0:a");
        assertThat(segmentFiles()).hasSize(1);
    }

    @Test
    void consumedSegmentsAreDeletedOnceOlderThanTheRetention() throws IOException {
        WriteAheadLog log = open(WalSync.ALWAYS, 1 << 20);
        fill(log, 200);
        int segments = segmentFiles().size();
        log.commit("q1", 200);
        log.commit("q2", 100);
        assertThat(segmentFiles()).as("younger than the retention").hasSize(segments);

        clock.advance(Duration.ofMinutes(61));
        log.commit("q2", 100);

        assertThat(segmentFiles()).hasSizeBetween(2, segments - 1);
        assertThat(log.firstOffset()).isGreaterThan(0).isLessThanOrEqualTo(100);
        assertThat(readAll(log, 100)).hasSize(100);
        try (WalReader reader = log.reader(0)) {
            reader.read(1, (offset, payload) -> assertThat(offset).isEqualTo(log.firstOffset()));
            assertThat(reader.takeMissed()).isEqualTo(log.firstOffset());
        }
    }

    @Test
    void aConsumerNotSeenWithinTheRetentionNoLongerHoldsSegments() throws IOException {
        WriteAheadLog log = open(WalSync.ALWAYS, 1 << 20);
        log.commit("gone", 0);
        fill(log, 200);
        clock.advance(Duration.ofMinutes(61));

        log.commit("active", 200);

        assertThat(log.committed("gone")).isEmpty();
        assertThat(segmentFiles()).hasSize(1);
        assertThat(log.firstOffset()).isGreaterThan(100);
    }

    @Test
    void consumerPositionsSurviveReopening() throws IOException {
        WriteAheadLog log = open(WalSync.ALWAYS, 1 << 20);
        log.append(records("a", "b"));
        log.commit("query-1", 1);
        log.close();

        assertThat(open(WalSync.ALWAYS, 1 << 20).committed("query-1")).hasValue(1);
    }

    @Test
    void aFullLogRefusesAppendsUntilConsumersCommit() throws IOException {
        WriteAheadLog log = open(WalSync.ALWAYS, 3 * SEGMENT_BYTES);
        log.commit("slow", 0);
        assertThatThrownBy(() -> fill(log, 1000)).isInstanceOf(WalFullException.class).hasMessageContaining("wal.max-bytes");
        assertThat(log.isFull()).isTrue();
        long end = log.endOffset();

        log.commit("slow", end);

        assertThat(log.append(records("more"))).isEqualTo(end);
        assertThat(log.sizeBytes()).isLessThanOrEqualTo(3 * SEGMENT_BYTES);
        assertThat(readAll(log, end)).containsExactly(end + ":more");
    }

    @Test
    void concurrentAppendersShareFsyncsAndLoseNothing() throws Exception {
        WriteAheadLog log = open(WalSync.INTERVAL, 64L << 20);
        int threads = 8;
        int appends = 50;
        CountDownLatch start = new CountDownLatch(1);
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        List<Thread> appenders = IntStream.range(0, threads).mapToObj(t -> new Thread(() -> {
            try {
                start.await();
                for (int i = 0; i < appends; i++) {
                    log.append(records(t + "-" + i + "-a", t + "-" + i + "-b"));
                }
            } catch (Throwable e) {
                failures.add(e);
            }
        })).toList();
        appenders.forEach(Thread::start);
        start.countDown();
        for (Thread appender : appenders) {
            appender.join();
        }

        assertThat(failures).isEmpty();
        assertThat(log.endOffset()).isEqualTo(2L * threads * appends);
        assertThat(log.syncCount()).isLessThan(threads * appends);
        List<String> read = new ArrayList<>();
        try (WalReader reader = log.reader(0)) {
            reader.read(Integer.MAX_VALUE, (offset, payload) -> read.add(text(payload)));
        }
        for (int t = 0; t < threads; t++) {
            String prefix = t + "-";
            List<String> ofThread = read.stream().filter(r -> r.startsWith(prefix)).toList();
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < appends; i++) {
                expected.add(t + "-" + i + "-a");
                expected.add(t + "-" + i + "-b");
            }
            assertThat(ofThread).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void sizesAreParsed() {
        assertThat(WalSettings.parseBytes("1 GiB")).isEqualTo(1L << 30);
        assertThat(WalSettings.parseBytes("64MiB")).isEqualTo(64L << 20);
        assertThat(WalSettings.parseBytes("512 kb")).isEqualTo(512L << 10);
        assertThat(WalSettings.parseBytes("4096")).isEqualTo(4096);
        assertThatThrownBy(() -> WalSettings.parseBytes("lots")).isInstanceOf(IllegalArgumentException.class);
    }

    private WriteAheadLog open(WalSync sync, long maxBytes) throws IOException {
        WriteAheadLog log = WriteAheadLog.open(dir, "Stream 'test'", WalSettings.of(sync, Duration.ofHours(1), maxBytes,
                SEGMENT_BYTES), clock);
        opened.add(log);
        return log;
    }

    private static void fill(WriteAheadLog log, int count) {
        for (int i = 0; i < count; i++) {
            log.append(records("record-" + i + "-" + "x".repeat(50)));
        }
    }

    private List<Path> segmentFiles() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(file -> file.toString().endsWith(".wal")).sorted().toList();
        }
    }

    private static List<String> readAll(WriteAheadLog log, long from) {
        List<String> read = new ArrayList<>();
        try (WalReader reader = log.reader(from)) {
            while (reader.read(7, (offset, payload) -> read.add(offset + ":" + text(payload))) > 0) {
                // until the end
            }
        }
        return read;
    }

    private static List<byte[]> records(String... texts) {
        return Stream.of(texts).map(text -> text.getBytes(StandardCharsets.UTF_8)).toList();
    }

    private static String text(byte[] payload) {
        return new String(payload, StandardCharsets.UTF_8);
    }
}
