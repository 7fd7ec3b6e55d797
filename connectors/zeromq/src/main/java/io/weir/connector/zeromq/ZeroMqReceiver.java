package io.weir.connector.zeromq;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.connector.ConnectorContext;
import io.weir.spi.wal.feed.FeedEvent;
import io.weir.spi.wal.feed.FeedReceiver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.ZMQException;

import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static java.util.Objects.requireNonNull;

/**
 * The daemon thread that owns a ZeroMQ stream's SUB socket ({@link Subscriber}) and puts what it
 * receives on a bounded queue. {@link #start()} waits until the socket has connected or bound.
 * Thread-safe.
 */
final class ZeroMqReceiver implements FeedReceiver {
    private static final Logger LOG = LoggerFactory.getLogger(ZeroMqReceiver.class);
    private static final AtomicInteger RECEIVER_NUMBERS = new AtomicInteger();
    /** Connecting is asynchronous and binding immediate: this only guards against a stuck thread. */
    private static final long READY_MILLIS = 10_000;
    private static final long JOIN_MILLIS = 2000;

    private final ConnectorContext context;
    private final ZeroMqSettings settings;
    private final BlockingQueue<FeedEvent> queue;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final String threadName;
    private Subscriber subscriber;
    private Thread thread;
    private boolean started;

    ZeroMqReceiver(ConnectorContext context, ZeroMqSettings settings, BlockingQueue<FeedEvent> queue) {
        this.context = requireNonNull(context, "context is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.queue = requireNonNull(queue, "queue is null");
        this.threadName = "weir-zeromq-" + context.objectName() + "-" + RECEIVER_NUMBERS.incrementAndGet();
    }

    /** Starts the socket thread unless it runs, and waits until it has connected or bound; a failure is raised, and the next call retries. */
    @Override
    public synchronized void start() {
        if (started) {
            return;
        }
        Subscriber starting = new Subscriber(context.describe(), settings, queue);
        Thread starter = new Thread(() -> {
            try {
                starting.run();
            } catch (RuntimeException | Error e) {
                failure.compareAndSet(null, e);
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
            stop();
            throw openFailure(e.getCause());
        } catch (TimeoutException e) {
            stop();
            throw new WeirException(ErrorCode.SOURCE_ERROR, context.describe() + ": the ZeroMQ socket for "
                    + settings.endpoint() + " was not ready within " + READY_MILLIS + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop();
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

    /** A failure of the socket thread, if it failed. */
    @Override
    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure.get());
    }

    /** The socket thread still running; for tests. */
    synchronized boolean threadAlive() {
        return thread != null && thread.isAlive();
    }

    /** Stops the socket thread and waits (a while) for it. Idempotent. */
    @Override
    public synchronized void stop() {
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
