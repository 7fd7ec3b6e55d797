package io.weir.server.fuzz;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits SQL text into tokens for mutation: quoted strings and identifiers, numbers, words, comments
 * and single symbols (whitespace is dropped; {@link #join} puts one space between tokens). Not a SQL
 * lexer: it only has to cut statements at places a user's typo would.
 */
final class SqlTokens {
    private SqlTokens() {
    }

    static List<String> split(String sql) {
        List<String> tokens = new ArrayList<>();
        int i = 0;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            }
            int start = i;
            if (c == '\'' || c == '"' || c == '`') {
                i++;
                while (i < n) {
                    if (sql.charAt(i) == c) {
                        if (i + 1 < n && sql.charAt(i + 1) == c) {
                            i += 2; // doubled quote inside
                            continue;
                        }
                        i++;
                        break;
                    }
                    i++;
                }
            } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                while (i < n && sql.charAt(i) != '\n') {
                    i++;
                }
            } else if (Character.isDigit(c)) {
                while (i < n && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '.')) {
                    i++;
                }
            } else if (Character.isLetter(c) || c == '_' || c == '$') {
                while (i < n && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '_' || sql.charAt(i) == '$'
                        || sql.charAt(i) == '{' || sql.charAt(i) == '}')) {
                    i++;
                }
            } else {
                i++;
            }
            tokens.add(sql.substring(start, i));
        }
        return tokens;
    }

    static String join(List<String> tokens) {
        return String.join(" ", tokens);
    }
}
