package io.weir.spi.format;

/**
 * Groups the lines of a line-oriented input into records. A connector feeds each line (without its
 * line terminator) to {@link #endsRecord(CharSequence)}; while it returns false the connector keeps
 * collecting lines, joined with {@code '\n'}, and hands the whole record to the decoder when it
 * returns true. At the end of the input an unfinished record is handed over as is (the decoder
 * reports it, e.g. as an unterminated quote). Stateful, one per reader; not thread-safe.
 */
public interface LineFramer {
    /** Whether the record is complete after {@code line}. */
    boolean endsRecord(CharSequence line);

    /** Forgets a partly framed record, e.g. when the connector moves to another file. */
    void reset();

    /** One record per line. */
    static LineFramer singleLine() {
        return SingleLine.INSTANCE;
    }

    /** The stateless one-record-per-line framer. */
    final class SingleLine implements LineFramer {
        private static final SingleLine INSTANCE = new SingleLine();

        private SingleLine() {
        }

        @Override
        public boolean endsRecord(CharSequence line) {
            return true;
        }

        @Override
        public void reset() {
        }
    }
}
