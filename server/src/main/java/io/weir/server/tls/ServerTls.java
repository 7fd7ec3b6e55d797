package io.weir.server.tls;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The server side of TLS: the {@link SslContext} for new connections, made from the PEM certificate and
 * key files (TLS 1.2 and 1.3 only). When either file changes, the next connection to arrive gets a
 * context made from the new files; connections already open keep theirs. A pair that cannot be used
 * (half written, mismatched) is logged once and the previous one stays in use until the files change
 * again, so replacing the files one after the other never interrupts service.
 */
public final class ServerTls {
    private static final Logger LOG = LoggerFactory.getLogger(ServerTls.class);
    /** TLS 1.0 and 1.1 are deprecated (RFC 8996). */
    static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    private final Path certificateFile;
    private final Path keyFile;
    private SslContext context;
    private X509Certificate certificate;
    private Stamps loaded;
    private Stamps refused;

    private ServerTls(Path certificateFile, Path keyFile) {
        this.certificateFile = certificateFile;
        this.keyFile = keyFile;
    }

    /**
     * Reads both files and makes the first context.
     *
     * @throws WeirException (INVALID_OPTION_VALUE) naming the file that cannot be used and why
     */
    public static ServerTls load(Path certificateFile, Path keyFile) {
        ServerTls tls = new ServerTls(requireNonNull(certificateFile, "certificateFile is null"),
                requireNonNull(keyFile, "keyFile is null"));
        Stamps stamps = tls.stamps();
        tls.install(PemCredentials.read(certificateFile, keyFile), stamps);
        return tls;
    }

    /** The context for a new connection: the current files', read again if they changed since. */
    public synchronized SslContext context() {
        Stamps now = stamps();
        if (!now.equals(loaded) && !now.equals(refused) && now.complete()) {
            reload(now);
        }
        return context;
    }

    /** The certificate new connections are served, for logs and tests. */
    public synchronized X509Certificate certificate() {
        return certificate;
    }

    private void reload(Stamps now) {
        try {
            install(PemCredentials.read(certificateFile, keyFile), now);
            refused = null;
            LOG.info("Serving the new TLS certificate {} (serial {}, valid until {}) from {} to new connections",
                    certificate.getSubjectX500Principal().getName(), certificate.getSerialNumber().toString(16),
                    certificate.getNotAfter().toInstant(), certificateFile);
        } catch (WeirException e) {
            refused = now;
            LOG.warn("Keeping the TLS certificate {} in use: {}", certificate.getSubjectX500Principal().getName(),
                    e.getMessage());
        }
    }

    private void install(PemCredentials credentials, Stamps stamps) {
        SslContext built;
        try {
            built = SslContextBuilder.forServer(credentials.privateKey(), credentials.chain().toArray(X509Certificate[]::new))
                    .sslProvider(SslProvider.JDK)
                    .protocols(PROTOCOLS)
                    .build();
        } catch (SSLException | RuntimeException e) {
            throw new WeirException(ErrorCode.INVALID_OPTION_VALUE, "Cannot serve TLS with the certificate in "
                    + certificateFile + " and the key in " + keyFile + ": " + e.getMessage(), e);
        }
        warnIfOutOfDate(credentials.certificate());
        context = built;
        certificate = credentials.certificate();
        loaded = stamps;
    }

    private void warnIfOutOfDate(X509Certificate served) {
        Instant now = Instant.now();
        if (served.getNotAfter().toInstant().isBefore(now)) {
            LOG.warn("The TLS certificate in {} expired at {}: clients will refuse it until it is replaced", certificateFile,
                    served.getNotAfter().toInstant());
        } else if (served.getNotBefore().toInstant().isAfter(now)) {
            LOG.warn("The TLS certificate in {} is valid only from {}: clients will refuse it until then", certificateFile,
                    served.getNotBefore().toInstant());
        }
    }

    private Stamps stamps() {
        return new Stamps(FileStamp.of(certificateFile), FileStamp.of(keyFile));
    }

    /** Both files' stamps; a missing one (the file is being replaced) is not worth a reload. */
    private record Stamps(Optional<FileStamp> certificate, Optional<FileStamp> key) {
        boolean complete() {
            return certificate.isPresent() && key.isPresent();
        }
    }
}
