package sqlline;

import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;

/**
 * sqlline's table format, except that a row cut at the output width (sqlline cuts silently) ends in
 * {@value #MARK}, and a note after the result says how to see whole rows.
 */
final class MarkedTableOutputFormat extends TableOutputFormat {
    static final String MARK = "…";

    private final SqlLine sqlLine;
    /** The width rows of the current result were cut at, or 0 while none was. */
    private int cutAt;

    MarkedTableOutputFormat(SqlLine sqlLine) {
        super(sqlLine);
        this.sqlLine = sqlLine;
    }

    @Override
    public int print(Rows rows) {
        cutAt = 0;
        int count = super.print(rows);
        if (cutAt > 0) {
            sqlLine.info("Rows wider than " + cutAt + " characters were cut (they end in " + MARK + "). To see them whole:"
                    + " !set maxWidth " + Math.max(2 * cutAt, 400) + " (or start with --maxWidth=N),"
                    + " or !outputformat vertical");
        }
        return count;
    }

    @Override
    public AttributedString getOutputString(Rows rows, Rows.Row row, TableOutputFormatStyle style, boolean header) {
        AttributedString line = super.getOutputString(rows, row, style, header);
        int width = width();
        if (width < 2 || line.length() <= width) {
            return line;
        }
        cutAt = width;
        return new AttributedStringBuilder().append(line.subSequence(0, width - 1)).append(MARK).toAttributedString();
    }

    /** The width {@link TableOutputFormat#print} cuts rows at (computed there the same way). */
    private int width() {
        int maxWidth = sqlLine.getOpts().getMaxWidth();
        int width = (maxWidth == 0 && sqlLine.getLineReader() != null
                ? sqlLine.getLineReader().getTerminal().getWidth() : maxWidth) - 4;
        return Math.max(width, 0);
    }
}
