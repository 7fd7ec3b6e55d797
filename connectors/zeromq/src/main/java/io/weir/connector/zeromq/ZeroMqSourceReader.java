package io.weir.connector.zeromq;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.batch.BatchBuilder;
import io.weir.spi.connector.ConnectorContext;
import io.weir.spi.connector.SourceReader;
import io.weir.spi.connector.Split;
import io.weir.spi.error.RecordErrorHandler;
import io.weir.spi.format.RecordDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.ZMQException;

import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Reads ZeroMQ messages without ever blocking the polling thread for long: a daemon thread owns the
 * SUB socket ({@link Subscriber}) and puts records on a bounded queue; {@link #poll} drains it and
 * decodes, so the decoder and the error policy stay on the polling thread. The thread starts at the
 * first poll (an unused reader holds no socket) and stops at {@link #close()}.
 *
 * <p>One split, 0, named after the endpoint. ZeroMQ hides connections and reconnections, so the
 * split never restarts: a CSV header ('csv.header') is read from the first message only.
 */
final class ZeroMqSourceReader implements SourceReader {
    private static final Logger LOG = LoggerFactory.getLogger(ZeroMqSourceReader.class);
    private static final AtomicInteger READER_NUMBERS = new AtomicInteger();
    static final int SPLIT = 0;
    /** Connecting is asynchronous and binding immediate: this only guards against a stuck thread. */
    private static final long READY_MILLIS = 10_000;
    private static final long JOIN_MILLIS = 2000;

    private final ConnectorContext context;
    private final ZeroMqSettings settings;
    private final RecordErrorHandler errors;
    private final RecordDecoder decoder;
    private final BlockingQueue<ZeroMqRecord> queue;
    private final AtomicReference<Throwable> threadFailure = new AtomicReference<>();
    private final String threadName;
    private Subscriber subscriber;
    private Thread thread;
    private boolean started;
    private boolean closed;

    ZeroMqSourceReader(ConnectorContext context, ZeroMqSettings settings) {
        this.context = context;
        this.settings = settings;
        this.errors = context.errorHandler();
        this.decoder = context.createDecoder();
        this.queue = new ArrayBlockingQueue<>(settings.queueMaxRecords());
        this.threadName = "weir-zeromq-" + context.objectName() + "-" + READER_NUMBERS.incrementAndGet();
    }

    @Override
    public int poll(BatchBuilder out, int maxRows) {
        if (closed) {
            throw new IllegalStateException("reader is closed");
        }
        if (!started) {
            start();
        }
        Throwable failure = threadFailure.get();
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
                ZeroMqRecord record = queue.poll();
                if (record == null) {
                    break;
                }
                if (decode(record, out)) {
                    added++;
                }
            }
        } finally {
            errors.recordsRead(added);
        }
        return added;
    }

    private boolean decode(ZeroMqRecord record, BatchBuilder out) {
        return errors.decodeInto(decoder, record.text(), out, SPLIT, record::source);
    }

    /** Starts the socket thread and waits until it has connected or bound; a failure is raised, and the next poll retries. */
    private void start() {
        Subscriber starting = new Subscriber(context.describe(), settings, queue);
        Thread starter = new Thread(() -> {
            try {
                starting.run();
            } catch (RuntimeException | Error e) {
                threadFailure.compareAndSet(null, e);
                LOG.error("{}: ZeroMQ thread {} failed", context.describe(), Thread.currentThread().getName(), e);
            }
        }, threadName);
        starter.setDaemon(true);
        starter.start();
        subscriber = starting;
        thread = starter;
        try {
            starting.ready().get(READY_MILLIS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            stopThread();
            throw openFailure(e.getCause());
        } catch (TimeoutException e) {
            stopThread();
            throw new WeirException(ErrorCode.SOURCE_ERROR, context.describe() + ": the ZeroMQ socket for "
                    + settings.endpoint() + " was not ready within " + READY_MILLIS + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopThread();
            throw new WeirException(ErrorCode.SOURCE_ERROR, context.describe() + ": interrupted while opening the ZeroMQ socket", e);
        }
        started = true;
    }

    private WeirException openFailure(Throwable cause) {
        String problem = cause instanceof ZMQException ? cause.getMessage() : String.valueOf(cause);
        String hint = settings.mode() == ZeroMqMode.BIND
                ? ". Check 'endpoint'; another program or another query reading this stream may be using the port"
                : ". Check 'endpoint'";
        return new WeirException(ErrorCode.SOURCE_ERROR, context.describe() + ": cannot " + settings.mode().optionValue()
                + " " + settings.endpoint() + ": " + problem + hint, cause);
    }

    /** The socket thread still running; for tests. */
    boolean threadAlive() {
        return thread != null && thread.isAlive();
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
        stopThread();
        queue.clear();
    }

    private void stopThread() {
        if (thread == null) {
            return;
        }
        subscriber.stop();
        try {
            thread.join(JOIN_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.warn("{}: ZeroMQ thread {} did not stop within {} ms", context.describe(), thread.getName(), JOIN_MILLIS);
        }
    }
}
