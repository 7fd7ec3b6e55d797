package io.weir.connector.file;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Lines and byte positions, with lines in the read buffer handed out in place and lines across reads copied. */
class ByteLineInputTest {
    /** Returns at most {@code chunk} bytes per read, so that lines cross the buffer's refills everywhere. */
    private static InputStream chunked(byte[] bytes, int chunk) {
        return new ByteArrayInputStream(bytes) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, chunk));
            }
        };
    }

    @Test
    void linesAndPositionsMatchWhereverReadsEnd() throws IOException {
        Random random = new Random(7);
        String[] terminators = {"\n", "\r\n", "\r"};
        StringBuilder text = new StringBuilder();
        List<String> expected = new ArrayList<>();
        List<Long> positions = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            String line = "{\"n\":\t" + i + ", \"s\": \"" + "x".repeat(random.nextInt(40)) + "\u00e9\"}";
            expected.add(line);
            text.append(line).append(terminators[random.nextInt(terminators.length)]);
            positions.add((long) text.toString().getBytes(StandardCharsets.UTF_8).length);
        }
        text.append("last without terminator");
        expected.add("last without terminator");
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        positions.add((long) bytes.length);
        for (int chunk : new int[] {1, 3, 8, 13, 100, 1 << 20}) {
            try (ByteLineInput input = new ByteLineInput(chunked(bytes, chunk), StandardCharsets.UTF_8, 0)) {
                for (int i = 0; i < expected.size(); i++) {
                    if (i % 2 == 0) {
                        assertThat(input.readLine()).as("line %d, reads of %d bytes", i, chunk).isEqualTo(expected.get(i));
                    } else {
                        assertThat(input.nextLine()).isTrue();
                        String line = new String(input.lineBytes(), input.lineStart(), input.lineLength(), StandardCharsets.UTF_8);
                        assertThat(line).as("line %d as bytes, reads of %d bytes", i, chunk).isEqualTo(expected.get(i));
                    }
                    assertThat(input.position()).as("position after line %d, reads of %d bytes", i, chunk).isEqualTo(positions.get(i));
                }
                assertThat(input.readLine()).isNull();
                assertThat(input.nextLine()).isFalse();
            }
        }
    }
}
