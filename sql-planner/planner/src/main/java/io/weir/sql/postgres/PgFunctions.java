package io.weir.sql.postgres;

import org.apache.calcite.schema.SchemaPlus;
import org.apache.calcite.schema.impl.ScalarFunctionImpl;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The functions of PostgreSQL's {@code pg_catalog} that clients call when they connect and browse the
 * catalog (psql's {@code \d} commands, pgjdbc's DatabaseMetaData), over Weir's catalog. The PostgreSQL
 * endpoint translates the regular-expression operators ({@code ~}) into {@link #regexp_match_op}.
 */
public final class PgFunctions {
    /** The one database Weir has, as PostgreSQL clients see it. */
    public static final String DATABASE = "weir";
    /** The owner every object has in pg_catalog: Weir's objects have no owners. */
    static final int OWNER_OID = 10;
    static final String OWNER = "weir";
    private static final Map<String, Pattern> PATTERNS = new ConcurrentHashMap<>();
    private static final int MAX_CACHED_PATTERNS = 1000;
    private static final String VERSION = serverVersion();

    private PgFunctions() {
    }

    /** Adds the functions to {@code schema}; to the root schema, they are found without {@code pg_catalog.}. */
    public static void register(SchemaPlus schema) {
        for (java.lang.reflect.Method method : PgFunctions.class.getDeclaredMethods()) {
            int modifiers = method.getModifiers();
            if (java.lang.reflect.Modifier.isPublic(modifiers) && java.lang.reflect.Modifier.isStatic(modifiers)
                    && !method.getName().equals("register")) {
                schema.add(method.getName(), ScalarFunctionImpl.create(method)); // overloads are added side by side
            }
        }
    }

    private static String serverVersion() {
        // the server's version resource, when the planner runs in the server
        try (InputStream in = PgFunctions.class.getClassLoader().getResourceAsStream("io/weir/server/weir-version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    public static String version() {
        return "PostgreSQL 15.0 (Weir " + VERSION + ") on Java " + Runtime.version().feature() + ", the Weir streaming SQL server";
    }

    /**
     * {@code to_timestamp(seconds)}: the instant {@code seconds} after 1970-01-01 UTC, as a TIMESTAMP in UTC (Weir's
     * timestamps are UTC wall-clock times); Grafana's time grouping macros call it.
     */
    public static java.sql.Timestamp to_timestamp(Double seconds) {
        if (seconds == null) {
            return null;
        }
        long millis = Math.round(seconds * 1000);
        // Calcite turns a java.sql.Timestamp into its local wall-clock time: hand it the UTC wall-clock time
        return java.sql.Timestamp.valueOf(java.time.LocalDateTime.ofEpochSecond(Math.floorDiv(millis, 1000),
                (int) Math.floorMod(millis, 1000) * 1_000_000, java.time.ZoneOffset.UTC));
    }

    public static String current_database() {
        return DATABASE;
    }

    public static String pg_current_schema() {
        return io.weir.sql.schema.WeirSchema.NAME;
    }

    /** Element {@code index} (from 1) of {@code current_schemas(implicit)}: pg_catalog (when implicit), then weir. */
    public static String current_schemas_item(Boolean implicit, Integer index) {
        java.util.List<String> schemas = Boolean.TRUE.equals(implicit) ? java.util.List.of(PgCatalogSchema.NAME,
                io.weir.sql.schema.WeirSchema.NAME) : java.util.List.of(io.weir.sql.schema.WeirSchema.NAME);
        return index == null || index < 1 || index > schemas.size() ? null : schemas.get(index - 1);
    }

    public static Boolean pg_table_is_visible(Integer oid) {
        return oid == null ? null : true;
    }

    public static Boolean pg_function_is_visible(Integer oid) {
        return oid == null ? null : true;
    }

    /** Weir keeps no relation files PostgreSQL's way: sizes are unknown (NULL), as for a foreign table. */
    public static Long pg_table_size(Integer oid) {
        return null;
    }

    public static Long pg_relation_size(Integer oid) {
        return null;
    }

    public static Long pg_total_relation_size(Integer oid) {
        return null;
    }

    public static String pg_size_pretty(Long bytes) {
        if (bytes == null) {
            return null;
        }
        String[] units = {"bytes", "kB", "MB", "GB", "TB"};
        double size = bytes;
        int unit = 0;
        while (Math.abs(size) >= 10 * 1024 && unit < units.length - 1) {
            size /= 1024;
            unit++;
        }
        return Math.round(size) + " " + units[unit];
    }

    public static String pg_get_function_result(Integer oid) {
        return null;
    }

    public static String pg_get_function_arguments(Integer oid) {
        return null;
    }

    public static Boolean pg_type_is_visible(Integer oid) {
        return oid == null ? null : true;
    }

    public static String pg_get_userbyid(Integer oid) {
        return oid == null ? null : OWNER;
    }

    /**
     * {@code quote_ident(name)}: the name as an identifier in SQL text, in double quotes unless it reads as
     * itself without them (lower-case letters, digits and underscores, not a reserved word).
     */
    public static String quote_ident(String name) {
        if (name == null) {
            return null;
        }
        if (name.matches("[a-z_][a-z0-9_$]*") && !io.weir.sql.parser.WeirSqlParser.isReservedWord(name)) {
            return name;
        }
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    public static String format_type(Integer oid, Integer modifier) {
        return PostgresTypes.format(oid, modifier);
    }

    public static String obj_description(Integer oid, String catalog) {
        return null;
    }

    public static String col_description(Integer oid, Integer column) {
        return null;
    }

    public static String shobj_description(Integer oid, String catalog) {
        return null;
    }

    public static String pg_get_expr(String expression, Integer relation) {
        return expression;
    }

    public static String pg_get_expr(String expression, Integer relation, Boolean pretty) {
        return expression;
    }

    public static String pg_get_constraintdef(Integer oid) {
        return null;
    }

    public static String pg_get_constraintdef(Integer oid, Boolean pretty) {
        return null;
    }

    public static String pg_get_indexdef(Integer oid, Integer column, Boolean pretty) {
        return null;
    }

    /** Weir's relations are not partitioned: a relation's only ancestor is itself. */
    public static Integer pg_partition_ancestors(String relation) {
        return regclass_oid(relation);
    }

    public static String pg_get_viewdef(Integer oid) {
        return null;
    }

    /**
     * An array's elements joined, NULLs left out as in PostgreSQL (psql's {@code \\dp} reads ACL arrays); over the text
     * Weir keeps where PostgreSQL has arrays (ACLs, options), the text itself. One method for both: Calcite does not
     * choose between overloads that differ in an ARRAY and a VARCHAR parameter.
     */
    public static String array_to_string(Object array, String separator) {
        if (array == null || separator == null) {
            return null;
        }
        if (array instanceof java.util.List<?> elements) {
            return elements.stream().filter(java.util.Objects::nonNull).map(String::valueOf)
                    .collect(java.util.stream.Collectors.joining(separator));
        }
        return String.valueOf(array);
    }

    /** The size of the database: Weir's streams and tables keep no rows of their own to count. */
    public static Long pg_database_size(String database) {
        return null;
    }

    /** A function's SQL body (PostgreSQL 14's BEGIN ATOMIC functions): Weir's functions are Java classes. */
    public static String pg_get_function_sqlbody(Integer oid) {
        return null;
    }

    public static String pg_encoding_to_char(Integer encoding) {
        return "UTF8";
    }

    public static Integer pg_backend_pid() {
        return 0;
    }

    public static Long pg_postmaster_start_time() {
        return null;
    }

    /** Whether the session's user may read the table: checked when the query runs; catalogs list what exists. */
    public static Boolean has_table_privilege(String table, String privilege) {
        return true;
    }

    public static Boolean has_schema_privilege(String schema, String privilege) {
        return true;
    }

    public static Boolean has_database_privilege(String database, String privilege) {
        return true;
    }

    /**
     * {@code 'name'::regclass}: the OID of a relation named {@code name} (in pg_catalog or Weir's schema), or
     * the number itself when given one.
     */
    public static Integer regclass_oid(String name) {
        if (name == null) {
            return null;
        }
        String trimmed = name.strip();
        if (trimmed.matches("\\d+")) {
            return Integer.valueOf(trimmed);
        }
        return PgCatalogSchema.relationOid(trimmed);
    }

    /** PostgreSQL's POSIX regular-expression match ({@code ~}, {@code ~*} with flags 'i'). */
    public static Boolean regexp_match_op(String text, String pattern, String flags) {
        if (text == null || pattern == null) {
            return null;
        }
        boolean insensitive = flags != null && flags.contains("i");
        String key = (insensitive ? "i:" : "c:") + pattern;
        Pattern compiled = PATTERNS.get(key);
        if (compiled == null) {
            try {
                compiled = Pattern.compile(pattern, insensitive ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("invalid regular expression: " + e.getDescription());
            }
            if (PATTERNS.size() < MAX_CACHED_PATTERNS) {
                PATTERNS.put(key, compiled);
            }
        }
        return compiled.matcher(text).find();
    }
}
