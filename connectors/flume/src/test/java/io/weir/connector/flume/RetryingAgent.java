package io.weir.connector.flume;

import org.apache.flume.Event;
import org.apache.flume.EventDeliveryException;
import org.apache.flume.FlumeException;
import org.apache.flume.api.RpcClient;
import org.apache.flume.api.RpcClientFactory;

import java.util.List;
import java.util.Properties;

/**
 * Stands in for a Flume agent's Avro sink: sends its events as one batch with Flume's own RPC client,
 * and, as the sink does when the transaction fails, tries again (every 50 ms) until the batch is
 * acknowledged; then it is done. Runs on a daemon thread of its own.
 */
final class RetryingAgent implements AutoCloseable {
    private final int port;
    private final List<Event> events;
    private final Thread thread;
    private volatile boolean stopping;
    private volatile boolean delivered;

    RetryingAgent(int port, List<Event> events) {
        this.port = port;
        this.events = List.copyOf(events);
        this.thread = new Thread(this::run, "test-flume-agent-" + port);
        thread.setDaemon(true);
        thread.start();
    }

    boolean delivered() {
        return delivered;
    }

    private void run() {
        while (!stopping) {
            Properties properties = new Properties();
            properties.setProperty("hosts", "h1");
            properties.setProperty("hosts.h1", "127.0.0.1:" + port);
            properties.setProperty("batch-size", "100");
            properties.setProperty("connect-timeout", "2000");
            properties.setProperty("request-timeout", "5000");
            try {
                RpcClient client = RpcClientFactory.getInstance(properties);
                try {
                    client.appendBatch(events);
                    delivered = true;
                    return;
                } finally {
                    client.close();
                }
            } catch (FlumeException | EventDeliveryException e) {
                // Not listening (yet): the sink backs off and tries again.
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public void close() {
        stopping = true;
        thread.interrupt();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
