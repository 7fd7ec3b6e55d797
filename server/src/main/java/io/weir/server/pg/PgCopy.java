package io.weir.server.pg;

import io.weir.sql.statement.ResultColumn;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** Rows as COPY TO STDOUT writes them: PostgreSQL's text format (tab-separated, \N for NULL) or CSV. */
final class PgCopy {
    private PgCopy() {
    }

    static byte[] line(List<ResultColumn> columns, Object[] row, boolean csv) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < columns.size(); i++) {
            if (i > 0) {
                line.append(csv ? ',' : '\t');
            }
            String text = PgTypes.textString(columns.get(i).type(), i < row.length ? row[i] : null);
            if (csv) {
                if (text != null) {
                    boolean quote = text.isEmpty() || text.chars().anyMatch(c -> c == ',' || c == '"' || c == '\n' || c == '\r');
                    line.append(quote ? '"' + text.replace("\"", "\"\"") + '"' : text);
                }
            } else if (text == null) {
                line.append("\\N");
            } else {
                for (int k = 0; k < text.length(); k++) {
                    char c = text.charAt(k);
                    switch (c) {
                        case '\\' -> line.append("\\\\");
                        case '\t' -> line.append("\\t");
                        case '\n' -> line.append("\\n");
                        case '\r' -> line.append("\\r");
                        default -> line.append(c);
                    }
                }
            }
        }
        return line.append('\n').toString().getBytes(StandardCharsets.UTF_8);
    }
}
