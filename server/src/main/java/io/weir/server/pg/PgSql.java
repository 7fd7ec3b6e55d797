package io.weir.server.pg;

import io.weir.spi.ErrorCode;
import io.weir.spi.SqlPosition;
import io.weir.spi.WeirException;
import io.weir.spi.type.ConversionException;
import io.weir.spi.type.Interval;
import io.weir.spi.type.TypeKind;
import io.weir.sql.parameter.ParameterText;
import io.weir.sql.parser.WeirSqlParser;
import io.weir.sql.postgres.PgCatalogSchema;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The lexical side of PostgreSQL's SQL that Weir's (Calcite's) grammar lacks, handled before parsing:
 * splitting a simple-query string into statements, and translating {@code $n} parameters, {@code ::type}
 * casts, {@code !=} and the regular-expression operators {@code ~ ~* !~ !~*} (also written
 * {@code OPERATOR(pg_catalog.~)}) and PostgreSQL's interval literals ({@code '5 minutes'::interval},
 * {@code interval '1 day'}) into the standard forms Weir parses. String literals, quoted identifiers,
 * dollar-quoted strings and comments are left as written.
 */
final class PgSql {
    /** PostgreSQL type names in casts, and the standard type Weir parses for each. */
    private static final Map<String, String> CAST_TYPES = Map.ofEntries(
            Map.entry("text", "VARCHAR"), Map.entry("varchar", "VARCHAR"), Map.entry("name", "VARCHAR"),
            Map.entry("character varying", "VARCHAR"), Map.entry("bpchar", "VARCHAR"), Map.entry("char", "VARCHAR"),
            Map.entry("int", "INTEGER"), Map.entry("int4", "INTEGER"), Map.entry("integer", "INTEGER"),
            Map.entry("int2", "SMALLINT"), Map.entry("smallint", "SMALLINT"),
            Map.entry("int8", "BIGINT"), Map.entry("bigint", "BIGINT"), Map.entry("oid", "INTEGER"),
            Map.entry("regclass", "regclass"), Map.entry("regtype", "INTEGER"), Map.entry("regproc", "INTEGER"),
            Map.entry("regnamespace", "INTEGER"), Map.entry("regrole", "INTEGER"),
            Map.entry("float4", "REAL"), Map.entry("real", "REAL"), Map.entry("float8", "DOUBLE"),
            Map.entry("double precision", "DOUBLE"), Map.entry("float", "DOUBLE"),
            Map.entry("numeric", "DECIMAL"), Map.entry("decimal", "DECIMAL"),
            Map.entry("bool", "BOOLEAN"), Map.entry("boolean", "BOOLEAN"),
            Map.entry("date", "DATE"), Map.entry("time", "TIME"), Map.entry("timestamp", "TIMESTAMP"),
            Map.entry("timestamptz", "TIMESTAMP"), Map.entry("bytea", "VARBINARY"));

    private static final java.util.regex.Pattern CURRENT_SCHEMAS_ITEM = java.util.regex.Pattern.compile(
            "(?i)\\(\\s*(pg_catalog\\.)?current_schemas\\s*\\(\\s*(true|false)\\s*\\)\\s*\\)\\s*\\[\\s*(\\d+)\\s*]");

    /** Columns of pg_catalog whose names Weir's grammar reserves. */
    private static final java.util.Set<String> RESERVED_COLUMNS = java.util.Set.of("member", "position", "value", "grantor");

    /** A string literal holding an ISO-8601 instant in UTC. */
    private static final java.util.regex.Pattern ISO_INSTANT = java.util.regex.Pattern.compile(
            "'(\\d{4}-\\d{2}-\\d{2})T(\\d{2}:\\d{2}:\\d{2}(?:\\.\\d{1,9})?)(?:Z|\\+00(?::?00)?)'");

    private PgSql() {
    }

    /** A statement of a script and where it starts in the script, for error positions. */
    record Piece(String text, int offset) {
    }

    /**
     * The statements of a simple query, without their semicolons; blank ones (and comments alone) are
     * left out.
     */
    static List<Piece> split(String script) {
        List<Piece> pieces = new ArrayList<>();
        int start = 0;
        int i = 0;
        int n = script.length();
        while (i < n) {
            char c = script.charAt(i);
            if (c == ';') {
                add(pieces, script, start, i);
                start = i + 1;
                i++;
            } else {
                i = skipQuotedOrComment(script, i);
            }
        }
        add(pieces, script, start, n);
        return pieces;
    }

    private static void add(List<Piece> pieces, String script, int start, int end) {
        String text = script.substring(start, end);
        if (!stripComments(text).isBlank()) {
            int lead = 0;
            while (lead < text.length() && Character.isWhitespace(text.charAt(lead))) {
                lead++;
            }
            pieces.add(new Piece(text.substring(lead).stripTrailing(), start + lead));
        }
    }

    /** The text without its comments (quoted text kept), to tell what a statement is. */
    static String stripComments(String sql) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < sql.length()) {
            int next = skipQuotedOrComment(sql, i);
            char c = sql.charAt(i);
            boolean comment = c == '-' && i + 1 < sql.length() && sql.charAt(i + 1) == '-'
                    || c == '/' && i + 1 < sql.length() && sql.charAt(i + 1) == '*';
            out.append(comment ? " " : sql.substring(i, next));
            i = next;
        }
        return out.toString();
    }

    /** The index after the quoted text or comment starting at {@code i}, or {@code i + 1}. */
    static int skipQuotedOrComment(String sql, int i) {
        int n = sql.length();
        char c = sql.charAt(i);
        if (c == '\'' || c == '"') {
            int j = i + 1;
            while (j < n) {
                if (sql.charAt(j) == c) {
                    if (j + 1 < n && sql.charAt(j + 1) == c) {
                        j += 2;
                        continue;
                    }
                    return j + 1;
                }
                j++;
            }
            return n;
        }
        if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
            int end = sql.indexOf('\n', i);
            return end < 0 ? n : end + 1;
        }
        if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
            int end = sql.indexOf("*/", i + 2);
            return end < 0 ? n : end + 2;
        }
        if (c == '$') {
            int j = i + 1;
            while (j < n && (Character.isLetterOrDigit(sql.charAt(j)) || sql.charAt(j) == '_') && !Character.isDigit(sql.charAt(i + 1))) {
                j++;
            }
            if (j < n && sql.charAt(j) == '$' && !Character.isDigit(sql.charAt(Math.min(i + 1, n - 1)))) {
                String tag = sql.substring(i, j + 1);
                int end = sql.indexOf(tag, j + 1);
                return end < 0 ? n : end + tag.length();
            }
        }
        return i + 1;
    }

    /**
     * A statement in the form Weir parses, with where each of its characters came from.
     *
     * @param parameters for each {@code ?} in order, the number {@code n} of the {@code $n} it stands for
     */
    record Translation(String sql, int[] sources, List<Integer> parameters) {
        /** The text as it is, each character from where it stands. */
        static Translation identity(String sql) {
            int[] sources = new int[sql.length()];
            for (int k = 0; k < sources.length; k++) {
                sources[k] = k;
            }
            return new Translation(sql, sources, List.of());
        }

        /** The index in the original text of the character at {@code index} of the translation. */
        int source(int index) {
            if (sources.length == 0) {
                return 0;
            }
            return sources[Math.max(0, Math.min(index, sources.length - 1))];
        }
    }

    /**
     * Translates {@code $n} parameters into {@code ?} (a parameter whose type the client gave becomes
     * {@code CAST(? AS type)}), {@code x::type} into {@code CAST(x AS type)} and the regular-expression
     * operators into calls of {@code pg_catalog.regexp_match_op(x, pattern, flags)}.
     *
     * @param parameterTypes the SQL type (for a CAST) of each parameter the client typed, by number - 1;
     *        null entries for those it left to the server
     */
    static Translation translate(String sql, List<String> parameterTypes) {
        return translate(sql, parameterTypes, "anonymous");
    }

    /**
     * {@link #translate(String, List)}, with PostgreSQL's session functions that Weir's grammar reads
     * otherwise: {@code current_user} and {@code session_user} (the session's {@code user}) and
     * {@code current_schema}.
     */
    static Translation translate(String sql, List<String> parameterTypes, String user) {
        if (CURRENT_SCHEMAS_ITEM.matcher(sql).find()) {
            // (current_schemas(true))[1], as pgjdbc asks: Weir's grammar has no subscripts of function calls
            sql = CURRENT_SCHEMAS_ITEM.matcher(sql).replaceAll("pg_catalog.current_schemas_item($2, $3)");
        }
        Builder out = new Builder();
        List<Integer> parameters = new ArrayList<>();
        int i = 0;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            if (c == '$' && i + 1 < n && Character.isDigit(sql.charAt(i + 1))) {
                int j = i + 1;
                while (j < n && Character.isDigit(sql.charAt(j))) {
                    j++;
                }
                int number = Integer.parseInt(sql.substring(i + 1, j));
                parameters.add(number);
                String type = number - 1 < parameterTypes.size() ? parameterTypes.get(number - 1) : null;
                if (type != null) {
                    out.append("CAST(", i).append("?", i).append(" AS " + type + ")", i);
                } else {
                    out.append("?", i);
                }
                i = j;
                continue;
            }
            if (c == ':' && i + 1 < n && sql.charAt(i + 1) == ':') {
                int j = i + 2;
                while (j < n && Character.isWhitespace(sql.charAt(j))) {
                    j++;
                }
                int typeStart = j;
                while (j < n && (Character.isLetterOrDigit(sql.charAt(j)) || sql.charAt(j) == '_' || sql.charAt(j) == '.'
                        || sql.charAt(j) == '"')) {
                    j++;
                }
                String typeName = sql.substring(typeStart, j).replace("\"", "").toLowerCase(Locale.ROOT);
                if (typeName.startsWith("pg_catalog.")) {
                    typeName = typeName.substring("pg_catalog.".length());
                }
                // "double precision", "character varying", and a length: varchar(20)
                for (String second : List.of(" precision", " varying")) {
                    if (sql.regionMatches(true, j, second, 0, second.length())) {
                        typeName += second;
                        j += second.length();
                    }
                }
                String suffix = "";
                if (j < n && sql.charAt(j) == '(') {
                    int close = sql.indexOf(')', j);
                    if (close > 0) {
                        suffix = sql.substring(j, close + 1);
                        j = close + 1;
                    }
                }
                boolean array = false;
                if (j + 1 < n && sql.charAt(j) == '[' && sql.charAt(j + 1) == ']') {
                    array = true;
                    j += 2;
                }
                String mapped = CAST_TYPES.get(typeName);
                int operand = out.operandStart();
                if (typeName.equals("interval") && !array && operand >= 0) {
                    String operandText = out.text.substring(operand).strip();
                    if (out.intervalLiteral >= 0 && out.intervalLiteral < out.text.length() && endsWithIntervalLiteral(out)) {
                        // interval '5 minutes'::interval: an interval already
                        i = j;
                        continue;
                    }
                    if (isStringLiteral(operandText)) {
                        // '5 minutes'::interval: PostgreSQL's interval text as a standard interval literal
                        String standard = intervalLiteral(unquote(operandText), sql, out.sourceAt(operand));
                        out.replaceFrom(operand, standard);
                        out.intervalLiteral = out.text.length() - standard.length();
                    } else {
                        out.wrap(operand, "CAST(", " AS " + PgTypes.INTERVAL_CAST + ")", i);
                    }
                    i = j;
                    continue;
                }
                if (mapped == null || array || operand < 0) {
                    // not a type Weir knows: leave it, the parser reports it where it is
                    out.append(sql.substring(i, j), i);
                } else if (mapped.equals("regclass")) {
                    // a relation's name as its OID
                    out.wrap(operand, "pg_catalog.regclass_oid(CAST(", " AS VARCHAR))", i);
                } else {
                    String standard = mapped.equals("VARCHAR") || mapped.equals("DECIMAL") ? mapped + suffix : mapped;
                    out.wrap(operand, "CAST(", " AS " + standard + ")", i);
                }
                i = j;
                continue;
            }
            if (c == '!' && i + 1 < n && sql.charAt(i + 1) == '=') {
                // PostgreSQL's other spelling of <>, which Calcite's default dialect refuses
                out.append("<>", i);
                i += 2;
                continue;
            }
            if (regexOperatorAt(sql, i) > 0 || sql.regionMatches(true, i, "OPERATOR(", 0, 9)) {
                int operatorEnd;
                String operator;
                if (sql.regionMatches(true, i, "OPERATOR(", 0, 9)) {
                    int close = sql.indexOf(')', i);
                    String inside = close < 0 ? "" : sql.substring(i + 9, close).trim();
                    if (inside.toLowerCase(Locale.ROOT).startsWith("pg_catalog.")) {
                        inside = inside.substring("pg_catalog.".length());
                    }
                    if (close < 0 || !inside.matches("!?~\\*?|=|<>|<|>|<=|>=")) {
                        out.append(sql.substring(i, i + 1), i);
                        i++;
                        continue;
                    }
                    operator = inside;
                    operatorEnd = close + 1;
                } else {
                    int length = regexOperatorAt(sql, i);
                    operator = sql.substring(i, i + length);
                    operatorEnd = i + length;
                }
                if (!operator.contains("~")) {
                    out.append(" " + operator + " ", i);
                    i = operatorEnd;
                    continue;
                }
                int operand = out.operandStart();
                int rightStart = operatorEnd;
                while (rightStart < n && Character.isWhitespace(sql.charAt(rightStart))) {
                    rightStart++;
                }
                int rightEnd = operandEnd(sql, rightStart);
                if (operand < 0 || rightEnd <= rightStart) {
                    out.append(sql.substring(i, operatorEnd), i);
                    i = operatorEnd;
                    continue;
                }
                boolean negated = operator.startsWith("!");
                boolean insensitive = operator.endsWith("*");
                Translation right = translate(sql.substring(rightStart, rightEnd), parameterTypes);
                out.wrap(operand, (negated ? "NOT " : "") + "pg_catalog.regexp_match_op(", ", ", i);
                for (int k = 0; k < right.sql().length(); k++) {
                    out.append(String.valueOf(right.sql().charAt(k)), rightStart + right.source(k));
                }
                parameters.addAll(right.parameters());
                out.append(", " + (insensitive ? "'i'" : "''") + ")", rightEnd - 1);
                i = rightEnd;
                continue;
            }
            if ((Character.isLetter(c) || c == '_') && (i == 0 || !isNamePart(sql.charAt(i - 1)))) {
                int j = i;
                while (j < n && isNamePart(sql.charAt(j))) {
                    j++;
                }
                String word = sql.substring(i, j).toLowerCase(Locale.ROOT);
                boolean qualified = j < n && sql.charAt(j) == '.' || i > 0 && sql.charAt(i - 1) == '.';
                int afterCall = j;
                while (afterCall < n && Character.isWhitespace(sql.charAt(afterCall))) {
                    afterCall++;
                }
                boolean emptyCall = afterCall + 1 < n && sql.charAt(afterCall) == '(' && sql.charAt(afterCall + 1) == ')';
                if (!qualified && (word.equals("current_user") || word.equals("session_user")) && !emptyCall) {
                    out.append("'" + user.replace("'", "''") + "'", i);
                    i = j;
                    continue;
                }
                if (!qualified && word.equals("collate")) {
                    // PostgreSQL's collations: Weir compares strings by code point, as COLLATE "C" does
                    int k = j;
                    while (k < n && Character.isWhitespace(sql.charAt(k))) {
                        k++;
                    }
                    int end = k;
                    while (end < n && (isNamePart(sql.charAt(end)) || sql.charAt(end) == '.' || sql.charAt(end) == '"')) {
                        end = sql.charAt(end) == '"' ? skipQuotedOrComment(sql, end) : end + 1;
                    }
                    out.append(" ", i);
                    i = end;
                    continue;
                }
                if (!qualified && (word.equals("e")) && j < n && sql.charAt(j) == '\'') {
                    // E'...': a string with backslash escapes, as a standard literal
                    int end = j + 1;
                    StringBuilder value = new StringBuilder();
                    while (end < n) {
                        char ch = sql.charAt(end);
                        if (ch == '\\' && end + 1 < n) {
                            char escaped = sql.charAt(end + 1);
                            value.append(switch (escaped) {
                                case 'n' -> '\n';
                                case 't' -> '\t';
                                case 'r' -> '\r';
                                case 'b' -> '\b';
                                case 'f' -> '\f';
                                default -> escaped;
                            });
                            end += 2;
                        } else if (ch == '\'' && end + 1 < n && sql.charAt(end + 1) == '\'') {
                            value.append('\'');
                            end += 2;
                        } else if (ch == '\'') {
                            end++;
                            break;
                        } else {
                            value.append(ch);
                            end++;
                        }
                    }
                    out.append("'" + value.toString().replace("'", "''") + "'", i);
                    i = end;
                    continue;
                }
                if (!qualified && followsAs(sql, i) && WeirSqlParser.isReservedWord(word) && endsSelectItem(sql, afterCall)
                        && !insideCast(sql, i)) {
                    // an alias PostgreSQL allows and Weir reserves (SQLAlchemy: AS DEFAULT), folded to lower case as there
                    out.append("\"" + word + "\"", i);
                    i = j;
                    continue;
                }
                if (!qualified && PgCatalogSchema.relationNames().contains(word) && followsFromOrJoin(sql, i)) {
                    // pg_catalog is always on PostgreSQL's search path: clients leave it out (pgjdbc: FROM pg_type)
                    out.append(PgCatalogSchema.NAME + "." + sql.substring(i, j), i);
                    i = j;
                    continue;
                }
                if (!qualified && word.equals("interval")) {
                    int literal = afterCall;
                    if (literal < n && sql.charAt(literal) == '\'') {
                        int literalEnd = skipQuotedOrComment(sql, literal);
                        if (!followedByIntervalQualifier(sql, literalEnd)) {
                            // PostgreSQL's INTERVAL '5 minutes' (no qualifier) as a standard interval literal
                            String standard = intervalLiteral(unquote(sql.substring(literal, literalEnd)), sql, i);
                            out.append(standard, i);
                            out.intervalLiteral = out.text.length() - standard.length();
                            i = literalEnd;
                            continue;
                        }
                    }
                    if (afterCall < n && sql.charAt(afterCall) == ')' && followsAs(sql, i) && insideCast(sql, i)) {
                        // CAST(x AS interval): PostgreSQL's one interval type, and a literal of its text as one
                        int open = out.unclosedParenthesis();
                        int as = out.text.toString().toUpperCase(Locale.ROOT).lastIndexOf(" AS ");
                        String operand = open >= 0 && as > open ? out.text.substring(open + 1, as).strip() : "";
                        int cast = open >= 0 ? out.nameStartBefore(open) : -1;
                        if (isStringLiteral(operand) && cast >= 0
                                && out.text.substring(cast, open).strip().equalsIgnoreCase("cast")) {
                            String standard = intervalLiteral(unquote(operand), sql, out.sourceAt(open + 1));
                            out.replaceFrom(cast, standard);
                            out.intervalLiteral = out.text.length() - standard.length();
                            i = afterCall + 1;
                        } else {
                            out.append(PgTypes.INTERVAL_CAST, i);
                            i = j;
                        }
                        continue;
                    }
                }
                if (!qualified && word.equals("current_schema")) {
                    out.append("pg_catalog.pg_current_schema()", i);
                    i = emptyCall ? afterCall + 2 : j;
                    continue;
                }
                if (i > 0 && sql.charAt(i - 1) == '.' && RESERVED_COLUMNS.contains(word)) {
                    // pg_catalog columns named like Weir's reserved words (pg_auth_members.member): quoted
                    out.append("\"" + sql.substring(i, j) + "\"", i);
                    i = j;
                    continue;
                }
                out.append(sql.substring(i, j), i);
                i = j;
                continue;
            }
            int next = skipQuotedOrComment(sql, i);
            String piece = sql.substring(i, next);
            java.util.regex.Matcher instant = ISO_INSTANT.matcher(piece);
            if (instant.matches()) {
                // '2024-05-01T10:00:00Z', as Grafana's time macros write them: a UTC timestamp
                out.append("TIMESTAMP '" + instant.group(1) + " " + instant.group(2) + "'", i);
            } else {
                out.append(piece, i);
            }
            i = next;
        }
        return new Translation(out.text.toString(), out.sources(), parameters);
    }

    private static final java.util.regex.Pattern INTERVAL_QUALIFIER = java.util.regex.Pattern.compile(
            "(?i)\\s*(year|month|day|hour|minute|second)s?\\b.*", java.util.regex.Pattern.DOTALL);

    /** Whether a standard interval qualifier follows {@code i}: {@code INTERVAL '5' MINUTE} is standard SQL already. */
    private static boolean followedByIntervalQualifier(String sql, int i) {
        return INTERVAL_QUALIFIER.matcher(sql.substring(i)).matches();
    }

    /** Whether the translation so far ends with the interval literal it last wrote. */
    private static boolean endsWithIntervalLiteral(Builder out) {
        String tail = out.text.substring(out.intervalLiteral).stripTrailing();
        return tail.startsWith("INTERVAL '") && (tail.endsWith("DAY(9) TO SECOND(3)") || tail.endsWith("YEAR(9) TO MONTH"))
                && skipQuotedOrComment(tail, "INTERVAL ".length()) == tail.lastIndexOf('\'') + 1;
    }

    private static boolean isStringLiteral(String text) {
        return text.length() >= 2 && text.charAt(0) == '\'' && skipQuotedOrComment(text, 0) == text.length();
    }

    private static String unquote(String literal) {
        return literal.substring(1, literal.length() - 1).replace("''", "'");
    }

    /**
     * A standard interval literal of PostgreSQL's interval text: {@code INTERVAL '0 00:05:00.000' DAY(9) TO SECOND(3)}
     * for days and time, {@code INTERVAL '1-02' YEAR(9) TO MONTH} for years and months.
     *
     * @param at where the text stands in {@code sql}, for the error of text that is not an interval Weir holds
     */
    static String intervalLiteral(String text, String sql, int at) {
        Interval interval;
        try {
            interval = Interval.parse(text);
            if (!interval.isDayTime() && !interval.isYearMonth()) {
                interval.toMillis(); // raises the error that tells months from days and time
            }
        } catch (ConversionException e) {
            throw new WeirException(ErrorCode.INVALID_INTERVAL, position(sql, at), e.getMessage());
        }
        try {
            return interval.isDayTime() ? ParameterText.intervalLiteral(TypeKind.INTERVAL_DAY_TIME, interval.toMillis())
                    : ParameterText.intervalLiteral(TypeKind.INTERVAL_YEAR_MONTH, interval.months());
        } catch (ConversionException e) {
            throw new WeirException(ErrorCode.INVALID_INTERVAL, position(sql, at), e.getMessage());
        }
    }

    /** The line and column of {@code index} in {@code sql}. */
    private static SqlPosition position(String sql, int index) {
        int line = 1;
        int column = 1;
        for (int k = 0; k < index && k < sql.length(); k++) {
            if (sql.charAt(k) == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        return new SqlPosition(line, column);
    }

    /** Whether a SELECT list's item ends at {@code i} (at a comma, a parenthesis, FROM or the end). */
    private static boolean endsSelectItem(String sql, int i) {
        return i >= sql.length() || sql.charAt(i) == ',' || sql.charAt(i) == ')' || sql.charAt(i) == ';'
                || sql.regionMatches(true, i, "from", 0, 4) && (i + 4 == sql.length() || !isNamePart(sql.charAt(i + 4)));
    }

    /** Whether {@code i} is directly inside the parentheses of a CAST (where AS is followed by a type). */
    private static boolean insideCast(String sql, int i) {
        int depth = 0;
        for (int k = i - 1; k >= 0; k--) {
            char c = sql.charAt(k);
            if (c == ')') {
                depth++;
            } else if (c == '(') {
                if (depth == 0) {
                    int end = k;
                    while (end > 0 && Character.isWhitespace(sql.charAt(end - 1))) {
                        end--;
                    }
                    int start = end;
                    while (start > 0 && isNamePart(sql.charAt(start - 1))) {
                        start--;
                    }
                    String word = sql.substring(start, end);
                    return word.equalsIgnoreCase("cast") || word.equalsIgnoreCase("try_cast");
                }
                depth--;
            }
        }
        return false;
    }

    /** Whether the word before {@code i} is AS (so the word at {@code i} is an alias). */
    private static boolean followsAs(String sql, int i) {
        int end = i;
        while (end > 0 && Character.isWhitespace(sql.charAt(end - 1))) {
            end--;
        }
        return end >= 2 && end < i && sql.regionMatches(true, end - 2, "as", 0, 2) && (end == 2 || !isNamePart(sql.charAt(end - 3)));
    }

    /**
     * Whether the word before {@code i} is FROM or JOIN, or a comma (a FROM list: {@code FROM pg_class c,
     * pg_namespace n}), so that the pg_catalog relation's name at {@code i} is a relation's.
     */
    private static boolean followsFromOrJoin(String sql, int i) {
        int end = i;
        while (end > 0 && Character.isWhitespace(sql.charAt(end - 1))) {
            end--;
        }
        if (end > 0 && sql.charAt(end - 1) == ',') {
            return true;
        }
        int start = end;
        while (start > 0 && Character.isLetter(sql.charAt(start - 1))) {
            start--;
        }
        String previous = sql.substring(start, end).toLowerCase(Locale.ROOT);
        return previous.equals("from") || previous.equals("join");
    }

    private static boolean isNamePart(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$';
    }

    /** The length of the regular-expression operator at {@code i}, or 0. */
    private static int regexOperatorAt(String sql, int i) {
        for (String operator : List.of("!~*", "!~", "~*", "~")) {
            if (sql.startsWith(operator, i)) {
                return operator.length();
            }
        }
        return 0;
    }

    /** The end of the operand (a literal, a name, a parenthesized expression, a call) starting at {@code start}. */
    private static int operandEnd(String sql, int start) {
        int n = sql.length();
        if (start >= n) {
            return start;
        }
        char c = sql.charAt(start);
        if (c == '\'' || c == '"') {
            int end = skipQuotedOrComment(sql, start);
            if (c == '"' && end < n && sql.charAt(end) == '.') {
                return operandEnd(sql, end + 1);
            }
            return end;
        }
        if (c == '(') {
            return matchingClose(sql, start) + 1;
        }
        int j = start;
        while (j < n && (Character.isLetterOrDigit(sql.charAt(j)) || sql.charAt(j) == '_' || sql.charAt(j) == '.'
                || sql.charAt(j) == '$')) {
            j++;
        }
        if (j < n && sql.charAt(j) == '(' && j > start) {
            return matchingClose(sql, j) + 1;
        }
        return j;
    }

    static int matchingClose(String sql, int open) {
        int depth = 0;
        int i = open;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
                if (depth == 0) {
                    return i;
                }
            } else if (c == '\'' || c == '"') {
                i = skipQuotedOrComment(sql, i);
                continue;
            }
            i++;
        }
        return sql.length() - 1;
    }

    /** The words that make a string literal a typed literal ({@code TIMESTAMP '2024-05-01 10:00:00'}). */
    private static final java.util.Set<String> TYPED_LITERALS = java.util.Set.of("DATE", "TIME", "TIMESTAMP");

    /** The translated text with where each character came from. */
    private static final class Builder {
        final StringBuilder text = new StringBuilder();
        final List<Integer> sources = new ArrayList<>();
        /** Where the interval literal the text ends with starts (one this translation wrote), or -1. */
        int intervalLiteral = -1;

        Builder append(String s, int source) {
            text.append(s);
            for (int k = 0; k < s.length(); k++) {
                sources.add(source);
            }
            return this;
        }

        /** Replaces the text from {@code index} on by {@code s}, which comes from where that text did. */
        void replaceFrom(int index, String s) {
            int origin = sourceAt(index);
            text.setLength(index);
            sources.subList(index, sources.size()).clear();
            append(s, origin);
        }

        /** Where the last parenthesis the text leaves open is, or -1. */
        int unclosedParenthesis() {
            int depth = 0;
            for (int k = text.length() - 1; k >= 0; k--) {
                char c = text.charAt(k);
                if (c == ')') {
                    depth++;
                } else if (c == '(') {
                    if (depth == 0) {
                        return k;
                    }
                    depth--;
                }
            }
            return -1;
        }

        /** The start of the word before {@code index} (spaces between allowed). */
        int nameStartBefore(int index) {
            int end = index;
            while (end > 0 && Character.isWhitespace(text.charAt(end - 1))) {
                end--;
            }
            return nameStart(end);
        }

        int sourceAt(int index) {
            return index < sources.size() ? sources.get(index) : sources.isEmpty() ? 0 : sources.get(sources.size() - 1);
        }

        /** Puts {@code before} at {@code index} and appends {@code after}. */
        void wrap(int index, String before, String after, int source) {
            text.insert(index, before);
            int origin = index < sources.size() ? sources.get(index) : source;
            for (int k = 0; k < before.length(); k++) {
                sources.add(index, origin);
            }
            append(after, source);
        }

        /**
         * Where the operand that ends the text so far starts: a literal, a (qualified, quoted) name, a
         * parenthesized expression or a call; -1 when there is none.
         */
        int operandStart() {
            int end = text.length();
            while (end > 0 && Character.isWhitespace(text.charAt(end - 1))) {
                end--;
            }
            if (end == 0) {
                return -1;
            }
            // trim the trailing whitespace into the operand's end: CAST(x AS t) reads the same either way
            int i = end - 1;
            char c = text.charAt(i);
            int start;
            if (c == ')') {
                start = matchingOpen(i);
                if (start < 0) {
                    return -1;
                }
                start = nameStart(start);
            } else if (c == '\'') {
                start = text.lastIndexOf("'", i - 1);
                while (start > 0 && text.charAt(start - 1) == '\'') {
                    start = text.lastIndexOf("'", start - 2);
                }
                if (start < 0) {
                    return -1;
                }
                // a typed literal (TIMESTAMP '...', as Grafana's instants become) is one operand with its type
                int word = start;
                while (word > 0 && Character.isWhitespace(text.charAt(word - 1))) {
                    word--;
                }
                int wordStart = nameStart(word);
                String prefix = text.substring(wordStart, word).toUpperCase(Locale.ROOT);
                if (word < start && TYPED_LITERALS.contains(prefix) && (wordStart == 0 || !isNamePart(text.charAt(wordStart - 1)))) {
                    start = wordStart;
                }
            } else if (c == '"' || Character.isLetterOrDigit(c) || c == '_' || c == '?') {
                start = nameStart(i + 1);
            } else {
                return -1;
            }
            return start;
        }

        /** The start of the (qualified, quoted) name ending just before {@code end}, or {@code end}. */
        private int nameStart(int end) {
            int i = end;
            while (i > 0) {
                char c = text.charAt(i - 1);
                if (Character.isLetterOrDigit(c) || c == '_' || c == '.' || c == '?') {
                    i--;
                } else if (c == '"') {
                    int open = text.lastIndexOf("\"", i - 2);
                    if (open < 0) {
                        break;
                    }
                    i = open;
                } else {
                    break;
                }
            }
            return i;
        }

        private int matchingOpen(int close) {
            int depth = 0;
            for (int i = close; i >= 0; i--) {
                char c = text.charAt(i);
                if (c == ')') {
                    depth++;
                } else if (c == '(') {
                    depth--;
                    if (depth == 0) {
                        return i;
                    }
                }
            }
            return -1;
        }

        int[] sources() {
            int[] result = new int[sources.size()];
            for (int k = 0; k < result.length; k++) {
                result[k] = sources.get(k);
            }
            return result;
        }
    }
}
