package io.weir.connector.file;

import java.io.Closeable;
import java.io.IOException;

/**
 * The lines of one file (any of \n, \r\n, \r ends one, as {@link java.io.BufferedReader#readLine()}),
 * with the position after the last line returned: a byte position ({@link ByteLineInput}) or a line
 * count ({@link CountedLineInput}), depending on the charset.
 */
interface LineInput extends Closeable {
    /** The next line without its terminator, or null at the end of the file. */
    String readLine() throws IOException;

    /** The position after the last line returned (its terminator included): where reading would resume. */
    long position();
}
