package io.weir.spi.wal.feed;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.batch.BatchBuilder;
import io.weir.spi.connector.OffsetReader;
import io.weir.spi.connector.Split;
import io.weir.spi.connector.SplitOffsets;
import io.weir.spi.wal.LogSourceReader;

import java.util.List;
import java.util.OptionalLong;

import static java.util.Objects.requireNonNull;

/**
 * A reader of a fed stream: reads the log ({@link LogSourceReader}) and makes sure, at every poll,
 * that the stream's feed receives (it starts at the first poll of any reader, so an unused reader
 * holds no socket) and has not failed. Closing it releases its lease on the feed.
 */
public final class FeedReader implements OffsetReader {
    private final String describedObject;
    private final LogFeed feed;
    private final LogSourceReader log;

    /** For a connector with its own log decoding (Flume): its feed and its reader of the log. */
    public FeedReader(String describedObject, LogFeed feed, LogSourceReader log) {
        this.describedObject = requireNonNull(describedObject, "describedObject is null");
        this.feed = requireNonNull(feed, "feed is null");
        this.log = requireNonNull(log, "log is null");
    }

    @Override
    public int poll(BatchBuilder out, int maxRows) {
        feed.start();
        Throwable failure = feed.failure().orElse(null);
        if (failure != null) {
            throw new WeirException(ErrorCode.SOURCE_ERROR, describedObject + ": receiving failed: " + failure.getMessage()
                    + ". Restart the queries of the stream once the cause is fixed", failure);
        }
        return log.poll(out, maxRows);
    }

    @Override
    public SplitOffsets offsets() {
        return log.offsets();
    }

    @Override
    public void commit(String consumerId, SplitOffsets offsets) {
        log.commit(consumerId, offsets);
    }

    @Override
    public void commit() {
        log.commit();
    }

    @Override
    public List<Split> splits() {
        return log.splits();
    }

    @Override
    public boolean isFinished() {
        return false;
    }

    @Override
    public OptionalLong lag() {
        return log.lag();
    }

    @Override
    public void close() {
        log.close();
    }
}
