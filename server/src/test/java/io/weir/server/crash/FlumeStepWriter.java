package io.weir.server.crash;

import org.apache.flume.Event;
import org.apache.flume.EventDeliveryException;
import org.apache.flume.FlumeException;
import org.apache.flume.api.RpcClient;
import org.apache.flume.api.RpcClientFactory;
import org.apache.flume.event.EventBuilder;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Sends each step of the input to a Flume stream's listener as one {@code appendBatch}, with Flume's
 * own RPC client, each record with its input index as {@code id} (and as the {@code seq} header), and
 * retries the same batch until it is acknowledged — as an agent's Avro sink retries its transaction.
 * A connection that cannot be made (the server down) reached nothing; a batch that failed once
 * connected may or may not have been logged (the server killed before it answered), so this writer
 * counts those <em>unanswered</em> attempts per record, as {@link IngestStepWriter} does.
 */
final class FlumeStepWriter implements RetryingStepWriter {
    /** Between attempts while the server is down or restarting: a back-off, not a synchronization. */
    private static final long RETRY_PAUSE_MILLIS = 100;

    private final int port;
    private final UnansweredAttempts unanswered;
    private RpcClient client;

    FlumeStepWriter(int port, int records) {
        this.port = port;
        this.unanswered = new UnansweredAttempts(records);
    }

    @Override
    public void write(int firstIndex, List<InputRecord> step) throws InterruptedException {
        List<Event> events = new ArrayList<>(step.size());
        for (int i = 0; i < step.size(); i++) {
            events.add(EventBuilder.withBody(step.get(i).jsonWithIdAndEventTime(firstIndex + i), StandardCharsets.UTF_8,
                    Map.of("seq", Integer.toString(firstIndex + i))));
        }
        while (true) {
            if (client == null || !client.isActive()) {
                closeClient();
                try {
                    client = RpcClientFactory.getInstance(properties());
                } catch (FlumeException e) {
                    // not listening (down or restarting): nothing reached the server
                    Thread.sleep(RETRY_PAUSE_MILLIS);
                    continue;
                }
            }
            try {
                client.appendBatch(events);
                return;
            } catch (EventDeliveryException e) {
                // connected, then failed: the batch may have been logged before the server died
                unanswered.add(firstIndex, step.size());
                closeClient();
            }
            Thread.sleep(RETRY_PAUSE_MILLIS);
        }
    }

    private Properties properties() {
        Properties properties = new Properties();
        properties.setProperty("hosts", "h1");
        properties.setProperty("hosts.h1", "127.0.0.1:" + port);
        // One request per step: a step split into several could be half acknowledged and sent again uncounted.
        properties.setProperty("batch-size", "1000000");
        properties.setProperty("connect-timeout", "2000");
        properties.setProperty("request-timeout", "15000");
        return properties;
    }

    private void closeClient() {
        if (client != null) {
            client.close();
            client = null;
        }
    }

    /** Read after the feeder finished. */
    @Override
    public UnansweredAttempts unanswered() {
        return unanswered;
    }

    @Override
    public void close() {
        closeClient();
    }
}
