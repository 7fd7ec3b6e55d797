package io.weir.connector.kinesis;

import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** {@link PutRecordsCall} with the SDK's client, which it closes. */
final class RecordSender implements PutRecordsCall, AutoCloseable {
    private final KinesisClient client;

    RecordSender(KinesisClient client) {
        this.client = requireNonNull(client, "client is null");
    }

    @Override
    public List<Optional<String>> put(String stream, List<Entry> entries) {
        List<PutRecordsRequestEntry> request = new ArrayList<>(entries.size());
        for (Entry entry : entries) {
            request.add(PutRecordsRequestEntry.builder().partitionKey(entry.partitionKey())
                    .data(SdkBytes.fromByteArrayUnsafe(entry.data())).build());
        }
        PutRecordsResponse response = client.putRecords(r -> r.streamName(stream).records(request));
        List<Optional<String>> results = new ArrayList<>(entries.size());
        for (PutRecordsResultEntry result : response.records()) {
            results.add(result.errorCode() == null ? Optional.empty()
                    : Optional.of(result.errorCode() + ": " + result.errorMessage()));
        }
        return results;
    }

    @Override
    public void close() {
        client.close();
    }
}
