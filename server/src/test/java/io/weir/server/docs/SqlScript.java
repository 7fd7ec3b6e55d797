package io.weir.server.docs;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Splits a block of SQL into statements the way sqlline does for a pasted script: at semicolons
 * outside quotes and comments. Comments before a statement are dropped; each statement keeps the
 * line of the block it starts on.
 */
final class SqlScript {
    record Statement(int line, String sql) {
        /** {@code SELECT STREAM ...}: a continuous query, read for a bounded time. */
        boolean continuous() {
            String upper = sql.toUpperCase(Locale.ROOT);
            return upper.matches("(?s)SELECT\\s+STREAM\\b.*");
        }
    }

    private SqlScript() {
    }

    static List<Statement> split(String text) {
        List<Statement> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int line = 1;
        int startLine = -1;
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '-' && i + 1 < text.length() && text.charAt(i + 1) == '-') {
                int end = text.indexOf('\n', i);
                end = end < 0 ? text.length() : end;
                if (startLine >= 0) {
                    current.append(text, i, end);
                }
                i = end;
                continue;
            }
            if (c == '/' && i + 1 < text.length() && text.charAt(i + 1) == '*') {
                int end = text.indexOf("*/", i + 2);
                end = end < 0 ? text.length() : end + 2;
                String comment = text.substring(i, end);
                if (startLine >= 0) {
                    current.append(comment);
                }
                line += (int) comment.chars().filter(ch -> ch == '\n').count();
                i = end;
                continue;
            }
            if (c == '\'' || c == '"') {
                int end = i + 1;
                while (end < text.length()) {
                    if (text.charAt(end) == c) {
                        if (end + 1 < text.length() && text.charAt(end + 1) == c) {
                            end += 2;
                            continue;
                        }
                        break;
                    }
                    end++;
                }
                end = Math.min(end + 1, text.length());
                if (startLine < 0) {
                    startLine = line;
                }
                String quoted = text.substring(i, end);
                current.append(quoted);
                line += (int) quoted.chars().filter(ch -> ch == '\n').count();
                i = end;
                continue;
            }
            if (c == ';') {
                if (startLine >= 0) {
                    statements.add(new Statement(startLine, current.toString().strip()));
                }
                current.setLength(0);
                startLine = -1;
                i++;
                continue;
            }
            if (c == '\n') {
                line++;
            }
            if (startLine < 0 && !Character.isWhitespace(c)) {
                startLine = line;
            }
            if (startLine >= 0) {
                current.append(c);
            }
            i++;
        }
        if (startLine >= 0 && !current.toString().isBlank()) {
            statements.add(new Statement(startLine, current.toString().strip()));
        }
        return statements;
    }
}
