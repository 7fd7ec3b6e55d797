package io.weir.connector.socket;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.batch.BatchBuilder;
import io.weir.spi.connector.ConnectorContext;
import io.weir.spi.connector.SourceReader;
import io.weir.spi.connector.Split;
import io.weir.spi.error.RecordErrorHandler;
import io.weir.spi.format.RecordDecoder;
import io.weir.spi.wal.feed.FeedEvent;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * With {@code 'wal' = 'false'}: reads a socket stream without ever blocking the polling thread, and
 * without a log. A {@link SocketReceiver} of its own reads the sockets onto a bounded queue;
 * {@link #poll} drains it and decodes, so splits, decoders and the error policy stay on the polling
 * thread. The threads start at the first poll (an unused reader holds no socket) and stop at
 * {@link #close()}, which closes every socket.
 *
 * <p>Splits: in connect mode the single split 0, named {@code host:port}, for every connection in turn
 * (a CSV header is expected again after a reconnection); in listen mode one split per client
 * connection, finished when the client disconnects.
 */
final class SocketSourceReader implements SourceReader {
    private final ConnectorContext context;
    private final RecordErrorHandler errors;
    private final BlockingQueue<FeedEvent> queue;
    private final SocketReceiver receiver;
    private final List<Split> splits = new ArrayList<>();
    private final Map<Integer, RecordDecoder> decoders = new HashMap<>();
    private boolean closed;

    SocketSourceReader(ConnectorContext context, SocketSettings settings) {
        this.context = context;
        this.errors = context.errorHandler();
        this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
        this.receiver = new SocketReceiver(context, settings, queue);
        if (settings.mode() == SocketMode.CONNECT) {
            splits.add(new Split(ReconnectingClient.SPLIT, settings.address(), false));
            decoders.put(ReconnectingClient.SPLIT, context.createDecoder());
        }
    }

    @Override
    public int poll(BatchBuilder out, int maxRows) {
        if (closed) {
            throw new IllegalStateException("reader is closed");
        }
        receiver.start();
        Throwable failure = receiver.failure().orElse(null);
        if (failure != null) {
            throw new WeirException(ErrorCode.SOURCE_ERROR, context.describe() + ": reading the socket failed: " + failure, failure);
        }
        int added = 0;
        // Events that yield no row (blank lines, skipped records, connections) are bounded too, so a poll stays short.
        long examinedLimit = maxRows * 4L + 1024;
        long examined = 0;
        try {
            while (added < maxRows && examined++ < examinedLimit) {
                FeedEvent event = queue.poll();
                if (event == null) {
                    break;
                }
                int split = (int) event.connection();
                switch (event.kind()) {
                    case OPENED -> opened(split, event.text());
                    case CLOSED -> closed(split);
                    case OVERSIZED -> errors.handle(event.source(), event.text(), event.problem());
                    case RECORD -> {
                        if (errors.decodeInto(decoders.get(split), event.text(), out, split, event::source)) {
                            added++;
                        }
                    }
                }
            }
        } finally {
            errors.recordsRead(added);
        }
        return added;
    }

    private void opened(int split, String name) {
        if (split < splits.size()) {
            // Connect mode: the same split on a new connection.
            decoders.get(split).startSplit();
            return;
        }
        if (split != splits.size()) {
            throw new IllegalStateException("split " + split + " announced after " + splits.size() + " splits");
        }
        splits.add(new Split(split, name, false));
        decoders.put(split, context.createDecoder());
    }

    private void closed(int split) {
        splits.set(split, new Split(split, splits.get(split).name(), true));
        decoders.remove(split);
    }

    /** The port listened on, once the first poll has bound it; for tests with {@code 'port' = '0'}. */
    int localPort() {
        return receiver.localPort();
    }

    /** The socket threads still running; for tests. */
    int liveThreads() {
        return receiver.liveThreads();
    }

    @Override
    public List<Split> splits() {
        return List.copyOf(splits);
    }

    @Override
    public boolean isFinished() {
        return false;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        receiver.close();
        queue.clear();
        decoders.clear();
    }
}
