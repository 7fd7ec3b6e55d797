package io.weir.jdbc;

import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;

import static java.util.Objects.requireNonNull;

/**
 * What one {@code connect} call asks for: the user's properties (those passed to {@code connect},
 * overridden by those in the URL, as Avatica's own connect strings do), and the Avatica client
 * properties derived from them.
 *
 * @param warnings what the connection should report as warnings (unknown properties, with
 *        {@code unknown_properties=warn})
 * @param tls whether the connection uses TLS and whom it trusts
 */
record ConnectionSettings(WeirUrl url, WeirUrl.Serialization serialization, Properties userProperties,
                          List<String> warnings, ClientTls tls) {
    /** Avatica's client property naming the server's HTTP address; derived, never set by users. */
    static final String AVATICA_URL = "url";
    /** Avatica's client settings for HTTP authentication, which {@code user} and {@code password} set. */
    static final String AVATICA_AUTHENTICATION = "authentication";
    static final String AVATICA_USER = "avatica_user";
    static final String AVATICA_PASSWORD = "avatica_password";
    private static final String REJECT = "reject";
    private static final String WARN = "warn";

    ConnectionSettings {
        requireNonNull(url, "url is null");
        requireNonNull(serialization, "serialization is null");
        requireNonNull(userProperties, "userProperties is null");
        warnings = List.copyOf(warnings);
        requireNonNull(tls, "tls is null");
    }

    static ConnectionSettings of(WeirUrl url, Properties info) throws SQLException {
        Properties user = merged(url, info);
        for (String name : user.stringPropertyNames()) {
            if (name.toLowerCase(Locale.ROOT).equals(AVATICA_URL)) {
                throw new SQLException("Property '" + name + "' cannot be set: the server address comes from the "
                        + WeirUrl.PREFIX + "// URL", WeirUrl.SQLSTATE_BAD_URL);
            }
        }
        String serialization = user.getProperty(DriverProperty.SERIALIZATION.key(),
                DriverProperty.SERIALIZATION.defaultValue());
        String policy = unknownPropertiesPolicy(user);
        List<String> unknown = KnownProperties.unknown(new TreeSet<>(user.stringPropertyNames()));
        List<String> warnings = List.of();
        if (!unknown.isEmpty()) {
            String description = KnownProperties.describe(unknown);
            if (policy.equals(REJECT)) {
                throw new SQLException(description + " Correct the name, or set " + DriverProperty.UNKNOWN_PROPERTIES.key()
                        + "=" + WARN + " to connect anyway", WeirUrl.SQLSTATE_BAD_URL);
            }
            warnings = List.of(description + " They have no effect in Weir's driver (" + DriverProperty.UNKNOWN_PROPERTIES.key()
                    + "=" + WARN + ")");
        }
        return new ConnectionSettings(url, WeirUrl.Serialization.of(serialization), user, warnings, ClientTls.of(user));
    }

    /** The properties passed to {@code connect}, overridden by those in the URL; not checked. */
    static Properties merged(WeirUrl url, Properties info) {
        Properties user = new Properties();
        if (info != null) {
            for (String name : info.stringPropertyNames()) {
                user.setProperty(name, info.getProperty(name));
            }
        }
        for (Map.Entry<String, String> property : url.properties().entrySet()) {
            user.setProperty(property.getKey(), property.getValue());
        }
        return user;
    }

    private static String unknownPropertiesPolicy(Properties user) throws SQLException {
        String key = DriverProperty.UNKNOWN_PROPERTIES.key();
        String value = null;
        for (String name : user.stringPropertyNames()) {
            if (name.equalsIgnoreCase(key)) {
                value = user.getProperty(name).trim().toLowerCase(Locale.ROOT);
            }
        }
        if (value == null) {
            return DriverProperty.UNKNOWN_PROPERTIES.defaultValue();
        }
        if (!value.equals(REJECT) && !value.equals(WARN)) {
            throw new SQLException("Unknown value '" + value + "' of " + key + ": use " + REJECT + " (the default) or "
                    + WARN, WeirUrl.SQLSTATE_BAD_URL);
        }
        return value;
    }

    /** The server's HTTP endpoint for the chosen serialization ({@code https} with {@code ssl=true}). */
    String httpUrl() {
        return url.httpUrl(serialization, tls.enabled());
    }

    /**
     * The properties the Avatica client is configured with. {@code user} and {@code password} become HTTP Basic
     * credentials, which Avatica's HTTP client sends with every request once the server asked for them
     * (unless Avatica's own {@code authentication} or {@code avatica_user} are given).
     */
    Properties avaticaProperties() {
        Properties properties = new Properties();
        for (String name : userProperties.stringPropertyNames()) {
            properties.setProperty(name, userProperties.getProperty(name));
        }
        properties.setProperty(AVATICA_URL, httpUrl());
        properties.setProperty(DriverProperty.SERIALIZATION.key(), serialization.name());
        // Avatica's own default is 100 rows a round trip
        properties.putIfAbsent(DriverProperty.FETCH_SIZE.key(), DriverProperty.FETCH_SIZE.defaultValue());
        String user = property(DriverProperty.USER.key());
        // tools such as sqlline pass an empty user when none was given: that is no user
        if (user != null && !user.isEmpty() && property(AVATICA_AUTHENTICATION) == null && property(AVATICA_USER) == null) {
            properties.setProperty(AVATICA_AUTHENTICATION, "BASIC");
            properties.setProperty(AVATICA_USER, user);
            String password = property(DriverProperty.PASSWORD.key());
            // Avatica sends no credentials without a password: an empty one is still a password
            properties.setProperty(AVATICA_PASSWORD, password == null ? "" : password);
        }
        return properties;
    }

    /** A user property by name, ignoring case (as Avatica's names do); null when not set. */
    private String property(String name) {
        for (String key : userProperties.stringPropertyNames()) {
            if (key.equalsIgnoreCase(name)) {
                return userProperties.getProperty(key);
            }
        }
        return null;
    }
}
