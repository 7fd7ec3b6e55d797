package io.weir.connector.zeromq;

import org.zeromq.SocketType;
import org.zeromq.ZMQ;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real ZeroMQ publisher for tests, on a thread of its own (sockets are not thread-safe). It binds an
 * XPUB socket, which is a PUB socket that also tells the application about subscriptions: each time a
 * subscriber subscribes, the fixed messages are published again. That avoids ZeroMQ's slow-joiner
 * problem (a PUB socket drops what it sends before the subscriber is connected) without sleeping,
 * and gives every reader the same messages. {@link #publish} sends more from the test.
 */
final class Publisher implements AutoCloseable {
    private final List<List<String>> onSubscribe;
    private final BlockingQueue<List<String>> outgoing = new LinkedBlockingQueue<>();
    private final AtomicInteger subscriptions = new AtomicInteger();
    private final CompletableFuture<Integer> bound = new CompletableFuture<>();
    private final Thread thread;
    private volatile boolean stopping;

    /**
     * @param port the port to bind on 127.0.0.1, 0 for any free port
     * @param onSubscribe messages (each a list of frames) published whenever a subscriber subscribes
     */
    Publisher(int port, List<List<String>> onSubscribe) {
        this.onSubscribe = List.copyOf(onSubscribe);
        thread = new Thread(() -> run(port), "test-publisher");
        thread.setDaemon(true);
        thread.start();
        try {
            bound.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            close();
            throw new IllegalStateException("publisher did not bind", e);
        }
    }

    /** Single-frame messages, one per text. */
    static List<List<String>> singleFrames(List<String> texts) {
        return texts.stream().map(List::of).toList();
    }

    int port() {
        return bound.join();
    }

    String endpoint() {
        return "tcp://127.0.0.1:" + port();
    }

    int subscriptions() {
        return subscriptions.get();
    }

    /** Publishes one message (frames) from the publisher's thread. */
    void publish(String... frames) {
        outgoing.add(List.of(frames));
    }

    private void run(int port) {
        try (ZMQ.Context context = ZMQ.context(1)) {
            ZMQ.Socket socket = context.socket(SocketType.XPUB);
            try {
                socket.setLinger(0);
                // Never drop in tests: the subscriber's own buffers are what is being tested.
                socket.setSndHWM(0);
                socket.setXpubVerbose(true);
                socket.setReceiveTimeOut(10);
                if (port == 0) {
                    bound.complete(socket.bindToRandomPort("tcp://127.0.0.1"));
                } else {
                    socket.bind("tcp://127.0.0.1:" + port);
                    bound.complete(port);
                }
                while (!stopping) {
                    byte[] subscription = socket.recv(0);
                    if (subscription != null && subscription.length > 0 && subscription[0] == 1) {
                        subscriptions.incrementAndGet();
                        onSubscribe.forEach(frames -> send(socket, frames));
                    }
                    List<String> frames;
                    while ((frames = outgoing.poll()) != null) {
                        send(socket, frames);
                    }
                }
            } catch (RuntimeException e) {
                bound.completeExceptionally(e);
                throw e;
            } finally {
                socket.close();
            }
        }
    }

    private static void send(ZMQ.Socket socket, List<String> frames) {
        for (int i = 0; i < frames.size(); i++) {
            socket.send(frames.get(i).getBytes(StandardCharsets.UTF_8), i < frames.size() - 1 ? ZMQ.SNDMORE : 0);
        }
    }

    @Override
    public void close() {
        stopping = true;
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
