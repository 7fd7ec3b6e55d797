package io.weir.server.testing;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

/**
 * Certificates made by the tests themselves (Bouncy Castle), so that no test needs openssl or a file
 * checked in: a CA, and server certificates it issues for the names given ({@code DNS:localhost},
 * {@code IP:127.0.0.1}). Keys are EC P-256 (quick to make) unless RSA is asked for.
 */
public final class TestCertificates {
    private static final SecureRandom RANDOM = new SecureRandom();

    private TestCertificates() {
    }

    /** A certificate and its key pair. */
    public record Issued(X509Certificate certificate, KeyPair keys) {
        public String certificatePem() {
            return pem(certificate);
        }

        /** The private key in PKCS#8 ({@code BEGIN PRIVATE KEY}), as openssl 3 writes it. */
        public String privateKeyPem() {
            try {
                return pem(new JcaPKCS8Generator(keys.getPrivate(), null).generate());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** The private key in OpenSSL's traditional form: PKCS#1 ({@code BEGIN RSA PRIVATE KEY}) or SEC1 ({@code BEGIN EC PRIVATE KEY}). */
        public String traditionalPrivateKeyPem() {
            if (!(keys.getPrivate() instanceof java.security.interfaces.ECPrivateKey ec)) {
                return pem(keys);
            }
            // As openssl writes it: with the curve and the public key (Bouncy Castle's writer leaves the curve out).
            PrivateKeyInfo info = PrivateKeyInfo.getInstance(ec.getEncoded());
            SubjectPublicKeyInfo publicKey = SubjectPublicKeyInfo.getInstance(keys.getPublic().getEncoded());
            try {
                return pem(new PemObject("EC PRIVATE KEY", new ECPrivateKey(ec.getParams().getOrder().bitLength(), ec.getS(),
                        publicKey.getPublicKeyData(), info.getPrivateKeyAlgorithm().getParameters()).getEncoded()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        public Path writeCertificate(Path file) {
            return write(file, certificatePem());
        }

        public Path writePrivateKey(Path file) {
            return write(file, privateKeyPem());
        }

        public BigInteger serial() {
            return certificate.getSerialNumber();
        }
    }

    /** A self-signed CA certificate. */
    public static Issued authority(String name) {
        KeyPair keys = ecKeys();
        X500Name subject = new X500Name("CN=" + name);
        return sign(subject, keys, subject, keys, true, List.of());
    }

    /** A server certificate issued by {@code ca} for these names: {@code DNS:host} or {@code IP:address}. */
    public static Issued server(Issued ca, String commonName, String... names) {
        return sign(new X500Name("CN=" + commonName), ecKeys(), X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded()),
                ca.keys(), false, List.of(names));
    }

    /** A server certificate for localhost and 127.0.0.1 issued by {@code ca}. */
    public static Issued localhost(Issued ca) {
        return server(ca, "localhost", "DNS:localhost", "IP:127.0.0.1");
    }

    /** A self-signed server certificate with an RSA key, for these names. */
    public static Issued selfSignedRsa(String commonName, String... names) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048, RANDOM);
            KeyPair keys = generator.generateKeyPair();
            X500Name subject = new X500Name("CN=" + commonName);
            return sign(subject, keys, subject, keys, false, List.of(names));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A PKCS#12 truststore holding these certificates, as the stock Avatica driver's {@code truststore} option takes. */
    public static Path truststore(Path file, String password, X509Certificate... trusted) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            for (int i = 0; i < trusted.length; i++) {
                store.setCertificateEntry("trusted-" + i, trusted[i]);
            }
            try (OutputStream out = Files.newOutputStream(file)) {
                store.store(out, password.toCharArray());
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Issued sign(X500Name subject, KeyPair keys, X500Name issuer, KeyPair issuerKeys, boolean authority,
                               List<String> names) {
        try {
            Instant now = Instant.now();
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer, new BigInteger(64, RANDOM).abs(),
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(2))), subject, keys.getPublic());
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(keys.getPublic()));
            builder.addExtension(Extension.authorityKeyIdentifier, false,
                    extensions.createAuthorityKeyIdentifier(issuerKeys.getPublic()));
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(authority));
            if (authority) {
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            } else {
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
                builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            }
            if (!names.isEmpty()) {
                List<GeneralName> general = new ArrayList<>();
                for (String name : names) {
                    if (name.startsWith("DNS:")) {
                        general.add(new GeneralName(GeneralName.dNSName, name.substring(4)));
                    } else if (name.startsWith("IP:")) {
                        general.add(new GeneralName(GeneralName.iPAddress, name.substring(3)));
                    } else {
                        throw new IllegalArgumentException("DNS:name or IP:address, not " + name);
                    }
                }
                builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(general.toArray(GeneralName[]::new)));
            }
            String algorithm = issuerKeys.getPrivate().getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
            X509Certificate certificate = new JcaX509CertificateConverter()
                    .getCertificate(builder.build(new JcaContentSignerBuilder(algorithm).build(issuerKeys.getPrivate())));
            return new Issued(certificate, keys);
        } catch (Exception e) {
            throw new IllegalStateException("cannot make a test certificate", e);
        }
    }

    private static KeyPair ecKeys() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(Object object) {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(object);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    private static Path write(Path file, String text) {
        try {
            return Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
