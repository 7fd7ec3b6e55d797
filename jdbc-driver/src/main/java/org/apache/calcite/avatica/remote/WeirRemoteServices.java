package org.apache.calcite.avatica.remote;

import org.apache.calcite.avatica.AvaticaConnection;
import org.apache.calcite.avatica.ConnectionConfig;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;

import java.util.Optional;

/**
 * Creates the client-side {@link Service} of a connection as Avatica's {@code Driver.createService}
 * does (which is package-private, hence this class in Avatica's package), except that protobuf
 * messages are named as servers expect even when Avatica is relocated (see
 * {@link WireNameProtobufTranslation}) and fetch responses are read by {@link FetchResponseDecoder}.
 */
public final class WeirRemoteServices {
    private WeirRemoteServices() {
    }

    /**
     * Creates the HTTP service for {@code connection} (logging in with Kerberos when configured).
     *
     * @param tlsPool the pool of TLS connections to use instead of Avatica's, which trusts only what
     *                Avatica's {@code truststore} option names (or the JVM's truststore)
     */
    public static Service create(Driver driver, AvaticaConnection connection,
                                 Optional<PoolingHttpClientConnectionManager> tlsPool) {
        ConnectionConfig config = connection.config();
        KerberosConnection kerberos = driver.createKerberosUtility(config);
        if (kerberos != null) {
            kerberos.login();
            connection.setKerberosConnection(kerberos);
        }
        AvaticaHttpClient httpClient = driver.getHttpClient(connection, config);
        if (tlsPool.isPresent()) {
            if (!(httpClient instanceof HttpClientPoolConfigurable configurable)) {
                throw new IllegalArgumentException("The HTTP client " + httpClient.getClass().getName()
                        + " (httpclient_impl, or Kerberos) cannot take Weir's TLS settings: use Avatica's truststore option");
            }
            // Replaces the pool Avatica's factory set; credentials it set are kept.
            configurable.setHttpClientPool(tlsPool.get(), config);
        }
        switch (driver.getSerialization(config)) {
            case JSON:
                return new RemoteService(httpClient);
            case PROTOBUF:
                return new RemoteProtobufService(httpClient, new FetchDecodingProtobufTranslation(
                        new WireNameProtobufTranslation(new ProtobufTranslationImpl())));
            default:
                throw new IllegalArgumentException("Unknown serialization " + driver.getSerialization(config));
        }
    }
}
