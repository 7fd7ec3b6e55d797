package io.weir.jdbc;

import java.sql.SQLException;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

import static java.util.Objects.requireNonNull;

/**
 * What one {@code connect} call asks for: the user's properties (those passed to {@code connect},
 * overridden by those in the URL, as Avatica's own connect strings do), and the Avatica client
 * properties derived from them.
 */
record ConnectionSettings(WeirUrl url, WeirUrl.Serialization serialization, Properties userProperties) {
    /** Avatica's client property naming the server's HTTP address; derived, never set by users. */
    static final String AVATICA_URL = "url";

    ConnectionSettings {
        requireNonNull(url, "url is null");
        requireNonNull(serialization, "serialization is null");
        requireNonNull(userProperties, "userProperties is null");
    }

    static ConnectionSettings of(WeirUrl url, Properties info) throws SQLException {
        Properties user = new Properties();
        if (info != null) {
            for (String name : info.stringPropertyNames()) {
                user.setProperty(name, info.getProperty(name));
            }
        }
        for (Map.Entry<String, String> property : url.properties().entrySet()) {
            user.setProperty(property.getKey(), property.getValue());
        }
        for (String name : user.stringPropertyNames()) {
            if (name.toLowerCase(Locale.ROOT).equals(AVATICA_URL)) {
                throw new SQLException("Property '" + name + "' cannot be set: the server address comes from the "
                        + WeirUrl.PREFIX + "// URL", WeirUrl.SQLSTATE_BAD_URL);
            }
        }
        String serialization = user.getProperty(DriverProperty.SERIALIZATION.key(),
                DriverProperty.SERIALIZATION.defaultValue());
        return new ConnectionSettings(url, WeirUrl.Serialization.of(serialization), user);
    }

    /** The server's HTTP endpoint for the chosen serialization. */
    String httpUrl() {
        return url.httpUrl(serialization);
    }

    /** The properties the Avatica client is configured with. */
    Properties avaticaProperties() {
        Properties properties = new Properties();
        for (String name : userProperties.stringPropertyNames()) {
            properties.setProperty(name, userProperties.getProperty(name));
        }
        properties.setProperty(AVATICA_URL, httpUrl());
        properties.setProperty(DriverProperty.SERIALIZATION.key(), serialization.name());
        return properties;
    }
}
