package io.weir.server.crash;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

/**
 * Crash recovery of a Flume source → materialized view: a stand-in agent ({@link FlumeStepWriter},
 * Flume's own RPC client) sends the input in batches to the stream's listener, retrying a batch until it is
 * acknowledged, while the server is killed and started again (its persistent queries open the listener
 * again on the same port); see {@link RetriedDeliveryCrashTest} for what is checked.
 */
class FlumeCrashTest extends RetriedDeliveryCrashTest {
    private final int flumePort = freePort();

    FlumeCrashTest() {
        super("crash_flume");
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    String streamOptions() {
        return "'connector' = 'flume', 'host' = '127.0.0.1', 'port' = '" + flumePort + "', 'format' = 'json'";
    }

    @Override
    RetryingStepWriter client(ServerProcess server, String stream, int records) {
        return new FlumeStepWriter(flumePort, records);
    }

    @Override
    String deliveryName() {
        return "Flume";
    }
}
