package io.weir.connector.jdbc;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.connector.ConnectorContext;
import io.weir.spi.connector.DeliveryGuarantee;
import io.weir.spi.connector.SinkOptions;
import io.weir.spi.option.ConfigOption;
import io.weir.spi.option.OptionValues;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * The JDBC connector's options, checked and parsed.
 *
 * @param table the table name as it goes into SQL (validated to be one or more identifiers)
 * @param progressTable the name of the sink progress table as it goes into SQL (validated like {@code table})
 * @param driverProperties the {@code 'properties.*'} options without the prefix
 */
record JdbcSettings(String url, Dialect dialect, String table, Optional<String> username, Optional<String> password,
                    int fetchSize, Duration connectTimeout, int bufferFlushMaxRows,
                    int maxRetries, DeliveryGuarantee deliveryGuarantee, String progressTable,
                    Map<String, String> driverProperties) {
    /** Plain or quoted identifiers separated by dots; anything else (spaces, semicolons) is not a table name. */
    private static final String PART = "(?:[A-Za-z_][A-Za-z0-9_$]*|\"(?:[^\"]|\"\")+\"|`(?:[^`]|``)+`)";
    private static final Pattern TABLE = Pattern.compile(PART + "(?:\\." + PART + "){0,2}");

    JdbcSettings {
        requireNonNull(url, "url is null");
        requireNonNull(dialect, "dialect is null");
        requireNonNull(table, "table is null");
        requireNonNull(username, "username is null");
        requireNonNull(password, "password is null");
        requireNonNull(connectTimeout, "connectTimeout is null");
        requireNonNull(deliveryGuarantee, "deliveryGuarantee is null");
        requireNonNull(progressTable, "progressTable is null");
        driverProperties = Map.copyOf(requireNonNull(driverProperties, "driverProperties is null"));
    }

    static JdbcSettings of(ConnectorContext context) {
        OptionValues options = context.options();
        String url = options.string(JdbcConnectorFactory.URL).trim();
        Dialect dialect = Dialect.of(url).orElseThrow(() -> new WeirException(ErrorCode.INVALID_OPTION_VALUE,
                context.describe() + ": option 'url' must start with one of " + Dialect.supportedPrefixes()
                        + " (PostgreSQL, MySQL or MariaDB); got '" + url + "'"));
        String table = tableName(context, JdbcConnectorFactory.TABLE_NAME);
        String progressTable = tableName(context, JdbcConnectorFactory.PROGRESS_TABLE);
        int fetchSize = positive(context, options, JdbcConnectorFactory.FETCH_SIZE, 1);
        int maxRows = positive(context, options, JdbcConnectorFactory.BUFFER_FLUSH_MAX_ROWS, 1);
        int maxRetries = positive(context, options, JdbcConnectorFactory.MAX_RETRIES, 0);
        Duration connectTimeout = options.duration(JdbcConnectorFactory.CONNECT_TIMEOUT);
        if (connectTimeout.isZero()) {
            throw new WeirException(ErrorCode.INVALID_OPTION_VALUE, context.describe()
                    + ": option 'connect-timeout' must be longer than 0");
        }
        return new JdbcSettings(url, dialect, table, options.getString(JdbcConnectorFactory.USERNAME),
                options.getString(JdbcConnectorFactory.PASSWORD), fetchSize, connectTimeout, maxRows, maxRetries,
                SinkOptions.deliveryGuarantee(options, JdbcConnectorFactory.DELIVERY_GUARANTEE), progressTable,
                options.withPrefix(JdbcConnectorFactory.PROPERTIES));
    }

    private static String tableName(ConnectorContext context, ConfigOption option) {
        String table = context.options().string(option).trim();
        if (!TABLE.matcher(table).matches()) {
            throw new WeirException(ErrorCode.INVALID_OPTION_VALUE, context.describe() + ": option '" + option.key()
                    + "' = '" + table + "' is not a table name; write name, schema.name, or quote parts for the database");
        }
        return table;
    }

    private static int positive(ConnectorContext context, OptionValues options, ConfigOption option,
                                int min) {
        int value = options.integer(option);
        if (value < min) {
            throw new WeirException(ErrorCode.INVALID_OPTION_VALUE, context.describe() + ": option '" + option.key()
                    + "' must be at least " + min + "; got " + value);
        }
        return value;
    }

    /** What the driver gets: the pass-through properties, then user and password, then Weir's defaults. */
    Properties connectionProperties(String applicationName) {
        Properties properties = new Properties();
        properties.putAll(driverProperties);
        username.ifPresent(user -> properties.setProperty("user", user));
        password.ifPresent(secret -> properties.setProperty("password", secret));
        dialect.connectTimeout(properties, connectTimeout);
        dialect.applicationName(properties, applicationName);
        return properties;
    }

    /** The URL without credentials a user may have put in its query part, for messages and logs. */
    String displayUrl() {
        int query = url.indexOf('?');
        return query < 0 ? url : url.substring(0, query) + "?...";
    }

    @Override
    public String toString() {
        // never print the password
        return "JdbcSettings[url=" + displayUrl() + ", table=" + table + ", dialect=" + dialect + "]";
    }
}
