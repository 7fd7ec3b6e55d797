package io.weir.jdbc;

import org.apache.calcite.avatica.BuiltInConnectionProperty;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;

import static java.util.Objects.requireNonNull;

/**
 * Whether a connection uses TLS ({@code ssl=true}) and whom it trusts: the certificates in the PEM
 * file {@code sslTrustCert}, Avatica's own {@code truststore} (a keystore file, handled by Avatica's
 * client), or else the JVM's truststore. The server's host name is always verified unless Avatica's
 * {@code hostname_verification=NONE} says otherwise.
 *
 * @param trustCertificates the {@code sslTrustCert} file, absolute
 * @param avaticaTruststore whether Avatica's {@code truststore} property is set
 */
record ClientTls(boolean enabled, Optional<Path> trustCertificates, boolean avaticaTruststore) {
    ClientTls {
        requireNonNull(trustCertificates, "trustCertificates is null");
        if (!enabled && trustCertificates.isPresent()) {
            throw new IllegalArgumentException("trust certificates without TLS");
        }
    }

    /**
     * Reads {@code ssl} and {@code sslTrustCert} (names ignore case).
     *
     * @throws SQLException (08001) for a value that is not true or false, {@code sslTrustCert} without
     *         {@code ssl=true} or beside {@code truststore}, or a file that holds no readable certificate
     */
    static ClientTls of(Properties user) throws SQLException {
        Optional<String> ssl = property(user, DriverProperty.SSL.key());
        Optional<String> trustCert = property(user, DriverProperty.SSL_TRUST_CERT.key()).filter(value -> !value.isBlank());
        boolean avaticaTruststore = property(user, BuiltInConnectionProperty.TRUSTSTORE.camelName()).isPresent();
        boolean enabled = ssl.isPresent() && parseBoolean(ssl.get());
        if (trustCert.isPresent() && !enabled) {
            throw badSetting(DriverProperty.SSL_TRUST_CERT.key() + " names the certificates to trust over TLS: add "
                    + DriverProperty.SSL.key() + "=true (the server must be started with --tls-cert and --tls-key)");
        }
        if (trustCert.isPresent() && avaticaTruststore) {
            throw badSetting(DriverProperty.SSL_TRUST_CERT.key() + " and " + BuiltInConnectionProperty.TRUSTSTORE.camelName()
                    + " both say which certificates to trust: keep one of them");
        }
        Optional<Path> file = Optional.empty();
        if (trustCert.isPresent()) {
            file = Optional.of(trustFile(trustCert.get()));
            readCertificates(file.get()); // fails now, with the connection, rather than at the first request
        }
        return new ClientTls(enabled, file, avaticaTruststore);
    }

    /**
     * The certificates in a PEM (or DER) file.
     *
     * @throws SQLException (08001) naming the file and what is wrong with it
     */
    static List<X509Certificate> readCertificates(Path file) throws SQLException {
        List<X509Certificate> certificates = new ArrayList<>();
        try (InputStream in = Files.newInputStream(file)) {
            for (var certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                certificates.add((X509Certificate) certificate);
            }
        } catch (NoSuchFileException e) {
            throw badFile(file, "the file does not exist");
        } catch (AccessDeniedException e) {
            throw badFile(file, "this program may not read it");
        } catch (IOException | CertificateException e) {
            throw badFile(file, "it holds no readable certificate (" + e.getMessage() + ")");
        }
        if (certificates.isEmpty()) {
            throw badFile(file, "it holds no certificate (a block starting with -----BEGIN CERTIFICATE-----)");
        }
        return certificates;
    }

    private static Path trustFile(String value) throws SQLException {
        try {
            return Path.of(value.trim()).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw badSetting("Invalid " + DriverProperty.SSL_TRUST_CERT.key() + " '" + value + "': " + e.getReason());
        }
    }

    private static boolean parseBoolean(String value) throws SQLException {
        String normalized = value.trim().toLowerCase(Locale.ROOT);
        if (normalized.equals("true")) {
            return true;
        }
        if (normalized.equals("false")) {
            return false;
        }
        throw badSetting("Unknown value '" + value + "' of " + DriverProperty.SSL.key() + ": use true (TLS) or false (the default)");
    }

    /** A property by name, ignoring case (as Avatica's names do). */
    static Optional<String> property(Properties properties, String name) {
        for (String key : properties.stringPropertyNames()) {
            if (key.equalsIgnoreCase(name)) {
                return Optional.of(properties.getProperty(key));
            }
        }
        return Optional.empty();
    }

    private static SQLException badFile(Path file, String problem) {
        return badSetting("Cannot use " + DriverProperty.SSL_TRUST_CERT.key() + " file " + file + ": " + problem);
    }

    private static SQLException badSetting(String message) {
        return new SQLException(message, WeirUrl.SQLSTATE_BAD_URL);
    }
}
