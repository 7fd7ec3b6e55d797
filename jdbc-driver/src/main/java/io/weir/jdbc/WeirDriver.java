package io.weir.jdbc;

import org.apache.calcite.avatica.AvaticaClientRuntimeException;
import org.apache.calcite.avatica.AvaticaConnection;
import org.apache.calcite.avatica.DriverVersion;
import org.apache.calcite.avatica.Meta;
import org.apache.calcite.avatica.WarningChain;
import org.apache.calcite.avatica.WeirConnection;
import org.apache.calcite.avatica.WeirJdbcFactory;
import org.apache.calcite.avatica.remote.Driver;
import org.apache.calcite.avatica.remote.OnDemandFetchRemoteMeta;
import org.apache.calcite.avatica.remote.Service;
import org.apache.calcite.avatica.remote.WeirRemoteServices;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.util.Enumeration;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * JDBC driver for {@code jdbc:weir://host[:port][/][?property=value&...]} URLs (default port 8765).
 *
 * <p>It is Avatica's remote driver speaking to the Weir server over HTTP (protobuf at {@code /}, or
 * JSON at {@code /json} with {@code serialization=json}), except that each row of a result set is
 * handed to {@code ResultSet.next()} as soon as the server has sent it, which continuous queries
 * need. Supported properties: see {@link DriverProperty}, and Avatica's client settings, which are
 * passed on to Avatica; others are refused (or, with {@code unknown_properties=warn}, reported as
 * warnings of the connection). Properties in the URL override those passed to {@code connect}.
 */
public final class WeirDriver extends Driver {
    private static final Logger LOG = LoggerFactory.getLogger(WeirDriver.class);
    private static final AtomicBoolean BUNDLED_AVATICA_DRIVER_CHECKED = new AtomicBoolean();
    /** SQLSTATE of the driver's own warnings: class 01 (warning), no subclass. */
    private static final String SQLSTATE_WARNING = "01000";
    /** SQLSTATE of a connection refused for want of credentials: invalid authorization specification. */
    private static final String SQLSTATE_NO_CREDENTIALS = "28000";

    static {
        new WeirDriver().register();
    }

    public WeirDriver() {
        super();
    }

    @Override
    protected String getConnectStringPrefix() {
        return WeirUrl.PREFIX;
    }

    /**
     * Avatica's JDBC objects, with warnings on connections and statements and result sets whose cancel
     * stops the query on the server.
     */
    @Override
    protected String getFactoryClassName(JdbcVersion jdbcVersion) {
        return WeirJdbcFactory.class.getName();
    }

    @Override
    protected DriverVersion createDriverVersion() {
        return DriverVersion.load(WeirDriver.class, "io/weir/jdbc/weir-jdbc.properties",
                "Weir JDBC Driver", "unknown version", "Weir", "unknown version");
    }

    @Override
    public boolean acceptsURL(String url) {
        return WeirUrl.accepts(url);
    }

    @Override
    public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) throws SQLException {
        if (!acceptsURL(url)) {
            return new DriverPropertyInfo[0];
        }
        // Not checked: a tool shows the properties so that the user can correct them.
        Properties current = ConnectionSettings.merged(WeirUrl.parse(url), info);
        DriverProperty[] properties = DriverProperty.values();
        DriverPropertyInfo[] infos = new DriverPropertyInfo[properties.length];
        for (int i = 0; i < properties.length; i++) {
            infos[i] = properties[i].info(current);
        }
        return infos;
    }

    /**
     * Opens a connection. Replaces Avatica's {@code connect}, which would parse the URL as an
     * Avatica connect string, and reports an unreachable server as SQLSTATE 08001.
     */
    @Override
    public Connection connect(String url, Properties info) throws SQLException {
        if (!acceptsURL(url)) {
            return null;
        }
        deregisterBundledAvaticaDriver();
        ConnectionSettings settings = ConnectionSettings.of(WeirUrl.parse(url), info);
        TlsConnectionPools.forProperties(settings.userProperties()); // a trust file that cannot be read fails here, as 08001
        AvaticaConnection connection = factory.newConnection(this, factory, url, settings.avaticaProperties());
        for (String warning : settings.warnings()) {
            LOG.warn("{}", warning);
            if (connection instanceof WarningChain.Holder holder) {
                holder.warnings().add(new SQLWarning(warning, SQLSTATE_WARNING));
            }
        }
        handler.onConnectionInit(connection);
        try {
            connection.getService().apply(new Service.OpenConnectionRequest(connection.id,
                    Service.OpenConnectionRequest.serializeProperties(settings.userProperties())));
        } catch (RuntimeException e) {
            // The connection is not closed: closing would send another request to a server that just
            // failed (and could wait for another time-out); nothing is held client-side.
            throw openFailure(settings, e);
        }
        return connection;
    }

    /**
     * Avatica's remote Meta, with a row iterator that fetches only when the caller needs a row, over
     * a service that speaks the wire protocol correctly even from the shaded (relocated) jar.
     */
    @Override
    public Meta createMeta(AvaticaConnection connection) {
        Optional<PoolingHttpClientConnectionManager> tlsPool;
        try {
            // connect() has checked these properties (and built the pool); only a trust file deleted since fails here
            tlsPool = TlsConnectionPools.forProperties(((WeirConnection) connection).clientProperties());
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        Service service = WeirRemoteServices.create(this, connection, tlsPool);
        connection.setService(service);
        return new OnDemandFetchRemoteMeta(connection, service);
    }

    private static SQLException openFailure(ConnectionSettings settings, RuntimeException e) {
        if (rootCause(e).endsWith("got HTTP/401")) {
            // the server asked for credentials and Avatica's HTTP client had none to send
            return new SQLException("The Weir server at " + settings.httpUrl() + " needs a user and password: give the"
                    + " connection properties user and password (or ?user=...&password=... in the URL)",
                    SQLSTATE_NO_CREDENTIALS, e);
        }
        if (e instanceof AvaticaClientRuntimeException refused) {
            // the server's own message says why (a wrong password: SQLSTATE 28P01)
            String reason = refused.getMessage() == null ? "" : ": " + refused.getMessage().replaceFirst("^Remote driver error: ", "");
            return AvaticaConnection.HELPER.createException(
                    "The Weir server at " + settings.httpUrl() + " refused the connection" + reason, null, e);
        }
        Optional<String> tlsProblem = TlsFailures.explain(e, settings.tls().enabled());
        if (tlsProblem.isPresent()) {
            return new SQLException("Cannot connect to the Weir server at " + settings.httpUrl() + ": " + rootCause(e)
                    + ". " + tlsProblem.get(), "08001", e);
        }
        return new SQLException("Cannot connect to the Weir server at " + settings.httpUrl() + ": "
                + rootCause(e) + ". Check that the server is running (bin/weir) and that host and port in "
                + "the URL are right", "08001", e);
    }

    private static String rootCause(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName()
                : root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    /**
     * In the shaded jar Avatica's own driver is relocated under {@code io.weir.jdbc} yet still
     * registers itself for {@code jdbc:avatica:remote:} URLs when its class (our superclass) loads;
     * only this driver should be registered. Done on first connect rather than in the static
     * initializer, where taking DriverManager's lock while our class initializes could deadlock with
     * a thread loading drivers through DriverManager. Unshaded (in this project's builds), the class
     * is Avatica's real driver and stays registered.
     */
    private static void deregisterBundledAvaticaDriver() {
        Class<?> avaticaDriver = Driver.class;
        if (!avaticaDriver.getPackageName().startsWith(WeirDriver.class.getPackageName() + ".")
                || !BUNDLED_AVATICA_DRIVER_CHECKED.compareAndSet(false, true)) {
            return;
        }
        for (Enumeration<java.sql.Driver> drivers = DriverManager.getDrivers(); drivers.hasMoreElements(); ) {
            java.sql.Driver driver = drivers.nextElement();
            if (driver.getClass() == avaticaDriver) {
                try {
                    DriverManager.deregisterDriver(driver);
                } catch (SQLException | SecurityException e) {
                    LOG.debug("Could not deregister the bundled Avatica driver; it stays registered", e);
                }
            }
        }
    }
}
