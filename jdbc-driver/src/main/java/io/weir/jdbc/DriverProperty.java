package io.weir.jdbc;

import java.sql.DriverPropertyInfo;
import java.util.List;
import java.util.Properties;

/**
 * The connection properties the driver documents (through {@link java.sql.Driver#getPropertyInfo}).
 * Avatica's own client settings (such as {@code avatica_user} or {@code truststore}) are accepted as
 * well and reach the HTTP client; any other property is refused (see {@link #UNKNOWN_PROPERTIES}).
 * Every property reaches the server when the connection opens.
 */
public enum DriverProperty {
    SERIALIZATION("serialization", "protobuf", List.of("protobuf", "json"),
            "Wire format: protobuf (compact, the default) or json (readable, for debugging)."),
    USER("user", null, List.of(),
            "User to log in as, on a server with users (HTTP Basic authentication, sent with every request)."),
    PASSWORD("password", null, List.of(),
            "The user's password."),
    HTTP_CONNECTION_TIMEOUT("http_connection_timeout", "180000", List.of(),
            "Milliseconds to wait for the TCP connection to the server."),
    HTTP_RESPONSE_TIMEOUT("http_response_timeout", "180000", List.of(),
            "Milliseconds to wait for one server response; keep it well above the server's longest fetch wait."),
    // A fetch returns the rows a continuous query has ready, up to this many, without waiting for more: a
    // large default costs no latency, and 100 rows a round trip cost a TUMBLE result of 180,000 rows about
    // a quarter of the process's CPU (FlinkComparisonBenchmark's Weir process, fetch sizes 100 against 5,000).
    FETCH_SIZE("fetch_size", "1000", List.of(),
            "Most rows one fetch returns; a fetch returns the rows ready at once, up to this many, so a large value "
                    + "costs no latency. Statement.setFetchSize overrides it per statement."),
    UNKNOWN_PROPERTIES("unknown_properties", "reject", List.of("reject", "warn"),
            "A property neither Weir's driver nor Avatica's client knows (such as the misspelt fetchsize): reject"
                    + " fails the connection with SQLSTATE 08001 naming the known ones; warn connects, logs it and"
                    + " adds a warning to the Connection."),
    SSL("ssl", "false", List.of("true", "false"),
            "true: connect over TLS (https), to a server started with --tls-cert and --tls-key; the server's certificate"
                    + " must be trusted (sslTrustCert, else the JVM's truststore) and name the URL's host."),
    SSL_TRUST_CERT("sslTrustCert", null, List.of(),
            "PEM file with the certificates to trust with ssl=true: the server's own (self-signed) or its CA's; without"
                    + " it, the JVM's truststore (javax.net.ssl.trustStore, else the JDK's cacerts) decides.");

    private final String key;
    private final String defaultValue;
    private final List<String> choices;
    private final String description;

    DriverProperty(String key, String defaultValue, List<String> choices, String description) {
        this.key = key;
        this.defaultValue = defaultValue;
        this.choices = choices;
        this.description = description;
    }

    /** The property name as written in the URL or the {@link Properties}. */
    public String key() {
        return key;
    }

    /** The value used when the property is not set, or null when there is none. */
    public String defaultValue() {
        return defaultValue;
    }

    public String description() {
        return description;
    }

    DriverPropertyInfo info(Properties current) {
        String value = current.getProperty(key, defaultValue);
        DriverPropertyInfo info = new DriverPropertyInfo(key, value);
        info.description = description;
        info.required = false;
        info.choices = choices.isEmpty() ? null : choices.toArray(String[]::new);
        return info;
    }
}
