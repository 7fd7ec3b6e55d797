package io.weir.jdbc;

import org.apache.calcite.avatica.ConnectionConfigImpl;
import org.apache.calcite.avatica.remote.HostnameVerificationConfigurable.HostnameVerification;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.client5.http.ssl.HttpsSupport;
import org.apache.hc.client5.http.ssl.NoopHostnameVerifier;
import org.apache.hc.core5.reactor.ssl.SSLBufferMode;

import javax.net.ssl.HostnameVerifier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The HTTP connection pools of TLS connections: one per trust source and hostname-verification mode,
 * shared by the connections that use the same (as Avatica shares its own pools), so that each JDBC
 * connection does not open its own HTTPS connections. A trust file that changes gets a new pool, so a
 * renewed certificate applies to connections opened afterwards.
 *
 * <p>Avatica's own {@code truststore} option is left to Avatica's client (it takes keystore files, not PEM).
 */
final class TlsConnectionPools {
    /** TLS 1.0 and 1.1 are deprecated (RFC 8996); the server offers 1.2 and 1.3 only too. */
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};
    /** The JVM's truststore settings (JSSE reads them whenever a default TrustManagerFactory is initialized). */
    private static final List<String> JVM_TRUSTSTORE_PROPERTIES = List.of("javax.net.ssl.trustStore",
            "javax.net.ssl.trustStoreType", "javax.net.ssl.trustStoreProvider");
    /** Avatica's pool sizes, read from the same system properties as Avatica's own pools. */
    private static final int MAX_CONNECTIONS = Integer.getInteger("avatica.pooled.connections.max", 100);
    private static final int MAX_CONNECTIONS_PER_ROUTE = Integer.getInteger("avatica.pooled.connections.per.route", 25);

    private static final ConcurrentHashMap<Key, PoolingHttpClientConnectionManager> POOLS = new ConcurrentHashMap<>();

    private TlsConnectionPools() {
    }

    /**
     * The pool for a connection with these properties; empty for a plain connection and for one that
     * trusts through Avatica's {@code truststore}, which Avatica's client sets up itself.
     *
     * @throws SQLException (08001) when the certificates to trust cannot be read
     */
    static Optional<PoolingHttpClientConnectionManager> forProperties(Properties properties) throws SQLException {
        ClientTls tls = ClientTls.of(properties);
        if (!tls.enabled() || tls.avaticaTruststore()) {
            return Optional.empty();
        }
        HostnameVerification verification = new ConnectionConfigImpl(properties).hostnameVerification();
        Key key = new Key(tls.trustCertificates().map(TlsConnectionPools::fileVersion).orElseGet(TlsConnectionPools::jvmTruststore),
                verification);
        PoolingHttpClientConnectionManager pool = POOLS.get(key);
        if (pool != null) {
            return Optional.of(pool);
        }
        // Built outside computeIfAbsent, which cannot throw SQLException; of two built at once, one is kept.
        PoolingHttpClientConnectionManager built = build(sslContext(tls.trustCertificates()), verification);
        PoolingHttpClientConnectionManager existing = POOLS.putIfAbsent(key, built);
        if (existing != null) {
            built.close();
            return Optional.of(existing);
        }
        return Optional.of(built);
    }

    private static PoolingHttpClientConnectionManager build(SSLContext context, HostnameVerification verification) {
        HostnameVerifier verifier = verification == HostnameVerification.NONE ? NoopHostnameVerifier.INSTANCE
                : HttpsSupport.getDefaultHostnameVerifier();
        return PoolingHttpClientConnectionManagerBuilder.create()
                .setTlsSocketStrategy(new DefaultClientTlsStrategy(context, PROTOCOLS, null, SSLBufferMode.STATIC, verifier))
                .setMaxConnTotal(MAX_CONNECTIONS)
                .setMaxConnPerRoute(MAX_CONNECTIONS_PER_ROUTE)
                .build();
    }

    /** A context trusting the certificates in {@code file}, or the JVM's truststore. */
    private static SSLContext sslContext(Optional<Path> file) throws SQLException {
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            if (file.isPresent()) {
                KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
                store.load(null, null);
                int n = 0;
                for (X509Certificate certificate : ClientTls.readCertificates(file.get())) {
                    store.setCertificateEntry("trusted-" + n++, certificate);
                }
                trust.init(store);
            } else {
                trust.init((KeyStore) null);
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new SQLException("Cannot set up TLS" + file.map(f -> " trusting the certificates in " + f).orElse("")
                    + ": " + e.getMessage(), WeirUrl.SQLSTATE_BAD_URL, e);
        }
    }

    /** The file and its version: a changed file is read again. */
    private static String fileVersion(Path file) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return "file " + file + " " + attributes.lastModifiedTime() + " " + attributes.size() + " " + attributes.fileKey();
        } catch (IOException e) {
            return "file " + file;
        }
    }

    private static String jvmTruststore() {
        StringBuilder source = new StringBuilder("jvm");
        for (String property : JVM_TRUSTSTORE_PROPERTIES) {
            source.append(' ').append(property).append('=').append(System.getProperty(property, ""));
        }
        String store = System.getProperty("javax.net.ssl.trustStore");
        if (store != null && !store.isEmpty() && !store.equals("NONE")) {
            source.append(' ').append(fileVersion(Path.of(store)));
        }
        return source.toString();
    }

    private record Key(String trustSource, HostnameVerification verification) {
    }
}
