package io.weir.server.pg;

import io.weir.sql.auth.ScramVerifier;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * The server side of one SCRAM-SHA-256 exchange (RFC 5802, RFC 7677) as PostgreSQL runs it: the user
 * is the one of the StartupMessage (the SCRAM user name is ignored), no channel binding. An unknown user
 * gets an exchange with a made-up verifier, which fails at the end like a wrong password, so that the
 * answers do not tell which users exist.
 */
final class ScramExchange {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ScramVerifier verifier;
    private final boolean known;
    private String clientFirstBare;
    private String serverFirst;
    private String nonce;

    /** @param verifier the user's verifier; empty for an unknown user */
    ScramExchange(Optional<ScramVerifier> verifier) {
        this.known = verifier.isPresent();
        this.verifier = verifier.orElseGet(() -> ScramVerifier.create(randomText(18)));
    }

    /** The mechanisms offered in AuthenticationSASL. */
    static byte[] mechanisms() {
        return "SCRAM-SHA-256\0\0".getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Takes the client-first-message and answers the server-first-message.
     *
     * @throws IllegalArgumentException when the message is malformed or asks for channel binding
     */
    String first(String clientFirst) {
        if (clientFirst.startsWith("p=")) {
            throw new IllegalArgumentException("channel binding is not supported; connect with channel_binding=disable");
        }
        if (!clientFirst.startsWith("n,") && !clientFirst.startsWith("y,")) {
            throw new IllegalArgumentException("malformed SCRAM client-first-message");
        }
        int bare = clientFirst.indexOf(',', 2);
        if (bare < 0) {
            throw new IllegalArgumentException("malformed SCRAM client-first-message");
        }
        clientFirstBare = clientFirst.substring(bare + 1);
        String clientNonce = attribute(clientFirstBare, 'r');
        if (clientNonce == null || clientNonce.isEmpty()) {
            throw new IllegalArgumentException("the SCRAM client-first-message has no nonce");
        }
        nonce = clientNonce + randomText(18);
        serverFirst = "r=" + nonce + ",s=" + Base64.getEncoder().encodeToString(verifier.salt()) + ",i=" + verifier.iterations();
        return serverFirst;
    }

    /**
     * Takes the client-final-message: the server-final-message when the proof is right, empty when not.
     *
     * @throws IllegalArgumentException when the message is malformed
     */
    Optional<String> last(String clientFinal) {
        int proofAt = clientFinal.lastIndexOf(",p=");
        if (proofAt < 0 || serverFirst == null) {
            throw new IllegalArgumentException("malformed SCRAM client-final-message");
        }
        String withoutProof = clientFinal.substring(0, proofAt);
        if (!nonce.equals(attribute(withoutProof, 'r'))) {
            throw new IllegalArgumentException("the SCRAM nonce does not match");
        }
        byte[] proof;
        try {
            proof = Base64.getDecoder().decode(clientFinal.substring(proofAt + 3));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("malformed SCRAM client proof");
        }
        String authMessage = clientFirstBare + "," + serverFirst + "," + withoutProof;
        byte[] storedKey = verifier.storedKey();
        byte[] signature = hmac(storedKey, authMessage);
        if (proof.length != signature.length) {
            return Optional.empty();
        }
        byte[] clientKey = new byte[signature.length];
        for (int i = 0; i < clientKey.length; i++) {
            clientKey[i] = (byte) (proof[i] ^ signature[i]);
        }
        boolean matches = MessageDigest.isEqual(sha256(clientKey), storedKey);
        if (!matches || !known) {
            return Optional.empty();
        }
        return Optional.of("v=" + Base64.getEncoder().encodeToString(hmac(verifier.serverKey(), authMessage)));
    }

    private static String attribute(String message, char name) {
        for (String part : message.split(",")) {
            if (part.length() >= 2 && part.charAt(0) == name && part.charAt(1) == '=') {
                return part.substring(2);
            }
        }
        return null;
    }

    private static String randomText(int bytes) {
        byte[] random = new byte[bytes];
        RANDOM.nextBytes(random);
        return Base64.getEncoder().encodeToString(random);
    }

    private static byte[] hmac(byte[] key, String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks HmacSHA256", e);
        }
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }
}
