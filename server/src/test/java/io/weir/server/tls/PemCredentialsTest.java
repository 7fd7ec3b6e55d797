package io.weir.server.tls;

import io.weir.server.testing.TestCertificates;
import io.weir.server.testing.TestCertificates.Issued;
import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PemCredentialsTest {
    private static final Issued CA = TestCertificates.authority("Test CA");

    @TempDir
    Path dir;

    @Test
    void readsAChainAndAPkcs8Key() throws IOException {
        Issued server = TestCertificates.localhost(CA);
        Path cert = Files.writeString(dir.resolve("chain.pem"), server.certificatePem() + CA.certificatePem());
        Path key = server.writePrivateKey(dir.resolve("key.pem"));

        PemCredentials credentials = PemCredentials.read(cert, key);

        assertThat(credentials.chain()).containsExactly(server.certificate(), CA.certificate());
        assertThat(credentials.certificate()).isEqualTo(server.certificate());
        assertThat(credentials.privateKey().getEncoded()).isEqualTo(server.keys().getPrivate().getEncoded());
    }

    @Test
    void readsTraditionalSec1AndPkcs1Keys() throws IOException {
        Issued ec = TestCertificates.localhost(CA);
        Path ecKey = Files.writeString(dir.resolve("ec.pem"), ec.traditionalPrivateKeyPem());
        assertThat(Files.readString(ecKey)).startsWith("-----BEGIN EC PRIVATE KEY-----");
        assertThat(PemCredentials.read(ec.writeCertificate(dir.resolve("ec-cert.pem")), ecKey).privateKey().getAlgorithm())
                .isIn("EC", "ECDSA");

        Issued rsa = TestCertificates.selfSignedRsa("localhost", "DNS:localhost");
        Path rsaKey = Files.writeString(dir.resolve("rsa.pem"), rsa.traditionalPrivateKeyPem());
        assertThat(Files.readString(rsaKey)).startsWith("-----BEGIN RSA PRIVATE KEY-----");
        assertThat(PemCredentials.read(rsa.writeCertificate(dir.resolve("rsa-cert.pem")), rsaKey).privateKey().getAlgorithm())
                .isEqualTo("RSA");
    }

    @Test
    void certificateAndKeyInOneFileWork() throws IOException {
        Issued server = TestCertificates.localhost(CA);
        Path both = Files.writeString(dir.resolve("both.pem"), server.privateKeyPem() + server.certificatePem());

        assertThat(PemCredentials.read(both, both).certificate()).isEqualTo(server.certificate());
    }

    @Test
    void aMissingOrUnreadableFileIsNamedWithItsSetting() throws IOException {
        Issued server = TestCertificates.localhost(CA);
        Path key = server.writePrivateKey(dir.resolve("key.pem"));
        Path missing = dir.resolve("nope.pem");

        assertThatThrownBy(() -> PemCredentials.read(missing, key))
                .isInstanceOfSatisfying(WeirException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_OPTION_VALUE))
                .hasMessage("Cannot use " + missing + " (server.tls-cert): the file does not exist");
        assertThatThrownBy(() -> PemCredentials.read(server.writeCertificate(dir.resolve("cert.pem")), missing))
                .hasMessage("Cannot use " + missing + " (server.tls-key): the file does not exist");
        assertThatThrownBy(() -> PemCredentials.read(dir, key))
                .hasMessageStartingWith("Cannot use " + dir + " (server.tls-cert): ");
    }

    @Test
    void filesWithoutWhatTheyShouldHoldAreRefused() throws IOException {
        Issued server = TestCertificates.localhost(CA);
        Path cert = server.writeCertificate(dir.resolve("cert.pem"));
        Path key = server.writePrivateKey(dir.resolve("key.pem"));
        Path text = Files.writeString(dir.resolve("notes.txt"), "hello\n");
        Path broken = Files.writeString(dir.resolve("broken.pem"), "-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n");

        assertThatThrownBy(() -> PemCredentials.read(key, key))
                .hasMessage("Cannot use " + key + " (server.tls-cert): it holds no PEM certificate (a block starting with "
                        + "-----BEGIN CERTIFICATE-----)");
        assertThatThrownBy(() -> PemCredentials.read(text, key)).hasMessageContaining("it holds no PEM certificate");
        assertThatThrownBy(() -> PemCredentials.read(broken, key))
                .hasMessageStartingWith("Cannot use " + broken + " (server.tls-cert): it is not a readable PEM file");
        assertThatThrownBy(() -> PemCredentials.read(cert, cert))
                .hasMessage("Cannot use " + cert + " (server.tls-key): it holds no PEM private key (a block such as "
                        + "-----BEGIN PRIVATE KEY-----)");
    }

    @Test
    void anEncryptedKeyIsRefusedWithHowToDecryptIt() throws Exception {
        Issued server = TestCertificates.localhost(CA);
        Path cert = server.writeCertificate(dir.resolve("cert.pem"));
        var encryptor = new org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder(
                org.bouncycastle.openssl.PKCS8Generator.AES_256_CBC).setProvider(new org.bouncycastle.jce.provider.BouncyCastleProvider())
                .setPassword("secret".toCharArray()).build();
        var writer = new java.io.StringWriter();
        try (var pem = new org.bouncycastle.openssl.jcajce.JcaPEMWriter(writer)) {
            pem.writeObject(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(server.keys().getPrivate(), encryptor));
        }
        Path key = Files.writeString(dir.resolve("encrypted.pem"), writer.toString());

        assertThatThrownBy(() -> PemCredentials.read(cert, key))
                .hasMessageStartingWith("Cannot use " + key + " (server.tls-key): the private key is encrypted");
    }

    @Test
    void aKeyOfAnotherCertificateIsRefused() {
        Issued server = TestCertificates.localhost(CA);
        Issued other = TestCertificates.localhost(CA);
        Issued rsa = TestCertificates.selfSignedRsa("localhost", "DNS:localhost");
        Path cert = server.writeCertificate(dir.resolve("cert.pem"));
        Path otherKey = other.writePrivateKey(dir.resolve("other.pem"));
        Path rsaKey = rsa.writePrivateKey(dir.resolve("rsa.pem"));

        assertThatThrownBy(() -> PemCredentials.read(cert, otherKey))
                .isInstanceOf(WeirException.class)
                .hasMessage("The private key in " + otherKey + " (server.tls-key) does not belong to the certificate in " + cert
                        + " (server.tls-cert, CN=localhost): give the key the certificate was issued for");
        assertThatThrownBy(() -> PemCredentials.read(cert, rsaKey)).hasMessageContaining("does not belong to the certificate");
    }
}
