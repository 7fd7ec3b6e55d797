package io.weir.connector.kinesis;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.KinesisClientBuilder;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * Kinesis clients for the connector's settings: the synchronous client over the JDK's HTTP client (no Netty,
 * see the module's pom), without the SDK's own retries (readers and writers back off themselves, per shard
 * and per failed record, and log what they wait for).
 */
final class KinesisClients {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(60);
    private static final String CBOR_PROPERTY = "aws.cborEnabled";

    private KinesisClients() {
    }

    static KinesisClient create(KinesisSettings settings) {
        KinesisClientBuilder builder = KinesisClient.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder().connectionTimeout(CONNECT_TIMEOUT).socketTimeout(SOCKET_TIMEOUT))
                .region(Region.of(settings.region()))
                .credentialsProvider(credentials(settings))
                .overrideConfiguration(o -> o.retryStrategy(RetryMode.STANDARD).retryStrategy(b -> b.maxAttempts(1))
                        .apiCallTimeout(CALL_TIMEOUT));
        settings.endpoint().ifPresent(builder::endpointOverride);
        return withoutCbor(builder::build);
    }

    /**
     * Builds a client that speaks JSON rather than CBOR: emulators such as kinesalite answer CBOR in a form the SDK
     * cannot read (blobs as objects), while Kinesis itself takes both, as the AWS CLI's JSON shows. The SDK reads
     * the choice only from the system property {@code aws.cborEnabled} when a client is built, so it is set for
     * that moment (under a lock, and put back after).
     */
    static KinesisClient withoutCbor(Supplier<KinesisClient> build) {
        synchronized (CBOR_PROPERTY) {
            String previous = System.getProperty(CBOR_PROPERTY);
            System.setProperty(CBOR_PROPERTY, "false");
            try {
                return build.get();
            } finally {
                if (previous == null) {
                    System.clearProperty(CBOR_PROPERTY);
                } else {
                    System.setProperty(CBOR_PROPERTY, previous);
                }
            }
        }
    }

    private static AwsCredentialsProvider credentials(KinesisSettings settings) {
        if (settings.credentials().isEmpty()) {
            return DefaultCredentialsProvider.builder().build();
        }
        KinesisSettings.Credentials credentials = settings.credentials().get();
        return StaticCredentialsProvider.create(credentials.sessionToken()
                .<software.amazon.awssdk.auth.credentials.AwsCredentials>map(token -> AwsSessionCredentials.create(
                        credentials.accessKeyId(), credentials.secretAccessKey(), token))
                .orElseGet(() -> AwsBasicCredentials.create(credentials.accessKeyId(), credentials.secretAccessKey())));
    }
}
