package io.weir.jdbc;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.util.Optional;

/** What to do about a connection that failed because of TLS: the sentence added to the driver's error. */
final class TlsFailures {
    private TlsFailures() {
    }

    /**
     * @param tls whether the connection used TLS ({@code ssl=true})
     * @return advice for a TLS failure (or a plain request to a TLS port), empty for others
     */
    static Optional<String> explain(Throwable failure, boolean tls) {
        if (!tls) {
            // The server's answer to plain HTTP on its TLS port; the Avatica client reports only the status.
            return has(failure, RuntimeException.class, "HTTP/400")
                    ? Optional.of("If the server serves HTTPS (it was started with --tls-cert and --tls-key), add "
                            + DriverProperty.SSL.key() + "=true to the URL")
                    : Optional.empty();
        }
        if (has(failure, SSLPeerUnverifiedException.class, null)) {
            return Optional.of("The server's certificate is not for the host in the URL: connect with a host name or address "
                    + "the certificate names (its subject alternative names)");
        }
        if (has(failure, CertPathBuilderException.class, null) || has(failure, CertPathValidatorException.class, null)
                || has(failure, CertificateException.class, null)) {
            return Optional.of("The server's certificate is not trusted: give its certificate, or its CA's, as "
                    + DriverProperty.SSL_TRUST_CERT.key() + "=<PEM file>, or add it to the JVM's truststore");
        }
        if (has(failure, SSLException.class, "plaintext") || has(failure, SSLException.class, "Unsupported or unrecognized")) {
            return Optional.of("The server does not serve TLS on this port: remove " + DriverProperty.SSL.key()
                    + "=true, or start the server with --tls-cert and --tls-key");
        }
        if (has(failure, SSLException.class, null)) {
            return Optional.of("The TLS handshake failed; the server accepts TLS 1.2 and 1.3");
        }
        return Optional.empty();
    }

    /** Whether an exception in the cause chain is a {@code type} whose message contains {@code text} (if given). */
    private static boolean has(Throwable failure, Class<? extends Throwable> type, String text) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t) && (text == null || (t.getMessage() != null && t.getMessage().contains(text)))) {
                return true;
            }
        }
        return false;
    }
}
