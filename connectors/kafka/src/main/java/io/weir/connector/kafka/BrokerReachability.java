package io.weir.connector.kafka;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import org.apache.kafka.clients.ClientDnsLookup;
import org.apache.kafka.clients.ClientUtils;
import org.apache.kafka.common.KafkaException;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Checks that at least one bootstrap server accepts TCP connections before a sink creates its
 * producer. A producer whose brokers are all down blocks its caller for up to {@code max.block.ms}
 * (60 s) and logs two warnings a second meanwhile; checked first, a persistent query whose broker is
 * down fails its attempt at once with one clear error and retries after its back-off.
 *
 * <p>Only reachability is checked: a broker that accepts connections but fails otherwise (TLS, SASL,
 * a missing topic) is left to the Kafka client and its time-outs.
 */
final class BrokerReachability {
    /** A host that does not answer at all (packets dropped) is given this long per address. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private BrokerReachability() {
    }

    /**
     * Returns when one of {@code bootstrapServers} accepts a connection.
     *
     * @throws WeirException {@link ErrorCode#SINK_ERROR} naming each server and why it could not be reached
     */
    static void check(String describedObject, String bootstrapServers, Duration timeout) {
        List<InetSocketAddress> addresses;
        try {
            addresses = ClientUtils.parseAndValidateAddresses(
                    Arrays.stream(bootstrapServers.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList(),
                    ClientDnsLookup.USE_ALL_DNS_IPS);
        } catch (KafkaException e) {
            throw unreachable(describedObject, bootstrapServers, e.getMessage());
        }
        List<String> problems = new ArrayList<>();
        for (InetSocketAddress address : addresses) {
            try (SocketChannel channel = SocketChannel.open()) {
                // The channel's connect gives up when the thread is interrupted (a query being stopped).
                channel.socket().connect(address, (int) Math.max(1, timeout.toMillis()));
                return;
            } catch (ClosedByInterruptException e) {
                Thread.currentThread().interrupt();
                throw new WeirException(ErrorCode.QUERY_CANCELLED, describedObject + ": stopped while connecting to Kafka at '"
                        + bootstrapServers + "'", e);
            } catch (IOException e) {
                problems.add(address.getHostString() + ":" + address.getPort() + " (" + describe(e) + ")");
            }
        }
        throw unreachable(describedObject, bootstrapServers, String.join(", ", problems));
    }

    private static String describe(IOException e) {
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    private static WeirException unreachable(String describedObject, String bootstrapServers, String why) {
        return new WeirException(ErrorCode.SINK_ERROR, describedObject + ": cannot connect to any Kafka broker in"
                + " 'bootstrap.servers' = '" + bootstrapServers + "': " + why
                + ". Check that the brokers are running and reachable from the Weir server");
    }
}
