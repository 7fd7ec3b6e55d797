package io.weir.connector.zeromq;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.batch.BatchBuilder;
import io.weir.spi.connector.ConnectorContext;
import io.weir.spi.connector.SourceReader;
import io.weir.spi.connector.Split;
import io.weir.spi.error.RecordErrorHandler;
import io.weir.spi.format.RecordDecoder;
import io.weir.spi.wal.feed.FeedEvent;

import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * With {@code 'wal' = 'false'}: reads ZeroMQ messages without a log and without ever blocking the
 * polling thread for long: a {@link ZeroMqReceiver} of its own puts records on a bounded queue;
 * {@link #poll} drains it and decodes, so the decoder and the error policy stay on the polling thread.
 * The thread starts at the first poll (an unused reader holds no socket) and stops at {@link #close()}.
 *
 * <p>One split, 0, named after the endpoint. ZeroMQ hides connections and reconnections, so the
 * split never restarts: a CSV header ('csv.header') is read from the first message only.
 */
final class ZeroMqSourceReader implements SourceReader {
    static final int SPLIT = 0;

    private final ConnectorContext context;
    private final ZeroMqSettings settings;
    private final RecordErrorHandler errors;
    private final RecordDecoder decoder;
    private final BlockingQueue<FeedEvent> queue;
    private final ZeroMqReceiver receiver;
    private boolean closed;

    ZeroMqSourceReader(ConnectorContext context, ZeroMqSettings settings) {
        this.context = context;
        this.settings = settings;
        this.errors = context.errorHandler();
        this.decoder = context.createDecoder();
        this.queue = new ArrayBlockingQueue<>(settings.queueMaxRecords());
        this.receiver = new ZeroMqReceiver(context, settings, queue);
    }

    @Override
    public int poll(BatchBuilder out, int maxRows) {
        if (closed) {
            throw new IllegalStateException("reader is closed");
        }
        receiver.start();
        Throwable failure = receiver.failure().orElse(null);
        if (failure != null) {
            throw new WeirException(ErrorCode.SOURCE_ERROR, context.describe() + ": receiving from "
                    + settings.endpoint() + " failed: " + failure, failure);
        }
        int added = 0;
        // Records that yield no row (blank, skipped) are bounded too, so a poll stays short.
        long examinedLimit = maxRows * 4L + 1024;
        long examined = 0;
        try {
            while (added < maxRows && examined++ < examinedLimit) {
                FeedEvent event = queue.poll();
                if (event == null) {
                    break;
                }
                if (event.kind() == FeedEvent.Kind.RECORD
                        && errors.decodeInto(decoder, event.text(), out, SPLIT, event::source)) {
                    added++;
                }
            }
        } finally {
            errors.recordsRead(added);
        }
        return added;
    }

    /** The socket thread still running; for tests. */
    boolean threadAlive() {
        return receiver.threadAlive();
    }

    @Override
    public List<Split> splits() {
        return List.of(new Split(SPLIT, settings.endpoint(), false));
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
        receiver.stop();
        queue.clear();
    }
}
