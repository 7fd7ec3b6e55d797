package io.weir.server.pg;

import io.weir.sql.parser.WeirSqlParser;
import io.weir.sql.statement.ResultColumn;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Queries of PostgreSQL's catalog relations that Weir does not have ({@link PgCommand#ABSENT_RELATIONS}: row-level
 * security, publications, triggers, sequences, indexes, ...), which are always empty in Weir: a query that reads one
 * at its top level has no rows, a scalar subquery that reads one is NULL, and a query answered with no rows still
 * describes its SELECT list's columns, as drivers expect.
 */
final class PgAbsentCatalog {
    /** A relation of PostgreSQL's catalog that Weir does not have, read in a FROM or an inner JOIN. */
    private static final Pattern READ_OF_ABSENT = Pattern.compile(
            "(?is)\\b(from|join)\\s+(?:pg_catalog\\.)?(?:" + PgCommand.ABSENT_RELATIONS + ")\\b");
    private static final Pattern OUTER_BEFORE = Pattern.compile("(?is).*\\b(left|right|full)(\\s+outer)?\\s*$");
    private static final Pattern SET_OPERATION = Pattern.compile("(?i)\\b(union|intersect|except)\\b");
    private static final Pattern SCALAR_SUBQUERY_START = Pattern.compile("(?is)\\(\\s*select\\b");

    private PgAbsentCatalog() {
    }

    /**
     * Whether {@code sql} reads, at its top level, a catalog relation Weir does not have (which is always
     * empty) in its FROM or an inner join: it has no rows whatever else it says (SQLAlchemy's index listing
     * joins pg_index with array operators Weir does not plan).
     */
    static boolean readsNothing(String sql) {
        if (SET_OPERATION.matcher(sql).find()) {
            return false; // another branch may have rows
        }
        Matcher read = READ_OF_ABSENT.matcher(sql);
        while (read.find()) {
            boolean join = read.group(1).equalsIgnoreCase("join");
            if (depth(sql, read.start()) == 0 && !(join && OUTER_BEFORE.matcher(sql.substring(0, read.start())).matches())) {
                return sql.stripLeading().regionMatches(true, 0, "SELECT", 0, 6);
            }
        }
        return false;
    }

    /**
     * Scalar subqueries that read a catalog relation Weir does not have: NULL, which they are in Weir (SQLAlchemy
     * asks for a column's identity sequence from pg_sequence in its column listing).
     */
    static String withoutAbsentSubqueries(String sql) {
        StringBuilder out = new StringBuilder();
        int copied = 0;
        Matcher start = SCALAR_SUBQUERY_START.matcher(sql);
        int from = 0;
        while (start.find(from)) {
            int open = start.start();
            int close = PgSql.matchingClose(sql, open);
            String inside = sql.substring(open + 1, close);
            String before = sql.substring(0, open).stripTrailing().toLowerCase(Locale.ROOT);
            boolean predicate = before.endsWith("exists") || before.endsWith(" in") || before.endsWith("any") || before.endsWith("all")
                    || before.endsWith("some");
            if (!predicate && readsNothing(inside)) {
                out.append(sql, copied, open).append("NULL");
                copied = close + 1;
                from = close + 1;
            } else {
                from = open + 1;
            }
        }
        return copied == 0 ? sql : out.append(sql.substring(copied)).toString();
    }

    /** The depth of parentheses at {@code index} (quoted text skipped). */
    private static int depth(String sql, int index) {
        int depth = 0;
        int i = 0;
        while (i < index) {
            char c = sql.charAt(i);
            if (c == '\'' || c == '"' || c == '-' || c == '/') {
                int next = PgSql.skipQuotedOrComment(sql, i);
                if (next > i + 1) {
                    i = next;
                    continue;
                }
            }
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            }
            i++;
        }
        return depth;
    }

    /**
     * The names of the columns {@code sql}'s SELECT list gives (text columns: their values are never seen), for a
     * query answered with no rows; none when it does not parse. Drivers want a row description even then.
     */
    static List<ResultColumn> selectedColumns(String sql) {
        org.apache.calcite.sql.SqlNode parsed;
        try {
            parsed = WeirSqlParser.parseStatement(PgSql.translate(sql, List.of()).sql());
        } catch (RuntimeException e) {
            return List.of();
        }
        if (parsed instanceof org.apache.calcite.sql.SqlOrderBy orderBy) {
            parsed = orderBy.query;
        }
        if (!(parsed instanceof org.apache.calcite.sql.SqlSelect select)) {
            return List.of();
        }
        List<ResultColumn> columns = new ArrayList<>();
        for (org.apache.calcite.sql.SqlNode item : select.getSelectList()) {
            String name = org.apache.calcite.sql.validate.SqlValidatorUtil.alias(item);
            columns.add(new ResultColumn(name == null ? "?column?" : name, io.weir.spi.type.DataType.varchar()));
        }
        return columns;
    }
}
