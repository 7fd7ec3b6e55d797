package io.weir.connector.socket;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test server like {@code nc -lk}: every client that connects is sent the same text, after which
 * the connection is kept open (until {@link #close()}) or closed.
 */
final class LineServer implements AutoCloseable {
    private final ServerSocket server;
    private final byte[] payload;
    private final boolean closeAfterWriting;
    private final List<Socket> clients = new CopyOnWriteArrayList<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private final Thread thread;

    private LineServer(int port, String text, boolean closeAfterWriting) throws IOException {
        this.server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        this.payload = text.getBytes(StandardCharsets.UTF_8);
        this.closeAfterWriting = closeAfterWriting;
        this.thread = new Thread(this::serve, "line-server-" + server.getLocalPort());
        thread.setDaemon(true);
        thread.start();
    }

    /** Sends {@code text} to every client on an ephemeral port and keeps the connection open. */
    static LineServer keepingOpen(String text) throws IOException {
        return new LineServer(0, text, false);
    }

    /** Sends {@code text} to every client on {@code port} (0: ephemeral) and keeps the connection open. */
    static LineServer keepingOpen(int port, String text) throws IOException {
        return new LineServer(port, text, false);
    }

    /** Sends {@code text} to every client on {@code port} (0: ephemeral), then hangs up. */
    static LineServer closingAfterWriting(int port, String text) throws IOException {
        return new LineServer(port, text, true);
    }

    int port() {
        return server.getLocalPort();
    }

    int accepted() {
        return accepted.get();
    }

    private void serve() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                accepted.incrementAndGet();
                clients.add(client);
                OutputStream out = client.getOutputStream();
                out.write(payload);
                out.flush();
                if (closeAfterWriting) {
                    client.close();
                }
            } catch (IOException e) {
                // Closed by the test, or the client went away: either way this client is done.
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket client : clients) {
            client.close();
        }
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
