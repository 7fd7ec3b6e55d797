package io.weir.sql.auth;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ScramVerifierTest {
    /**
     * Verifiers PostgreSQL 14.22 made ({@code SET password_encryption = 'scram-sha-256'; CREATE ROLE r PASSWORD '...';
     * SELECT rolpassword FROM pg_authid}): an ASCII password, Latin letters with accents, full-width letters with a
     * soft hyphen (SASLprep maps them to "password") and a Roman numeral (NFKC makes it "IX").
     */
    @ParameterizedTest
    @CsvSource(delimiter = ' ', value = {
            "pencil SCRAM-SHA-256$4096:xcscW2wQimi5oS48Inzq3w==$9o1n/D9e00cjFxKRk7+oV+Emee2myLQotdmXqNEl4wg=:rCCHE2+KyFBEgGsBvZbh9PqySfEBpmLtwpRqoDboRIc=",
            "p\u00e4ssw\u00f6rd SCRAM-SHA-256$4096:L9Kd+Lmnl8AQAUYXJfU6rA==$ej74ULxjA53uhwQTtfGyApsGuppDHdSXnHW49ZcdrK0=:NRF+EhEdGbisCcyUzvIMNSZt8mEIQuvxAegC/FHgK+s=",
            "\uff50\uff41\uff53\uff53\u00adword SCRAM-SHA-256$4096:HRW+tKpYduYwfd9mCrVs7Q==$buq2UmX3JdZ8PsRQhC/FDK8LXtdwiygWYxsTqV6fvCE=:3ImbMc14Lt58TOUvIXIJRtp2ouzOHGYV7XLsy2dCnIA=",
            "I\u2168 SCRAM-SHA-256$4096:l1gZxeH9Lxii6mla35yeIA==$HloexhFAYTuExlGbj6I4XQ4ETBmypgB9f/qLwRxxP8c=:M75fRVR9pwsudFE3Yc4mFVg+4Ywwcq+1QcaQc+KSXVw="})
    void agreesWithVerifiersPostgresqlMade(String password, String postgresVerifier) {
        ScramVerifier parsed = ScramVerifier.parse(postgresVerifier);

        assertThat(parsed.matches(password)).isTrue();
        assertThat(parsed.matches(password + "x")).isFalse();
        assertThat(ScramVerifier.create(password, parsed.salt(), parsed.iterations()).format()).isEqualTo(postgresVerifier);
        assertThat(parsed.format()).isEqualTo(postgresVerifier);
    }

    @Test
    void saslPrepMakesEquivalentSpellingsOneAndLeavesProhibitedPasswordsAlone() {
        ScramVerifier fullWidth = ScramVerifier.create("\uff50\uff41\uff53\uff53\u00adword");
        assertThat(fullWidth.matches("password")).isTrue();
        // a control character is prohibited: the password is hashed as it is, so only exactly it matches
        ScramVerifier control = ScramVerifier.create("p\u0085\u00e4ss");
        assertThat(control.matches("p\u0085\u00e4ss")).isTrue();
        assertThat(SaslPrep.prepare("p\u0085\u00e4ss")).isEqualTo("p\u0085\u00e4ss");
        assertThat(SaslPrep.prepare("a\u00a0b")).isEqualTo("a b");
    }

    /** RFC 7677 section 3: the example exchange of user "user" with password "pencil". */
    @Test
    void keysAnswerTheExampleExchangeOfRfc7677() throws Exception {
        ScramVerifier verifier = ScramVerifier.create("pencil", Base64.getDecoder().decode("W22ZaJ0SNY7soEsUEjb6gQ=="), 4096);
        String authMessage = "n=user,r=rOprNGfwEbeRWgbNEkqO"
                + ",r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"
                + ",c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
        byte[] clientProof = Base64.getDecoder().decode("dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=");

        byte[] serverSignature = hmac(verifier.serverKey(), authMessage);
        byte[] clientSignature = hmac(verifier.storedKey(), authMessage);
        byte[] clientKey = new byte[clientProof.length];
        for (int i = 0; i < clientKey.length; i++) {
            clientKey[i] = (byte) (clientProof[i] ^ clientSignature[i]);
        }

        assertThat(Base64.getEncoder().encodeToString(serverSignature)).isEqualTo("6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=");
        assertThat(ScramVerifier.sha256(clientKey)).isEqualTo(verifier.storedKey());
    }

    @Test
    void newVerifiersHaveTheirOwnSaltAndPostgresqlsShape() {
        ScramVerifier first = ScramVerifier.create("secret");
        ScramVerifier second = ScramVerifier.create("secret");

        assertThat(first.format()).matches("SCRAM-SHA-256\\$4096:[A-Za-z0-9+/]{22}==\\$[A-Za-z0-9+/]{43}=:[A-Za-z0-9+/]{43}=");
        assertThat(first.salt()).isNotEqualTo(second.salt());
        assertThat(first.matches("secret")).isTrue();
        assertThat(first.matches("Secret")).isFalse();
        assertThat(first.matches("")).isFalse();
        assertThat(first.toString()).doesNotContain(Base64.getEncoder().encodeToString(first.storedKey()));
    }

    @Test
    void refusesTextThatIsNoVerifier() {
        assertThatThrownBy(() -> ScramVerifier.parse("md5abcdef")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ScramVerifier.parse("SCRAM-SHA-256$4096:c2FsdA==$c2hvcnQ=:c2hvcnQ="))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static byte[] hmac(byte[] key, String text) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(text.getBytes(StandardCharsets.US_ASCII));
    }
}
