package io.weir.server.meta;

import io.weir.sql.statement.ResultColumn;
import org.apache.calcite.avatica.Meta;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static java.util.Objects.requireNonNull;

/**
 * The rows of an executed statement still to be fetched. Fetching is idempotent by offset: a client
 * that retries a fetch (after a lost response) gets the same frame again.
 */
final class OpenResult implements ResultCursor {
    private static final Logger LOG = LoggerFactory.getLogger(OpenResult.class);

    private final List<ResultColumn> columns;
    private final Iterator<Object[]> rows;
    private final AutoCloseable resources;
    private final long maxRows;
    private long delivered;
    private Meta.Frame lastFrame;
    private boolean closed;

    /** @param maxRows stop after this many rows (JDBC maxRows / LIMIT); 0 or less for no limit */
    OpenResult(List<ResultColumn> columns, Iterator<Object[]> rows, AutoCloseable resources, long maxRows) {
        this.columns = List.copyOf(columns);
        this.rows = requireNonNull(rows, "rows is null");
        this.resources = requireNonNull(resources, "resources is null");
        this.maxRows = maxRows;
    }

    @Override
    public CompletableFuture<Meta.Frame> fetch(long offset, int maxRowCount, Duration maxWait) {
        try {
            return CompletableFuture.completedFuture(fetchNow(offset, maxRowCount));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** The frame at {@code offset}, computed on the calling thread. */
    synchronized Meta.Frame fetchNow(long offset, int maxRowCount) {
        if (lastFrame != null && offset == lastFrame.offset) {
            return lastFrame;
        }
        if (offset != delivered) {
            throw new IllegalStateException("fetch at offset " + offset + " but " + delivered + " rows were delivered");
        }
        int limit = maxRowCount <= 0 ? 100 : maxRowCount;
        List<Object> frameRows = new ArrayList<>(Math.min(limit, 1024));
        boolean done = false;
        while (frameRows.size() < limit) {
            if (closed || (maxRows > 0 && delivered + frameRows.size() >= maxRows) || !rows.hasNext()) {
                done = true;
                break;
            }
            frameRows.add(AvaticaTypes.toWire(columns, rows.next()));
        }
        if (!done && (maxRows > 0 && delivered + frameRows.size() >= maxRows || !rows.hasNext())) {
            done = true;
        }
        lastFrame = new Meta.Frame(offset, done, frameRows);
        delivered += frameRows.size();
        if (done) {
            close();
        }
        return lastFrame;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            resources.close();
        } catch (Exception e) {
            LOG.warn("Failed to release the resources of a result: {}", e.toString(), e);
        }
    }
}
