package io.weir.connector.zeromq;

import io.weir.spi.wal.feed.FeedEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.SocketType;
import org.zeromq.ZMQ;
import org.zeromq.ZMQException;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/**
 * Runs on the reader's one socket thread and owns the ZeroMQ context and SUB socket from creation to
 * close: ZeroMQ sockets are not thread-safe, so no other thread touches them. Receives with a short
 * timeout and hands records over with a timed offer, so that {@link #stop()} is noticed within
 * {@link #WAKE_MILLIS} whatever the thread is doing; on the way out the socket is closed with linger
 * 0 (nothing to send) and the context terminated, which stops jeromq's I/O threads.
 */
final class Subscriber implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(Subscriber.class);
    /** How long a blocking receive or hand-off waits before checking for {@link #stop()}. */
    static final int WAKE_MILLIS = 50;
    /** Topics are shown in messages up to this length. */
    private static final int TOPIC_SHOWN = 100;
    /** ZeroMQ hides connections: everything received is of one. */
    static final long CONNECTION = 0;

    private final String describedObject;
    private final ZeroMqSettings settings;
    private final BlockingQueue<FeedEvent> queue;
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private volatile boolean stopping;
    private long messages;

    Subscriber(String describedObject, ZeroMqSettings settings, BlockingQueue<FeedEvent> queue) {
        this.describedObject = requireNonNull(describedObject, "describedObject is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.queue = requireNonNull(queue, "queue is null");
    }

    /** Completes once the socket is connected or bound; completes exceptionally (a {@link ZMQException}) if it cannot be. */
    CompletableFuture<Void> ready() {
        return ready;
    }

    /** Asks the thread to close the socket and context and return; does not wait. */
    void stop() {
        stopping = true;
    }

    @Override
    public void run() {
        try (ZMQ.Context context = ZMQ.context(1)) {
            ZMQ.Socket socket = context.socket(SocketType.SUB);
            try {
                open(socket);
                ready.complete(null);
                // One connection as far as readers can tell: a CSV header is expected in its first message.
                if (handOver(FeedEvent.opened(CONNECTION, settings.endpoint()))) {
                    receive(socket);
                }
            } catch (RuntimeException e) {
                if (ready.completeExceptionally(e)) {
                    // Failing to connect or bind is reported by the reader's poll.
                    return;
                }
                throw e;
            } finally {
                socket.close();
            }
        } finally {
            // Whatever happened, a caller waiting for readiness must not wait forever.
            ready.completeExceptionally(new IllegalStateException("the ZeroMQ socket thread stopped"));
        }
    }

    private void open(ZMQ.Socket socket) {
        // Nothing is ever sent on a SUB socket but subscriptions: closing must not wait for them.
        socket.setLinger(0);
        socket.setRcvHWM(settings.receiveHighWaterMark());
        socket.setReceiveTimeOut(WAKE_MILLIS);
        socket.subscribe(settings.subscribe().getBytes(StandardCharsets.UTF_8));
        if (settings.mode() == ZeroMqMode.BIND) {
            socket.bind(settings.endpoint());
            LOG.info("{}: bound {} ({}) for publishers", describedObject, settings.endpoint(), socket.getLastEndpoint());
        } else {
            // Asynchronous: ZeroMQ connects, and reconnects after an outage, in the background.
            socket.connect(settings.endpoint());
            LOG.info("{}: subscribing to {}", describedObject, settings.endpoint());
        }
    }

    private void receive(ZMQ.Socket socket) {
        while (!stopping) {
            byte[] first = socket.recv(0);
            if (first == null) {
                // The receive timed out.
                continue;
            }
            byte[] last = first;
            boolean multiFrame = false;
            // The frames of a message arrive together: once the first is here, the others are too.
            while (socket.hasReceiveMore()) {
                byte[] next = socket.recv(0);
                if (next == null) {
                    break;
                }
                last = next;
                multiFrame = true;
            }
            messages++;
            if (!handOver(FeedEvent.record(CONNECTION, recordText(last), source(multiFrame ? first : null)))) {
                return;
            }
        }
    }

    /** Puts the event on the queue, waiting while it is full; false when stopping meanwhile. */
    private boolean handOver(FeedEvent event) {
        try {
            while (!queue.offer(event, WAKE_MILLIS, TimeUnit.MILLISECONDS)) {
                if (stopping) {
                    return false;
                }
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The frame as UTF-8 text without one trailing line break, which publishers of text lines often add. */
    static String recordText(byte[] frame) {
        String text = new String(frame, StandardCharsets.UTF_8);
        if (text.endsWith("\r\n")) {
            return text.substring(0, text.length() - 2);
        }
        if (text.endsWith("\n")) {
            return text.substring(0, text.length() - 1);
        }
        return text;
    }

    private String source(byte[] topic) {
        String source = "zeromq " + settings.endpoint() + " message " + messages;
        if (topic == null) {
            return source;
        }
        String name = new String(topic, StandardCharsets.UTF_8);
        if (name.length() > TOPIC_SHOWN) {
            name = name.substring(0, TOPIC_SHOWN) + "...";
        }
        return source + " topic '" + name + "'";
    }
}
