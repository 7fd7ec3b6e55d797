package io.weir.engine.deadletter;

import io.weir.spi.error.DeadLetter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

class DeadLetterStoreTest {
    @TempDir
    Path dir;

    @Test
    void keepsTextAndBinaryRecordsAcrossInstances() {
        DeadLetterStore store = new DeadLetterStore(dir);
        store.accept(new DeadLetter("Clicks", "file a.json line 2", "not json\n\"quoted\"".getBytes(StandardCharsets.UTF_8),
                "malformed JSON", Instant.parse("2024-01-01T00:00:00Z")));
        byte[] binary = {(byte) 0xff, 0x00, (byte) 0xfe};
        store.accept(new DeadLetter("clicks", "file a.json line 3", binary, "bad bytes", Instant.parse("2024-01-01T00:00:01Z")));

        var letters = new DeadLetterStore(dir).readAll();
        assertThat(letters).hasSize(2);
        assertThat(letters.get(0).raw()).isEqualTo("not json\n\"quoted\"");
        assertThat(letters.get(0).rawIsBase64()).isFalse();
        assertThat(letters.get(0).source()).isEqualTo("file a.json line 2");
        assertThat(letters.get(1).rawIsBase64()).isTrue();
        assertThat(Base64.getDecoder().decode(letters.get(1).raw())).isEqualTo(binary);
        assertThat(letters.get(1).rawLength()).isEqualTo(3);
    }

    @Test
    void hugeRecordsAreTruncatedButTheirLengthIsKept() {
        DeadLetterStore store = new DeadLetterStore(dir);
        byte[] huge = "x".repeat(DeadLetterStore.MAX_RAW_BYTES + 10).getBytes(StandardCharsets.UTF_8);
        store.accept(new DeadLetter("s", "src", huge, "too big", Instant.now()));
        var letter = store.readAll().get(0);
        assertThat(letter.raw()).hasSize(DeadLetterStore.MAX_RAW_BYTES);
        assertThat(letter.rawLength()).isEqualTo(huge.length);
    }

    @Test
    void aTornLastLineIsSkippedAndDeleteRemovesAStreamsLetters() throws Exception {
        DeadLetterStore store = new DeadLetterStore(dir);
        store.accept(new DeadLetter("s", "src", "r".getBytes(StandardCharsets.UTF_8), "why", Instant.now()));
        Files.writeString(dir.resolve("s.jsonl"), "{\"object\": \"s\", \"sou", StandardOpenOption.APPEND);
        assertThat(store.readAll()).hasSize(1);
        store.delete("S");
        assertThat(store.readAll()).isEmpty();
    }
}
