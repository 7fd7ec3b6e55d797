package io.weir.server.pg;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.sql.statement.ResultColumn;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The statements of PostgreSQL's protocol sessions that the endpoint answers itself, because they are
 * about the client's session and not about data: transactions (Weir has none: accepted and nothing
 * happens), settings of the PostgreSQL session, and cursors over a query's result. Every other statement
 * goes to Weir's executor.
 */
sealed interface PgCommand {
    Pattern BEGIN = Pattern.compile("(?is)(BEGIN|START\\s+TRANSACTION)\\b.*");
    Pattern COMMIT = Pattern.compile("(?is)(COMMIT|END)(\\s+(WORK|TRANSACTION)\\b.*)?\\s*");
    Pattern ROLLBACK = Pattern.compile("(?is)(ROLLBACK|ABORT)(\\s+(WORK|TRANSACTION)\\b.*)?\\s*");
    Pattern SET_TRANSACTION = Pattern.compile("(?is)SET\\s+(SESSION\\s+CHARACTERISTICS\\s+AS\\s+)?TRANSACTION\\b.*");
    Pattern SET_TIME_ZONE = Pattern.compile("(?is)SET\\s+(SESSION\\s+|LOCAL\\s+)?TIME\\s+ZONE\\s+(.+)");
    Pattern SET = Pattern.compile("(?is)SET\\s+(SESSION\\s+|LOCAL\\s+)?([A-Za-z_][A-Za-z0-9_.]*)\\s*(=|\\s+TO\\s+)\\s*(.+)");
    Pattern RESET = Pattern.compile("(?is)RESET\\s+([A-Za-z_][A-Za-z0-9_.]*)\\s*");
    Pattern SHOW = Pattern.compile("(?is)SHOW\\s+([A-Za-z_][A-Za-z0-9_.]*|TRANSACTION\\s+ISOLATION\\s+LEVEL)\\s*");
    Pattern DECLARE = Pattern.compile("(?is)DECLARE\\s+(\"[^\"]+\"|[A-Za-z_][A-Za-z0-9_]*)\\s+((BINARY|INSENSITIVE|ASENSITIVE|"
            + "NO\\s+SCROLL|SCROLL)\\s+)*CURSOR\\s+((WITH|WITHOUT)\\s+HOLD\\s+)?FOR\\s+(.+)");
    Pattern FETCH = Pattern.compile("(?is)FETCH\\s+(FORWARD\\s+)?(NEXT\\s+|ALL\\s+|\\d+\\s+)?((FROM|IN)\\s+)?"
            + "(\"[^\"]+\"|[A-Za-z_][A-Za-z0-9_]*)\\s*(WITH\\s*\\(\\s*timeout\\s*=\\s*'([^']*)'\\s*\\))?\\s*");
    Pattern CLOSE = Pattern.compile("(?is)CLOSE\\s+(\"[^\"]+\"|[A-Za-z_][A-Za-z0-9_]*)\\s*");
    Pattern COPY = Pattern.compile("(?is)COPY\\s+(\\(.+\\)|[A-Za-z_\"][A-Za-z0-9_.\"]*)\\s+TO\\s+STDOUT\\s*(WITH\\s*)?(\\((.*)\\))?\\s*");
    Pattern DISCARD = Pattern.compile("(?is)DISCARD\\s+(ALL|PLANS|SEQUENCES|TEMP|TEMPORARY)\\s*");
    Pattern DEALLOCATE = Pattern.compile("(?is)DEALLOCATE\\s+(PREPARE\\s+)?(\"[^\"]+\"|[A-Za-z_][A-Za-z0-9_]*)\\s*");

    /** Statements without rows that change nothing here, with their command tag. */
    record NoOp(String tag, TransactionChange transaction) implements PgCommand {
    }

    /** What a statement does to the (pretended) transaction block. */
    enum TransactionChange { NONE, BEGIN, END }

    /** {@code SET name = value} of a setting of the PostgreSQL session (or of a Weir session property). */
    record Set(String name, String value) implements PgCommand {
    }

    /** {@code RESET name} / {@code RESET ALL}. */
    record Reset(String name) implements PgCommand {
    }

    /** {@code SHOW name}. */
    record Show(String name) implements PgCommand {
    }

    /** {@code DECLARE name CURSOR FOR query}. */
    record Declare(String name, String query, int queryOffset) implements PgCommand {
    }

    /**
     * {@code FETCH [n | ALL] FROM name [WITH (timeout = '1s')]}.
     *
     * @param count rows to fetch at most; 0 for all
     * @param timeout how long to wait for the first row; empty to wait until there is one
     */
    record Fetch(String cursor, long count, Optional<Duration> timeout) implements PgCommand {
    }

    /** {@code CLOSE name} / {@code CLOSE ALL}. */
    record Close(String cursor) implements PgCommand {
    }

    /** {@code COPY (query) TO STDOUT}: the query's rows as text lines (or CSV). */
    record Copy(String query, int queryOffset, boolean csv, boolean header) implements PgCommand {
    }

    /** {@code DEALLOCATE name} / {@code DEALLOCATE ALL}: forgets a statement prepared with Parse. */
    record Deallocate(String name) implements PgCommand {
    }

    /**
     * A query of PostgreSQL's catalog about what Weir does not have (row-level security policies,
     * publications, extended statistics, rules, triggers, partitions, inheritance): no rows.
     */
    record NoRows(List<ResultColumn> columns) implements PgCommand {
        public NoRows {
            columns = List.copyOf(columns);
        }
    }

    /** Catalog relations of PostgreSQL that have no counterpart in Weir (pg_index: Weir has no indexes): always empty there. */
    String ABSENT_RELATIONS = "pg_policy|pg_statistic_ext|pg_publication\\w*|pg_rewrite|pg_trigger|pg_inherits|pg_partitioned_table|"
            + "pg_foreign_table|pg_sequence|pg_extension|pg_event_trigger|pg_partition_ancestors|pg_subscription\\w*|pg_index";
    Pattern ABSENT_CATALOG = Pattern.compile("(?is).*\\bpg_catalog\\.(" + ABSENT_RELATIONS + ")\\b.*");

    /** Whether {@code sql} reads catalog relations that are always empty in Weir. */
    static boolean readsAbsentCatalog(String sql) {
        return ABSENT_CATALOG.matcher(sql).matches();
    }

    /** The command {@code sql} is, if the endpoint answers it itself. */
    static Optional<PgCommand> of(String sql) {
        String text = PgSql.stripComments(sql).strip();
        if (BEGIN.matcher(text).matches()) {
            return Optional.of(new NoOp("BEGIN", TransactionChange.BEGIN));
        }
        if (COMMIT.matcher(text).matches()) {
            return Optional.of(new NoOp("COMMIT", TransactionChange.END));
        }
        if (ROLLBACK.matcher(text).matches()) {
            return Optional.of(new NoOp("ROLLBACK", TransactionChange.END));
        }
        if (SET_TRANSACTION.matcher(text).matches()) {
            return Optional.of(new NoOp("SET", TransactionChange.NONE));
        }
        Matcher m = SET_TIME_ZONE.matcher(text);
        if (m.matches()) {
            return Optional.of(new Set("timezone", value(m.group(2))));
        }
        m = SET.matcher(text);
        if (m.matches()) {
            return Optional.of(new Set(m.group(2).toLowerCase(Locale.ROOT), value(m.group(4))));
        }
        m = RESET.matcher(text);
        if (m.matches()) {
            return Optional.of(new Reset(m.group(1).toLowerCase(Locale.ROOT)));
        }
        m = SHOW.matcher(text);
        if (m.matches() && PgSettings.shows(m.group(1))) {
            return Optional.of(new Show(m.group(1).replaceAll("\\s+", " ").toLowerCase(Locale.ROOT)));
        }
        m = DECLARE.matcher(text);
        if (m.matches()) {
            return Optional.of(new Declare(name(m.group(1)), m.group(6), sql.indexOf(m.group(6))));
        }
        m = FETCH.matcher(text);
        if (m.matches()) {
            String count = m.group(2) == null ? "NEXT" : m.group(2).strip().toUpperCase(Locale.ROOT);
            long rows = switch (count) {
                case "NEXT" -> 1;
                case "ALL" -> 0;
                default -> Long.parseLong(count);
            };
            Optional<Duration> timeout = Optional.ofNullable(m.group(7)).map(PgCommand::duration);
            return Optional.of(new Fetch(name(m.group(5)), rows, timeout));
        }
        m = CLOSE.matcher(text);
        if (m.matches()) {
            return Optional.of(new Close(m.group(1).equalsIgnoreCase("ALL") ? null : name(m.group(1))));
        }
        m = COPY.matcher(text);
        if (m.matches()) {
            String source = m.group(1);
            String options = m.group(4) == null ? "" : m.group(4).toLowerCase(Locale.ROOT);
            boolean csv = options.matches("(?s).*format\\s+'?csv'?.*") || options.matches("(?s).*\\bcsv\\b.*");
            boolean header = options.matches("(?s).*\\bheader\\b(\\s+(true|on|1))?.*") && !options.matches("(?s).*header\\s+(false|off|0).*");
            String query = source.startsWith("(") ? source.substring(1, source.length() - 1) : "SELECT * FROM " + source;
            int offset = source.startsWith("(") ? sql.indexOf(source) + 1 : 0;
            return Optional.of(new Copy(query, Math.max(offset, 0), csv, header));
        }
        if (DISCARD.matcher(text).matches()) {
            return Optional.of(new NoOp("DISCARD " + text.substring(8).strip().toUpperCase(Locale.ROOT), TransactionChange.NONE));
        }
        m = DEALLOCATE.matcher(text);
        if (m.matches()) {
            return Optional.of(new Deallocate(m.group(2).equalsIgnoreCase("ALL") ? null : name(m.group(2))));
        }
        return Optional.empty();
    }

    private static String name(String identifier) {
        return identifier.startsWith("\"") ? identifier.substring(1, identifier.length() - 1) : identifier.toLowerCase(Locale.ROOT);
    }

    /** A setting's value as written: quotes removed, a list kept as written. */
    private static String value(String text) {
        String value = text.strip();
        if (value.length() >= 2 && value.startsWith("'") && value.endsWith("'") && value.indexOf('\'', 1) == value.length() - 1) {
            return value.substring(1, value.length() - 1);
        }
        return value;
    }

    /** A duration as PostgreSQL and Weir write them: '1s', '500ms', '2 min', '1.5 s', or milliseconds alone. */
    static Duration duration(String text) {
        Matcher m = Pattern.compile("(?i)\\s*(\\d+(?:\\.\\d+)?)\\s*(us|ms|s|sec|secs|seconds?|min|mins|minutes?|h|hours?|d|days?)?\\s*")
                .matcher(text);
        if (!m.matches()) {
            throw new WeirException(ErrorCode.INVALID_OPTION_VALUE, "'" + text + "' is not a duration; write e.g. '1s', '500ms' or '2min'");
        }
        double amount = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "ms" : m.group(2).toLowerCase(Locale.ROOT);
        double millis = switch (unit) {
            case "us" -> amount / 1000;
            case "ms" -> amount;
            case "s", "sec", "secs", "second", "seconds" -> amount * 1000;
            case "min", "mins", "minute", "minutes" -> amount * 60_000;
            case "h", "hour", "hours" -> amount * 3_600_000;
            default -> amount * 86_400_000;
        };
        return Duration.ofNanos((long) (millis * 1_000_000));
    }
}
