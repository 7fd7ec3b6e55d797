package io.weir.connector.kinesis;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordResponse;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;

/** The tests' own Kinesis client against an emulator: streams, records, reshards, and every record read back. */
public final class TestStreams implements AutoCloseable {
    private static final AtomicInteger NAMES = new AtomicInteger();
    public static final String REGION = "us-east-1";
    public static final String ACCESS_KEY = "test-key";
    public static final String SECRET_KEY = "test-secret";

    private final KinesisClient client;
    private final String endpoint;

    public TestStreams(String endpoint) {
        this.endpoint = endpoint;
        this.client = KinesisClients.withoutCbor(() -> KinesisClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder())
                .region(Region.of(REGION)).endpointOverride(URI.create(endpoint))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .build());
    }

    public KinesisClient client() {
        return client;
    }

    /** A new stream with {@code shards} shards, active. */
    public String create(String prefix, int shards) {
        String name = prefix + "_" + NAMES.incrementAndGet() + "_" + System.nanoTime() % 100_000;
        client.createStream(r -> r.streamName(name).shardCount(shards));
        awaitActive(name);
        return name;
    }

    /** The stream {@code name} with {@code shards} shards, active; kept as it is when it exists already. */
    public void createNamed(String name, int shards) {
        try {
            client.createStream(r -> r.streamName(name).shardCount(shards));
        } catch (software.amazon.awssdk.services.kinesis.model.ResourceInUseException exists) {
            // made by an earlier test in this JVM
        }
        awaitActive(name);
    }

    public void awaitActive(String stream) {
        await("stream " + stream + " active").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .until(() -> client.describeStream(r -> r.streamName(stream)).streamDescription().streamStatus() == StreamStatus.ACTIVE);
    }

    /** The WITH options of a stream reading {@code stream} from its trim horizon. */
    public Map<String, String> options(String stream) {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("connector", "kinesis");
        options.put("stream", stream);
        options.put("aws.region", REGION);
        options.put("aws.endpoint", endpoint);
        options.put("aws.credentials.access-key-id", ACCESS_KEY);
        options.put("aws.credentials.secret-access-key", SECRET_KEY);
        options.put("scan.startup.mode", "trim-horizon");
        return options;
    }

    public PutRecordResponse put(String stream, String partitionKey, String data) {
        return client.putRecord(r -> r.streamName(stream).partitionKey(partitionKey)
                .data(SdkBytes.fromString(data, StandardCharsets.UTF_8)));
    }

    /** A record on a given shard: its hash key is the shard's starting hash key. */
    public PutRecordResponse putOnShard(String stream, String shardId, String partitionKey, String data) {
        Shard shard = shards(stream).stream().filter(s -> s.shardId().equals(shardId)).findFirst().orElseThrow();
        return client.putRecord(r -> r.streamName(stream).partitionKey(partitionKey)
                .explicitHashKey(shard.hashKeyRange().startingHashKey())
                .data(SdkBytes.fromString(data, StandardCharsets.UTF_8)));
    }

    public List<Shard> shards(String stream) {
        return client.listShards(r -> r.streamName(stream)).shards();
    }

    /** Splits an open shard in the middle of its hash key range. */
    public void split(String stream, String shardId) {
        Shard shard = shards(stream).stream().filter(s -> s.shardId().equals(shardId)).findFirst().orElseThrow();
        BigInteger start = new BigInteger(shard.hashKeyRange().startingHashKey());
        BigInteger end = new BigInteger(shard.hashKeyRange().endingHashKey());
        String middle = start.add(end).shiftRight(1).toString();
        client.splitShard(r -> r.streamName(stream).shardToSplit(shardId).newStartingHashKey(middle));
        awaitActive(stream);
    }

    /** Every record of every shard, from the trim horizon, shard by shard. */
    public Map<String, List<Record>> readAll(String stream) {
        Map<String, List<Record>> all = new LinkedHashMap<>();
        for (Shard shard : shards(stream)) {
            List<Record> records = new ArrayList<>();
            String iterator = client.getShardIterator(r -> r.streamName(stream).shardId(shard.shardId())
                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
            while (iterator != null) {
                String current = iterator;
                GetRecordsResponse response = client.getRecords(r -> r.shardIterator(current));
                records.addAll(response.records());
                if (response.records().isEmpty()) {
                    break;
                }
                iterator = response.nextShardIterator();
            }
            all.put(shard.shardId(), records);
        }
        return all;
    }

    /** The data of every record, shard by shard, as text. */
    public List<String> readAllData(String stream) {
        List<String> data = new ArrayList<>();
        readAll(stream).values().forEach(records -> records.forEach(r -> data.add(r.data().asUtf8String())));
        return data;
    }

    @Override
    public void close() {
        client.close();
    }
}
