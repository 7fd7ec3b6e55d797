package org.apache.calcite.avatica;

import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLWarning;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Properties;
import java.util.Set;

import org.apache.calcite.avatica.remote.OnDemandFetchRemoteMeta;

/**
 * Avatica's connection, with warnings (such as about connection properties the driver does not know),
 * and a connection the server no longer has (closed after its idle time-out, or the server restarted)
 * reported as JDBC expects: {@link #isValid} asks the server and returns false, and calls fail with an
 * {@link SQLException} of class 08 instead of Avatica's unchecked exception, so pools replace it.
 */
public final class WeirConnection extends AvaticaConnection implements WarningChain.Holder {
    /** The error code Avatica servers send for a connection they do not know (Avatica's MISSING_CONNECTION_ERROR_CODE). */
    private static final int MISSING_CONNECTION = 1;
    private static final String CONNECTION_DOES_NOT_EXIST = "08003";

    private final WarningChain warnings = new WarningChain();

    WeirConnection(UnregisteredDriver driver, AvaticaFactory factory, String url, Properties info) {
        super(driver, factory, url, info);
    }

    /**
     * The properties the connection was opened with (Avatica's client settings and the driver's own).
     * Available while Avatica's constructor creates the Meta.
     */
    public Properties clientProperties() {
        Properties copy = new Properties();
        for (String name : info.stringPropertyNames()) {
            copy.setProperty(name, info.getProperty(name));
        }
        return copy;
    }

    @Override
    public WarningChain warnings() {
        return warnings;
    }

    @Override
    public SQLWarning getWarnings() throws SQLException {
        checkOpen();
        return warnings.first();
    }

    @Override
    public void clearWarnings() throws SQLException {
        checkOpen();
        warnings.clear();
    }

    /** Asks the server whether it still has this connection (a pool's validation); false when it does not answer so. */
    @Override
    public boolean isValid(int timeout) throws SQLException {
        if (timeout < 0) {
            throw new SQLException("timeout is less than 0: " + timeout, "HY000");
        }
        if (isClosed()) {
            return false;
        }
        try {
            if (meta instanceof OnDemandFetchRemoteMeta remote) {
                remote.ping(handle);
            } else {
                meta.getDatabaseProperties(handle);
            }
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public AvaticaStatement createStatement(int resultSetType, int resultSetConcurrency, int resultSetHoldability)
            throws SQLException {
        return translating(() -> super.createStatement(resultSetType, resultSetConcurrency, resultSetHoldability));
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int resultSetType, int resultSetConcurrency, int resultSetHoldability)
            throws SQLException {
        return translating(() -> super.prepareStatement(sql, resultSetType, resultSetConcurrency, resultSetHoldability));
    }

    /** Avatica's metadata, whose calls to the server fail with SQLExceptions like every other call. */
    @Override
    public DatabaseMetaData getMetaData() throws SQLException {
        DatabaseMetaData metaData = translating(super::getMetaData);
        Set<Class<?>> interfaces = new LinkedHashSet<>();
        for (Class<?> type = metaData.getClass(); type != null; type = type.getSuperclass()) {
            interfaces.addAll(Arrays.asList(type.getInterfaces()));
        }
        return (DatabaseMetaData) Proxy.newProxyInstance(WeirConnection.class.getClassLoader(), interfaces.toArray(Class<?>[]::new),
                (proxy, method, args) -> {
                    try {
                        return method.invoke(metaData, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause() instanceof AvaticaClientRuntimeException remote ? translate(remote) : e.getCause();
                    }
                });
    }

    @Override
    public void setAutoCommit(boolean autoCommit) throws SQLException {
        translating(() -> {
            super.setAutoCommit(autoCommit);
            return null;
        });
    }

    @Override
    public void setReadOnly(boolean readOnly) throws SQLException {
        translating(() -> {
            super.setReadOnly(readOnly);
            return null;
        });
    }

    @Override
    public void setSchema(String schema) throws SQLException {
        translating(() -> {
            super.setSchema(schema);
            return null;
        });
    }

    @Override
    public void setCatalog(String catalog) throws SQLException {
        translating(() -> {
            super.setCatalog(catalog);
            return null;
        });
    }

    @Override
    public void setTransactionIsolation(int level) throws SQLException {
        translating(() -> {
            super.setTransactionIsolation(level);
            return null;
        });
    }

    /** A call into Avatica that may fail with its unchecked exception. */
    @FunctionalInterface
    private interface Call<T> {
        T call() throws SQLException;
    }

    private static <T> T translating(Call<T> call) throws SQLException {
        try {
            return call.call();
        } catch (AvaticaClientRuntimeException e) {
            throw translate(e);
        }
    }

    /** The server's error as the SQLException JDBC callers catch; a connection it does not know is class 08. */
    static SQLException translate(AvaticaClientRuntimeException e) {
        String message = e.getMessage() == null ? "The server refused the call" : e.getMessage();
        if (e.getErrorCode() == MISSING_CONNECTION || CONNECTION_DOES_NOT_EXIST.equals(e.getSqlState())) {
            return new SQLNonTransientConnectionException(message, CONNECTION_DOES_NOT_EXIST, e.getErrorCode(), e);
        }
        return new SQLException(message, e.getSqlState(), e.getErrorCode(), e);
    }
}
