package io.weir.connector.webhook;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import static java.util.Objects.requireNonNull;

/**
 * The {@code Idempotency-Key} of each request of one writer:
 * {@code <writer id>:<checkpoint>:<sequence>:<digest>}. {@code checkpoint} is the query's last
 * checkpoint before the request (0 before the first), {@code sequence} counts the requests since it
 * from 1, and {@code digest} is the first 16 hex digits of the SHA-256 of the body.
 *
 * <p>After a failure the query replays its input from its last checkpoint and numbers the requests
 * from there again, so a replay that forms the same requests sends the same keys. One that forms them
 * differently (other micro-batch boundaries) sends other bodies, and the digest gives those other
 * keys: a receiver that drops requests whose key it has seen drops only true repeats, never rows it
 * has not received.
 */
final class IdempotencyKeys {
    static final String HEADER = "Idempotency-Key";
    private static final int DIGEST_BYTES = 8;

    private final String writerId;
    // Guarded by this: the query thread restarts the numbering, the sender thread takes keys.
    private long checkpoint;
    private long sequence;

    /** @param writerId the stable id of the query and sink, or one of this run only */
    IdempotencyKeys(String writerId) {
        this.writerId = requireNonNull(writerId, "writerId is null");
    }

    /** Numbers the following requests as those after checkpoint {@code checkpointId} (0: none). */
    synchronized void restartAfter(long checkpointId) {
        checkpoint = checkpointId;
        sequence = 0;
    }

    /** The key of the next request, whose body is {@code body}. */
    synchronized String next(byte[] body) {
        sequence++;
        return writerId + ":" + checkpoint + ":" + sequence + ":" + digest(body);
    }

    private static String digest(byte[] body) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(body);
            return HexFormat.of().formatHex(hash, 0, DIGEST_BYTES);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
