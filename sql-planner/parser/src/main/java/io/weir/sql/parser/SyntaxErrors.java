package io.weir.sql.parser;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.io.StringReader;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.calcite.sql.parser.SqlAbstractParserImpl;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParserPos;

import io.weir.sql.parser.impl.WeirSqlParserImpl;

import io.weir.spi.ErrorCode;
import io.weir.spi.SqlPosition;
import io.weir.spi.WeirException;

/**
 * Turns Calcite's parse errors into short {@link WeirException}s. Calcite's message repeats the
 * position and lists every token that could follow (often hundreds, with lexer names such as
 * {@code <BIG_QUERY_QUOTED_STRING>}); users get the first line without the position, which the
 * exception carries, and at most {@value #MAX_EXPECTED} readable expected tokens. A reserved word
 * where a name could stand ({@code SELECT sql FROM t}) gets the advice to quote it instead.
 */
final class SyntaxErrors {
    /** How many expected tokens a message names at most. */
    static final int MAX_EXPECTED = 8;

    private static final Pattern POSITION =
            Pattern.compile(",? (at|near) line [0-9]+, column [0-9]+\\.?");
    private static final String NON_QUERY = "Non-query expression encountered in illegal context";
    /** When all of these are expected, the error is where a statement should start. */
    private static final Set<String> STATEMENT_STARTS =
            Set.of("\"SELECT\"", "\"CREATE\"", "\"INSERT\"");
    static final String STATEMENTS = "Expected a statement: SELECT, INSERT, CREATE, DROP,"
            + " SHOW, DESCRIBE, EXPLAIN, SET, RESET, STOP QUERY or ALTER USER";
    /** The offending token, in either form Calcite reports it. */
    private static final Pattern ENCOUNTERED = Pattern.compile(
            "(?:Encountered \"([A-Za-z_][A-Za-z0-9_$]*)\"|Incorrect syntax near the keyword '([A-Za-z_][A-Za-z0-9_$]*)')");
    /** Which words the grammar reserves; built once, as it parses a statement to collect the tokens. */
    private static volatile SqlAbstractParserImpl.Metadata metadata;

    private SyntaxErrors() {
    }

    static WeirException toWeirException(String sql, SqlParseException e) {
        for (Throwable t = e; t != null && t != t.getCause(); t = t.getCause()) {
            if (t instanceof StackOverflowError) {
                return new WeirException(ErrorCode.PROGRAM_LIMIT_EXCEEDED, "The statement is nested too deeply to be parsed"
                        + " (expressions, OR terms, NOT or subqueries thousands of levels deep): write it with fewer levels", e);
            }
        }
        SqlParserPos pos = e.getPos();
        boolean known = pos != null && pos.getLineNum() >= 1 && pos.getColumnNum() >= 1;
        SqlPosition position = known ? new SqlPosition(pos.getLineNum(), pos.getColumnNum()) : null;
        if (position != null && intervalColumn(sql, position, e)) {
            return new WeirException(ErrorCode.NOT_SUPPORTED, position, "Columns of type INTERVAL are not supported in"
                    + " streams and tables: store a duration as a BIGINT number of milliseconds (or seconds). Interval values"
                    + " are results of queries (INTERVAL '5' MINUTE, ts1 - ts2, window_end - window_start)", e);
        }
        return new WeirException(ErrorCode.SYNTAX_ERROR, position, message(sql, position, e), e);
    }

    /** Whether the parser stopped at INTERVAL where a CREATE statement's column has its type. */
    private static boolean intervalColumn(String sql, SqlPosition position, SqlParseException e) {
        String first = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
        Matcher matcher = ENCOUNTERED.matcher(first);
        if (!matcher.lookingAt() || !"INTERVAL".equalsIgnoreCase(matcher.group(1) != null ? matcher.group(1) : matcher.group(2))) {
            return false;
        }
        List<String> lines = sql.lines().limit(position.line()).toList();
        if (lines.size() < position.line()) {
            return false;
        }
        String last = lines.get(lines.size() - 1);
        String before = String.join("\n", lines.subList(0, lines.size() - 1)) + "\n"
                + last.substring(0, Math.min(last.length(), position.column() - 1));
        // "CREATE STREAM s (a BIGINT, d INTERVAL": a name, after an opening parenthesis or a comma
        return sql.stripLeading().regionMatches(true, 0, "CREATE", 0, 6)
                && before.matches("(?s).*[(,]\\s*(\"[^\"]+\"|[A-Za-z_][A-Za-z0-9_$]*)\\s+$");
    }

    static String message(String sql, SqlPosition position, SqlParseException e) {
        String raw = e.getMessage() == null ? "Syntax error" : e.getMessage();
        String first = raw.lines().findFirst().orElse(raw).strip();
        String message = POSITION.matcher(first).replaceAll("").strip();
        if (message.endsWith(".")) {
            message = message.substring(0, message.length() - 1);
        }
        message = message.replace("Encountered \"<EOF>\"", "Encountered the end of the statement");
        // Calcite reads an unknown first word ("CREAT STREAM ...") as an expression and then
        // objects that a statement cannot be one.
        if (message.equals(NON_QUERY) && position != null && atStatementStart(sql, position)) {
            return "Unknown statement \"" + wordAt(sql, position) + "\". " + STATEMENTS;
        }
        Collection<String> expected = e.getExpectedTokenSequences() == null
                ? List.of()
                : e.getExpectedTokenNames();
        String reserved = reservedWordWhereNameFits(message, expected);
        if (reserved != null) {
            return message + ". " + reserved.toUpperCase(Locale.ROOT) + " is a reserved word: to use it as a name,"
                    + " quote it with double quotes (\"" + reserved + "\")";
        }
        if (expected.isEmpty()) {
            return message;
        }
        if (expected.containsAll(STATEMENT_STARTS)) {
            return message + ". " + STATEMENTS;
        }
        return message + ". Was expecting one of: " + summarize(expected);
    }

    /**
     * The reserved word the parser stopped at, as written, when a name could have stood there;
     * otherwise null.
     */
    private static String reservedWordWhereNameFits(String message, Collection<String> expected) {
        Matcher matcher = ENCOUNTERED.matcher(message);
        if (!matcher.lookingAt()) {
            return null;
        }
        String word = matcher.group(1) != null ? matcher.group(1) : matcher.group(2);
        // Calcite words it "Incorrect syntax near the keyword" only where it found that a name could
        // stand; "Encountered" needs the check.
        boolean nameExpected = matcher.group(2) != null
                || expected.stream().anyMatch(token -> token.contains("IDENTIFIER"));
        return nameExpected && metadata().isReservedWord(word.toUpperCase(Locale.ROOT)) ? word : null;
    }

    static SqlAbstractParserImpl.Metadata metadata() {
        SqlAbstractParserImpl.Metadata known = metadata;
        if (known == null) {
            known = WeirSqlParserImpl.FACTORY.getParser(new StringReader("")).getMetadata();
            metadata = known;
        }
        return known;
    }

    /** Punctuation first, then keywords, then kinds of token ("a string literal"). */
    private static String summarize(Collection<String> expected) {
        Set<String> readable = new LinkedHashSet<>();
        for (String token : expected) {
            readable.add(readable(token));
        }
        List<String> sorted = new ArrayList<>(readable);
        sorted.sort(Comparator.comparingInt(SyntaxErrors::rank)
                .thenComparing(Comparator.naturalOrder()));
        List<String> shown = sorted.subList(0, Math.min(MAX_EXPECTED, sorted.size()));
        String text = String.join(", ", shown);
        int more = sorted.size() - shown.size();
        return more == 0 ? text : text + " (and " + more + " more)";
    }

    /** Names a token class such as {@code <QUOTED_STRING> ...} the way users think of it. */
    private static String readable(String token) {
        String name = token.replace("...", "").strip();
        if (!name.startsWith("<")) {
            return name;
        }
        if (name.equals("<EOF>")) {
            return "the end of the statement";
        }
        if (name.contains("STRING")) {
            return "a string literal";
        }
        if (name.contains("IDENTIFIER")) {
            return "an identifier";
        }
        if (name.contains("LITERAL")) {
            return "a number";
        }
        return name;
    }

    private static int rank(String token) {
        if (!token.startsWith("\"")) {
            return 2;
        }
        return token.length() > 1 && Character.isLetter(token.charAt(1)) ? 1 : 0;
    }

    private static boolean atStatementStart(String sql, SqlPosition position) {
        int offset = offset(sql, position);
        String before = sql.substring(0, Math.min(offset, sql.length())).strip();
        return before.isEmpty() || before.endsWith(";");
    }

    private static String wordAt(String sql, SqlPosition position) {
        int start = Math.min(offset(sql, position), sql.length());
        int end = start;
        while (end < sql.length()
                && (Character.isLetterOrDigit(sql.charAt(end)) || sql.charAt(end) == '_')) {
            end++;
        }
        return end == start ? sql.substring(start, Math.min(start + 1, sql.length()))
                : sql.substring(start, end);
    }

    /** The character offset of a one-based line and column. */
    private static int offset(String sql, SqlPosition position) {
        int offset = 0;
        for (int line = 1; line < position.line(); line++) {
            int newline = sql.indexOf('\n', offset);
            if (newline < 0) {
                return sql.length();
            }
            offset = newline + 1;
        }
        return offset + position.column() - 1;
    }
}
