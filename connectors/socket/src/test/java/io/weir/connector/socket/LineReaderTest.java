package io.weir.connector.socket;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LineReaderTest {
    private static List<String> lines(Reader in, int maxLength) throws IOException {
        LineReader reader = new LineReader(in, maxLength);
        List<String> lines = new ArrayList<>();
        String line;
        while ((line = reader.readLine()) != null) {
            lines.add(line);
        }
        assertThat(reader.readLine()).as("end of stream stays").isNull();
        return lines;
    }

    @Test
    void splitsOnEveryLineTerminator() throws IOException {
        assertThat(lines(new StringReader("a\nb\r\nc\rd\n\ne"), 100)).containsExactly("a", "b", "c", "d", "", "e");
        assertThat(lines(new StringReader("a\n"), 100)).containsExactly("a");
        assertThat(lines(new StringReader(""), 100)).isEmpty();
    }

    @Test
    void carriageReturnAndLineFeedSplitAcrossReadsAreOneTerminator() throws IOException {
        // A reader that hands out one character per read, as a slow socket might.
        Reader trickle = new Reader() {
            private final String text = "ab\r\ncd\r\n";
            private int position;

            @Override
            public int read(char[] buffer, int offset, int length) {
                if (position == text.length()) {
                    return -1;
                }
                buffer[offset] = text.charAt(position++);
                return 1;
            }

            @Override
            public void close() {
            }
        };
        assertThat(lines(trickle, 100)).containsExactly("ab", "cd");
    }

    @Test
    void cutsLongLinesAndReportsTheirLength() throws IOException {
        String longLine = "x".repeat(20_000);
        LineReader reader = new LineReader(new StringReader("short\n" + longLine + "\nafter"), 10);
        assertThat(reader.readLine()).isEqualTo("short");
        assertThat(reader.lastLineCut()).isFalse();
        assertThat(reader.readLine()).isEqualTo("x".repeat(10));
        assertThat(reader.lastLineCut()).isTrue();
        assertThat(reader.lastLength()).isEqualTo(20_000);
        assertThat(reader.readLine()).isEqualTo("after");
        assertThat(reader.lastLineCut()).isFalse();
        assertThat(reader.readLine()).isNull();
    }
}
