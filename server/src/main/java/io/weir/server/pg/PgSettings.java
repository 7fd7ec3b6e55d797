package io.weir.server.pg;

import io.weir.server.meta.ServerVersion;
import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.sql.session.SessionOptions;
import io.weir.sql.session.SessionProperties;

import java.time.Duration;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The settings of a PostgreSQL session as clients see them in ParameterStatus, SET and SHOW. Most are
 * fixed by what Weir sends (UTF-8, ISO dates, integer date-times); {@code TimeZone} and
 * {@code statement_timeout} are Weir's session properties 'time-zone' and 'statement.timeout', and Weir's
 * own properties may be set by their names too ({@code SET batch.interval = '1s'}). Others a client sets
 * ({@code application_name}, {@code extra_float_digits}, {@code search_path}) are kept and shown back.
 */
final class PgSettings {
    /** The PostgreSQL version clients are told: the protocol and catalog Weir follows. */
    static final String POSTGRES_VERSION = "15.0";
    /** Settings PostgreSQL reports to the client in ParameterStatus when they change. */
    private static final Set<String> REPORTED = Set.of("application_name", "client_encoding", "datestyle", "integer_datetimes",
            "intervalstyle", "is_superuser", "server_encoding", "server_version", "session_authorization",
            "standard_conforming_strings", "timezone");
    /** Settings whose value is fixed: what Weir sends is in this form. */
    private static final Map<String, List<String>> FIXED = Map.of(
            "client_encoding", List.of("utf8", "utf-8", "unicode"),
            "standard_conforming_strings", List.of("on", "true"),
            "integer_datetimes", List.of("on"),
            "server_encoding", List.of("utf8"));
    private static final Map<String, String> CANONICAL_NAMES = Map.of("datestyle", "DateStyle", "timezone", "TimeZone",
            "intervalstyle", "IntervalStyle");

    private final SessionProperties properties;
    private final Map<String, String> values = new LinkedHashMap<>();

    PgSettings(SessionProperties properties, String user) {
        this.properties = properties;
        values.put("server_version", POSTGRES_VERSION + " (Weir " + ServerVersion.VERSION + ")");
        values.put("server_version_num", "150000");
        values.put("server_encoding", "UTF8");
        values.put("client_encoding", "UTF8");
        values.put("datestyle", "ISO, MDY");
        values.put("intervalstyle", "postgres");
        values.put("integer_datetimes", "on");
        values.put("standard_conforming_strings", "on");
        values.put("application_name", "");
        values.put("is_superuser", "off");
        values.put("session_authorization", user);
        values.put("extra_float_digits", "1");
        values.put("search_path", "weir, pg_catalog");
        values.put("transaction isolation level", "read committed");
        values.put("transaction_isolation", "read committed");
        values.put("default_transaction_isolation", "read committed");
        values.put("default_transaction_read_only", "off");
        values.put("transaction_read_only", "off");
        values.put("max_identifier_length", "63");
        values.put("lc_collate", "C");
        values.put("lc_ctype", "C");
        values.put("lc_messages", "C");
        values.put("bytea_output", "hex");
        values.put("client_min_messages", "notice");
    }

    /** Whether {@code SHOW name} is answered from the session's settings (else it is one of Weir's SHOWs). */
    static boolean shows(String name) {
        String key = name.replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
        return !Set.of("streams", "tables", "views", "queries", "connectors", "formats", "users", "tokens", "materialized")
                .contains(key);
    }

    /** Every setting with its value, as SHOW ALL lists them: PostgreSQL's, then Weir's session properties. */
    Map<String, String> all() {
        Map<String, String> all = new java.util.TreeMap<>();
        for (String name : values.keySet()) {
            if (!name.contains(" ")) {
                all.put(displayName(name), values.get(name));
            }
        }
        all.put("TimeZone", get("timezone"));
        all.put("statement_timeout", get("statement_timeout"));
        for (var option : SessionOptions.ALL) {
            all.put(option.key(), properties.get(option));
        }
        return all;
    }

    /** The settings reported at startup, with their values. */
    Map<String, String> reported() {
        Map<String, String> reported = new LinkedHashMap<>();
        for (String name : List.of("server_version", "server_encoding", "client_encoding", "application_name", "datestyle",
                "integer_datetimes", "intervalstyle", "is_superuser", "session_authorization", "standard_conforming_strings",
                "timezone")) {
            reported.put(displayName(name), get(name));
        }
        return reported;
    }

    static String displayName(String name) {
        return CANONICAL_NAMES.getOrDefault(name, name);
    }

    /** The value of {@code name}, as SHOW answers it. */
    String get(String name) {
        String key = name.toLowerCase(Locale.ROOT);
        if (key.equals("timezone")) {
            return properties.get(SessionOptions.TIME_ZONE);
        }
        if (key.equals("statement_timeout")) {
            return properties.duration(SessionOptions.STATEMENT_TIMEOUT).toMillis() + "ms";
        }
        if (weirProperty(key)) {
            return properties.get(SessionOptions.ALL.stream().filter(option -> option.key().equals(key)).findFirst().orElseThrow());
        }
        String value = values.get(key);
        if (value == null) {
            throw new WeirException(ErrorCode.UNKNOWN_OPTION, "unrecognized configuration parameter \"" + name + "\"");
        }
        return value;
    }

    /**
     * Sets {@code name}; returns the name to report to the client in ParameterStatus, if PostgreSQL reports it.
     *
     * @throws WeirException when the value is not one Weir can honour
     */
    java.util.Optional<String> set(String name, String value) {
        String key = name.toLowerCase(Locale.ROOT);
        List<String> fixed = FIXED.get(key);
        if (fixed != null) {
            if (!fixed.contains(value.toLowerCase(Locale.ROOT))) {
                throw new WeirException(ErrorCode.INVALID_OPTION_VALUE, "Weir supports only " + values.get(key) + " for \""
                        + name + "\"");
            }
            return java.util.Optional.empty();
        }
        switch (key) {
            case "timezone" -> {
                String zone = value.equalsIgnoreCase("local") || value.equalsIgnoreCase("default") ? "UTC" : value;
                try {
                    ZoneId.of(zone);
                } catch (RuntimeException e) {
                    throw new WeirException(ErrorCode.INVALID_OPTION_VALUE, "invalid value for parameter \"TimeZone\": \"" + value + "\"");
                }
                properties.set(SessionOptions.TIME_ZONE.key(), zone);
            }
            case "statement_timeout" -> {
                Duration timeout = PgCommand.duration(value.equalsIgnoreCase("default") ? "0" : value);
                properties.set(SessionOptions.STATEMENT_TIMEOUT.key(), timeout.toMillis() + " ms");
            }
            case "datestyle" -> {
                if (!value.toUpperCase(Locale.ROOT).startsWith("ISO")) {
                    throw new WeirException(ErrorCode.INVALID_OPTION_VALUE, "Weir supports only DateStyle 'ISO, MDY'");
                }
            }
            default -> {
                if (weirProperty(key)) {
                    properties.set(key, value);
                } else {
                    values.put(key, value);
                }
            }
        }
        return REPORTED.contains(key) ? java.util.Optional.of(displayName(key)) : java.util.Optional.empty();
    }

    /** Resets {@code name} ({@code all}: every setting a client may change) to its default. */
    java.util.Optional<String> reset(String name) {
        String key = name.toLowerCase(Locale.ROOT);
        if (key.equals("all")) {
            properties.reset(null);
            values.put("application_name", "");
            return java.util.Optional.of("TimeZone");
        }
        if (key.equals("timezone")) {
            properties.reset(SessionOptions.TIME_ZONE.key());
        } else if (key.equals("statement_timeout")) {
            properties.reset(SessionOptions.STATEMENT_TIMEOUT.key());
        } else if (weirProperty(key)) {
            properties.reset(key);
        } else if (key.equals("application_name")) {
            values.put(key, "");
        }
        return REPORTED.contains(key) ? java.util.Optional.of(displayName(key)) : java.util.Optional.empty();
    }

    private static boolean weirProperty(String key) {
        return SessionOptions.ALL.stream().anyMatch(option -> option.key().equals(key));
    }
}
