package io.weir.server.pg;

import io.weir.sql.postgres.PgCatalogSchema;
import io.weir.sql.schema.WeirSchema;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * pgjdbc's catalog queries that Weir's grammar cannot read as written, in forms it plans: the
 * {@code DatabaseMetaData} calls about keys and indexes ({@code getPrimaryKeys}, {@code getIndexInfo},
 * {@code getImportedKeys}, {@code getExportedKeys}, {@code getCrossReference}, {@code getBestRowIdentifier}),
 * which DBeaver and Metabase make when they describe a table, and {@code TypeInfoCache}'s lookups of a type
 * by name or OID. They use PostgreSQL's set-returning functions in the SELECT list, field access on their
 * rows, array subscripts, {@code generate_series} and the search path as an array. Weir has no indexes
 * and no foreign keys (those calls answer no rows, with pgjdbc's columns) and lists primary keys in
 * {@code information_schema.key_column_usage}. Each rewrite keeps the query's {@code $n} parameters in
 * their order and its result columns. The queries are recognized by fragments of pgjdbc 42.x's text.
 * Also folded in: what clients read of the session ({@code current_setting(...)}, Grafana's search-path
 * subquery) and {@code parse_ident} of literals (Grafana's column picker), and SQLAlchemy's primary-key query.
 */
final class PgDriverQueries {
    /** A comparison pgjdbc writes for a name it was given: {@code = $1} or {@code = 'name'}. */
    private static final String VALUE = "(\\$\\d+|'(?:[^']|'')*')";
    private static final Pattern SCHEMA_IS = Pattern.compile("(?i)\\bn\\.nspname\\s*=\\s*" + VALUE);
    private static final Pattern TABLE_IS = Pattern.compile("(?i)\\bct\\.relname\\s*=\\s*" + VALUE);
    private static final Pattern PARAMETER = Pattern.compile("\\$\\d+");

    /** SQLAlchemy's (1.4, 2.0) query for a table's primary key columns, with the table's OID as it inlines it. */
    private static final Pattern SQLALCHEMY_PRIMARY_KEY = Pattern.compile(
            "(?is)unnest\\s*\\(\\s*ix\\.indkey\\s*\\).*ix\\.indrelid\\s*=\\s*(\\d+|\\$\\d+)\\s+AND\\s+ix\\.indisprimary");

    /** TypeInfoCache's ranking of a type's schema by its place in the search path. */
    private static final Pattern SEARCH_PATH_RANK = Pattern.compile(
            "(?is)LEFT\\s+JOIN\\s*\\(\\s*select\\s+ns\\.oid\\s+as\\s+nspoid.*?using\\s*\\(\\s*nspname\\s*\\)\\s*\\)\\s*as\\s+sp");
    /** {@code x = ANY (current_schemas(b))}: membership in the search path (with pg_catalog when b). */
    private static final Pattern IN_CURRENT_SCHEMAS = Pattern.compile(
            "(?i)=\\s*ANY\\s*\\(\\s*(?:pg_catalog\\.)?current_schemas\\s*\\(\\s*(true|false)\\s*\\)\\s*\\)");
    /** {@code 'pg_catalog.array_in'::regproc}: a function's name, which Weir's pg_type holds as text. */
    private static final Pattern REGPROC_LITERAL = Pattern.compile("(?i)'(?:pg_catalog\\.)?(\\w+)'\\s*::\\s*regproc\\b");
    /**
     * psql's {@code \d+ name}: a table's storage options with its TOAST table's ({@code unnest} of an array in a
     * sub-query). Weir's relations have no storage options: the text is empty, which psql shows as none.
     */
    private static final Pattern STORAGE_OPTIONS = Pattern.compile("(?is)(?:pg_catalog\\.)?array_to_string\\s*\\(\\s*c\\.reloptions\\s*"
            + "\\|\\|\\s*array\\s*\\(\\s*select\\s+'toast\\.'\\s*\\|\\|\\s*x\\s+from\\s+(?:pg_catalog\\.)?unnest\\s*\\(\\s*tc\\.reloptions\\s*\\)"
            + "\\s+x\\s*\\)\\s*,\\s*', '\\s*\\)");

    private static final List<String> INDEX_INFO_COLUMNS = List.of("TABLE_CAT VARCHAR", "TABLE_SCHEM VARCHAR",
            "TABLE_NAME VARCHAR", "NON_UNIQUE BOOLEAN", "INDEX_QUALIFIER VARCHAR", "INDEX_NAME VARCHAR", "TYPE SMALLINT",
            "ORDINAL_POSITION SMALLINT", "COLUMN_NAME VARCHAR", "ASC_OR_DESC VARCHAR", "CARDINALITY REAL", "PAGES INTEGER",
            "FILTER_CONDITION VARCHAR", "REMARKS VARCHAR");
    private static final List<String> FOREIGN_KEY_COLUMNS = List.of("PKTABLE_CAT VARCHAR", "PKTABLE_SCHEM VARCHAR",
            "PKTABLE_NAME VARCHAR", "PKCOLUMN_NAME VARCHAR", "FKTABLE_CAT VARCHAR", "FKTABLE_SCHEM VARCHAR", "FKTABLE_NAME VARCHAR",
            "FKCOLUMN_NAME VARCHAR", "KEY_SEQ SMALLINT", "UPDATE_RULE SMALLINT", "DELETE_RULE SMALLINT", "FK_NAME VARCHAR",
            "PK_NAME VARCHAR", "DEFERRABILITY SMALLINT");

    private PgDriverQueries() {
    }

    /** Grafana's search path as a set of schemas: the elements of {@code string_to_array(current_setting('search_path'), ',')}. */
    private static final Pattern SEARCH_PATH_SET = Pattern.compile("(?is)\\(\\s*SELECT\\s+CASE\\s+WHEN\\s+trim\\(\\s*s\\[i]\\s*\\)\\s*=\\s*"
            + "'\"\\$user\"'\\s+THEN\\s+user\\s+ELSE\\s+trim\\(\\s*s\\[i]\\s*\\)\\s+END\\s+FROM\\s+generate_series\\s*\\(.*?\\)\\s+as\\s+i\\s*,"
            + "\\s*string_to_array\\(\\s*current_setting\\(\\s*'search_path'\\s*\\)\\s*,\\s*','\\s*\\)\\s+s\\s*\\)");
    /** {@code current_setting('name')}: the session's setting, as a literal. */
    private static final Pattern CURRENT_SETTING = Pattern.compile(
            "(?i)(?<![\\w.])(?:pg_catalog\\.)?current_setting\\s*\\(\\s*'([\\w.]+)'\\s*(?:,\\s*(?:true|false)\\s*)?\\)");
    /** {@code parse_ident('literal')} taken apart where the literal is known: its length and its elements. */
    private static final Pattern PARSE_IDENT_LENGTH = Pattern.compile(
            "(?i)array_length\\s*\\(\\s*(?:pg_catalog\\.)?parse_ident\\s*\\(\\s*'((?:[^']|'')*)'\\s*\\)\\s*,\\s*1\\s*\\)");
    private static final Pattern PARSE_IDENT_ELEMENT = Pattern.compile(
            "(?i)\\(\\s*(?:pg_catalog\\.)?parse_ident\\s*\\(\\s*'((?:[^']|'')*)'\\s*\\)\\s*\\)\\s*\\[\\s*(\\d+)\\s*]");

    /** {@code sql} in a form Weir plans, if it is one of the driver queries this knows; else {@code sql} itself. */
    static String rewrite(String sql) {
        return rewrite(sql, name -> null);
    }

    /**
     * {@link #rewrite(String)}, with the session's settings (a name's value, or null) for what clients read of them in
     * their queries ({@code current_setting}, Grafana's search path).
     */
    static String rewrite(String sql, java.util.function.Function<String, String> setting) {
        String settled = sessionValues(sql, setting);
        return keysOrIndexes(settled).orElseGet(() -> PgAbsentCatalog.withoutAbsentSubqueries(typeLookup(settled)));
    }

    /** The session's settings and literal identifiers in place of the expressions that compute them. */
    private static String sessionValues(String sql, java.util.function.Function<String, String> setting) {
        String out = sql;
        if (out.toLowerCase(Locale.ROOT).contains("current_setting")) {
            String searchPath = setting.apply("search_path");
            String user = setting.apply("session_authorization");
            Matcher searchPathSet = SEARCH_PATH_SET.matcher(out);
            if (searchPath != null && searchPathSet.find()) {
                // Grafana's table picker: the schemas of the search path
                List<String> schemas = new ArrayList<>();
                for (String element : searchPath.split(",")) {
                    String schema = element.trim();
                    schemas.add(literal(schema.equals("\"$user\"") && user != null ? user : schema));
                }
                out = searchPathSet.replaceAll(Matcher.quoteReplacement("(" + String.join(", ", schemas) + ")"));
            }
            out = CURRENT_SETTING.matcher(out).replaceAll(match -> {
                String value = setting.apply(match.group(1));
                return Matcher.quoteReplacement(value == null ? match.group() : literal(value));
            });
        }
        if (out.toLowerCase(Locale.ROOT).contains("parse_ident")) {
            out = PARSE_IDENT_LENGTH.matcher(out).replaceAll(match -> Integer.toString(identParts(match.group(1)).size()));
            out = PARSE_IDENT_ELEMENT.matcher(out).replaceAll(match -> {
                List<String> parts = identParts(match.group(1));
                int index = Integer.parseInt(match.group(2));
                return Matcher.quoteReplacement(index >= 1 && index <= parts.size() ? literal(parts.get(index - 1)) : "NULL");
            });
        }
        return out;
    }

    private static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    /** PostgreSQL's parse_ident of a (SQL-quoted) text: its dot-separated names, unquoted ones in lower case. */
    static List<String> identParts(String quotedText) {
        String text = quotedText.replace("''", "'");
        List<String> parts = new ArrayList<>();
        StringBuilder part = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                if (quoted && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    part.append('"');
                    i++;
                } else {
                    quoted = !quoted;
                }
            } else if (c == '.' && !quoted) {
                parts.add(part.toString());
                part.setLength(0);
            } else {
                part.append(quoted ? c : Character.toLowerCase(c));
            }
        }
        parts.add(part.toString());
        return parts;
    }

    private static Optional<String> keysOrIndexes(String sql) {
        if (sql.contains("_pg_expandarray(con.conkey)") && sql.contains("con.contype = 'p'")) {
            return Optional.of("SELECT current_database() AS \"TABLE_CAT\", k.table_schema AS \"TABLE_SCHEM\","
                    + " k.table_name AS \"TABLE_NAME\", k.column_name AS \"COLUMN_NAME\", k.ordinal_position AS \"KEY_SEQ\","
                    + " k.constraint_name AS \"PK_NAME\" FROM information_schema.key_column_usage k WHERE true"
                    + sameNames(sql, "k.table_schema", "k.table_name") + " ORDER BY \"TABLE_NAME\", \"PK_NAME\", \"KEY_SEQ\"");
        }
        if (sql.contains("\"INDEX_QUALIFIER\"") && sql.contains("pg_catalog.pg_index")) {
            return Optional.of(noRows(INDEX_INFO_COLUMNS, sql));
        }
        if (sql.contains("\"FKTABLE_CAT\"") && sql.contains("pg_catalog.pg_constraint")) {
            return Optional.of(noRows(FOREIGN_KEY_COLUMNS, sql));
        }
        if (sql.contains("_pg_expandarray(i.indkey) AS keys") && sql.contains("i.indisprimary")) {
            // getBestRowIdentifier: the primary key's columns, with their types
            return Optional.of("SELECT a.attname, a.atttypid, a.atttypmod FROM pg_catalog.pg_class ct"
                    + " JOIN pg_catalog.pg_attribute a ON (ct.oid = a.attrelid)"
                    + " JOIN pg_catalog.pg_namespace n ON (ct.relnamespace = n.oid)"
                    + " JOIN information_schema.key_column_usage k ON (k.table_schema = n.nspname AND k.table_name = ct.relname"
                    + " AND k.column_name = a.attname) WHERE true" + sameNames(sql, "n.nspname", "ct.relname") + " ORDER BY a.attnum");
        }
        Matcher sqlAlchemyKey = SQLALCHEMY_PRIMARY_KEY.matcher(sql);
        if (sqlAlchemyKey.find()) {
            // SQLAlchemy's get_pk_constraint: the key's columns in order (from unnest(ix.indkey) of the primary key's index)
            return Optional.of("SELECT a.attname FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON (c.oid = a.attrelid)"
                    + " JOIN information_schema.key_column_usage k ON (k.table_name = c.relname AND k.column_name = a.attname)"
                    + " WHERE a.attrelid = " + sqlAlchemyKey.group(1) + " ORDER BY k.ordinal_position");
        }
        return Optional.empty();
    }

    /** The conditions on the schema and table name of {@code sql}, on the given columns, in their order in {@code sql}. */
    private static String sameNames(String sql, String schemaColumn, String tableColumn) {
        // the conditions in the order of the comparisons they replace, so that $n parameters keep their order
        java.util.TreeMap<Integer, String> conditions = new java.util.TreeMap<>();
        Matcher schema = SCHEMA_IS.matcher(sql);
        if (schema.find()) {
            conditions.put(schema.start(), " AND " + schemaColumn + " = " + schema.group(1));
        }
        Matcher table = TABLE_IS.matcher(sql);
        if (table.find()) {
            conditions.put(table.start(), " AND " + tableColumn + " = " + table.group(1));
        }
        return String.join("", conditions.values());
    }

    /** A query of {@code columns} ("NAME TYPE") without rows that still takes every parameter of {@code sql}. */
    private static String noRows(List<String> columns, String sql) {
        StringBuilder out = new StringBuilder("SELECT ");
        for (int i = 0; i < columns.size(); i++) {
            String[] column = columns.get(i).split(" ");
            out.append(i == 0 ? "" : ", ").append("CAST(NULL AS ").append(column[1]).append(") AS \"").append(column[0]).append('"');
        }
        out.append(" FROM (VALUES (0)) AS t (x) WHERE x <> 0");
        Matcher parameter = PARAMETER.matcher(sql);
        while (parameter.find()) {
            out.append(" AND CAST(").append(parameter.group()).append(" AS VARCHAR) IS NOT NULL");
        }
        return out.toString();
    }

    /** TypeInfoCache's lookups: the search path as a ranking and as a set, regproc literals as names. */
    private static String typeLookup(String sql) {
        String out = sql;
        if (SEARCH_PATH_RANK.matcher(out).find()) {
            out = SEARCH_PATH_RANK.matcher(out).replaceAll(Matcher.quoteReplacement(
                    "LEFT JOIN (SELECT oid AS nspoid, nspname, CASE WHEN nspname = '" + WeirSchema.NAME + "' THEN 1 END AS r"
                            + " FROM pg_catalog.pg_namespace) AS sp"));
        }
        Matcher in = IN_CURRENT_SCHEMAS.matcher(out);
        if (in.find()) {
            out = in.replaceAll(match -> match.group(1).toLowerCase(Locale.ROOT).equals("true")
                    ? "IN ('" + PgCatalogSchema.NAME + "', '" + WeirSchema.NAME + "')" : "IN ('" + WeirSchema.NAME + "')");
        }
        Matcher storageOptions = STORAGE_OPTIONS.matcher(out);
        if (storageOptions.find()) {
            out = storageOptions.replaceAll("''");
        }
        Matcher regproc = REGPROC_LITERAL.matcher(out);
        if (regproc.find()) {
            out = regproc.replaceAll("'$1'");
        }
        return out;
    }
}
