package org.apache.calcite.avatica.remote;

import org.apache.calcite.avatica.AvaticaConnection;
import org.apache.calcite.avatica.ConnectionConfig;

/**
 * Creates the client-side {@link Service} of a connection as Avatica's {@code Driver.createService}
 * does (which is package-private, hence this class in Avatica's package), except that protobuf
 * messages are named as servers expect even when Avatica is relocated (see
 * {@link WireNameProtobufTranslation}).
 */
public final class WeirRemoteServices {
    private WeirRemoteServices() {
    }

    /** Creates the HTTP service for {@code connection} (logging in with Kerberos when configured). */
    public static Service create(Driver driver, AvaticaConnection connection) {
        ConnectionConfig config = connection.config();
        KerberosConnection kerberos = driver.createKerberosUtility(config);
        if (kerberos != null) {
            kerberos.login();
            connection.setKerberosConnection(kerberos);
        }
        AvaticaHttpClient httpClient = driver.getHttpClient(connection, config);
        switch (driver.getSerialization(config)) {
            case JSON:
                return new RemoteService(httpClient);
            case PROTOBUF:
                return new RemoteProtobufService(httpClient,
                        new WireNameProtobufTranslation(new ProtobufTranslationImpl()));
            default:
                throw new IllegalArgumentException("Unknown serialization " + driver.getSerialization(config));
        }
    }
}
