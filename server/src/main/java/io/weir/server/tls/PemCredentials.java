package io.weir.server.tls;

import io.weir.server.config.ServerOptions;
import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The server's certificate chain and private key, read from PEM files as openssl, certbot and most
 * tools write them: certificates ({@code BEGIN CERTIFICATE}, the server's first, then intermediates),
 * and an unencrypted key in PKCS#8 ({@code BEGIN PRIVATE KEY}), PKCS#1 ({@code BEGIN RSA PRIVATE KEY})
 * or SEC1 ({@code BEGIN EC PRIVATE KEY}) form. Reading checks that the key belongs to the certificate.
 *
 * @param chain the server's certificate first
 */
record PemCredentials(List<X509Certificate> chain, PrivateKey privateKey) {
    PemCredentials {
        chain = List.copyOf(requireNonNull(chain, "chain is null"));
        requireNonNull(privateKey, "privateKey is null");
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("chain is empty");
        }
    }

    /** The server's own certificate. */
    X509Certificate certificate() {
        return chain.get(0);
    }

    /**
     * Reads and checks both files.
     *
     * @throws WeirException (INVALID_OPTION_VALUE) naming the file, its setting and what is wrong with it
     */
    static PemCredentials read(Path certificateFile, Path keyFile) {
        List<X509Certificate> chain = readCertificates(certificateFile);
        PrivateKey key = readPrivateKey(keyFile);
        if (!belongTogether(chain.get(0).getPublicKey(), key)) {
            throw new WeirException(ErrorCode.INVALID_OPTION_VALUE, "The private key in " + keyFile + " ("
                    + ServerOptions.TLS_KEY.key() + ") does not belong to the certificate in " + certificateFile + " ("
                    + ServerOptions.TLS_CERT.key() + ", " + chain.get(0).getSubjectX500Principal().getName()
                    + "): give the key the certificate was issued for");
        }
        return new PemCredentials(chain, key);
    }

    private static List<X509Certificate> readCertificates(Path file) {
        String setting = ServerOptions.TLS_CERT.key();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        List<X509Certificate> chain = new ArrayList<>();
        try (PEMParser parser = new PEMParser(reader(file, setting))) {
            for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
                if (object instanceof X509CertificateHolder holder) {
                    chain.add(converter.getCertificate(holder));
                }
            }
        } catch (WeirException e) {
            throw e;
        } catch (IOException | CertificateException | RuntimeException e) {
            throw invalid(file, setting, "it is not a readable PEM file (" + message(e) + ")", e);
        }
        if (chain.isEmpty()) {
            throw invalid(file, setting, "it holds no PEM certificate (a block starting with -----BEGIN CERTIFICATE-----)", null);
        }
        return chain;
    }

    private static PrivateKey readPrivateKey(Path file) {
        String setting = ServerOptions.TLS_KEY.key();
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        List<PrivateKey> keys = new ArrayList<>();
        try (PEMParser parser = new PEMParser(reader(file, setting))) {
            for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
                if (object instanceof PEMKeyPair pair) {
                    keys.add(converter.getPrivateKey(pair.getPrivateKeyInfo())); // the public half is optional in SEC1
                } else if (object instanceof PrivateKeyInfo info) {
                    keys.add(converter.getPrivateKey(info));
                } else if (object instanceof PEMEncryptedKeyPair || object instanceof PKCS8EncryptedPrivateKeyInfo) {
                    throw invalid(file, setting, "the private key is encrypted; store it unencrypted, readable by the "
                            + "server's user only (openssl pkey -in ENCRYPTED.pem -out KEY.pem)", null);
                } else if (!(object instanceof ASN1ObjectIdentifier || object instanceof X509CertificateHolder)) {
                    // EC PARAMETERS blocks (openssl ecparam -genkey writes one) and certificates are skipped
                    throw invalid(file, setting, "it holds a PEM block that is not a private key ("
                            + object.getClass().getSimpleName() + ")", null);
                }
            }
        } catch (WeirException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw invalid(file, setting, "it is not a readable PEM file (" + message(e) + ")", e);
        }
        if (keys.isEmpty()) {
            throw invalid(file, setting, "it holds no PEM private key (a block such as -----BEGIN PRIVATE KEY-----)", null);
        }
        if (keys.size() > 1) {
            throw invalid(file, setting, "it holds " + keys.size() + " private keys; keep the one of the certificate only", null);
        }
        return keys.get(0);
    }

    private static Reader reader(Path file, String setting) throws IOException {
        try {
            return Files.newBufferedReader(file, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            throw invalid(file, setting, "the file does not exist", e);
        } catch (AccessDeniedException e) {
            throw invalid(file, setting, "the server's user may not read it", e);
        } catch (IOException e) {
            throw invalid(file, setting, "it cannot be read (" + message(e) + ")", e);
        }
    }

    /** Whether {@code key} is the private half of {@code publicKey}: what it signs, the public key verifies. */
    static boolean belongTogether(PublicKey publicKey, PrivateKey key) {
        Optional<String> algorithm = signatureAlgorithm(key.getAlgorithm());
        if (!sameFamily(publicKey.getAlgorithm(), key.getAlgorithm())) {
            return false;
        }
        if (algorithm.isEmpty()) {
            return true; // an unusual key type: the TLS handshake is the check
        }
        try {
            byte[] challenge = new byte[32];
            new SecureRandom().nextBytes(challenge);
            Signature signer = Signature.getInstance(algorithm.get());
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm.get());
            verifier.initVerify(publicKey);
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    private static boolean sameFamily(String publicAlgorithm, String privateAlgorithm) {
        return family(publicAlgorithm).equals(family(privateAlgorithm));
    }

    private static String family(String algorithm) {
        String upper = algorithm.toUpperCase(Locale.ROOT);
        return switch (upper) {
            case "ECDSA" -> "EC";
            case "ED25519", "ED448" -> "EDDSA";
            default -> upper;
        };
    }

    private static Optional<String> signatureAlgorithm(String keyAlgorithm) {
        return switch (family(keyAlgorithm)) {
            case "RSA" -> Optional.of("SHA256withRSA");
            case "EC" -> Optional.of("SHA256withECDSA");
            case "EDDSA" -> Optional.of("EdDSA");
            case "DSA" -> Optional.of("SHA256withDSA");
            default -> Optional.empty();
        };
    }

    private static WeirException invalid(Path file, String setting, String problem, Throwable cause) {
        return new WeirException(ErrorCode.INVALID_OPTION_VALUE, "Cannot use " + file + " (" + setting + "): " + problem,
                cause);
    }

    private static String message(Throwable e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
