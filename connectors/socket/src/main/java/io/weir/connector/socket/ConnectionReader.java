package io.weir.connector.socket;

import io.weir.spi.format.LineFramer;
import io.weir.spi.wal.feed.FeedEvent;

import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.Charset;
import java.util.concurrent.BlockingQueue;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * Reads one connection to its end on a socket thread: lines, grouped into records by the format's
 * {@link LineFramer} (joined with \n), each put on the reader's queue. Putting blocks while the queue
 * is full, so that a fast sender is slowed down by TCP flow control instead of filling memory.
 */
final class ConnectionReader {
    /** How much of an oversized record is kept for the error handler (and a dead letter). */
    private static final int OVERSIZED_KEPT = 4096;

    private final BlockingQueue<FeedEvent> queue;
    private final Supplier<LineFramer> framers;
    private final Charset charset;
    private final int maxLength;

    ConnectionReader(BlockingQueue<FeedEvent> queue, Supplier<LineFramer> framers, Charset charset, int maxLength) {
        this.queue = requireNonNull(queue, "queue is null");
        this.framers = requireNonNull(framers, "framers is null");
        this.charset = requireNonNull(charset, "charset is null");
        this.maxLength = maxLength;
    }

    /**
     * Reads {@code socket} until the peer closes it, queueing its records for {@code split}.
     *
     * @param name the connection as shown in error messages, e.g. {@code client /10.0.0.7:51234}
     * @return the number of records queued
     */
    long read(Socket socket, int split, String name) throws IOException, InterruptedException {
        LineFramer framer = framers.get();
        framer.reset();
        LineReader lines = new LineReader(new InputStreamReader(socket.getInputStream(), charset), maxLength);
        StringBuilder pending = new StringBuilder();
        boolean inRecord = false;
        long lineNumber = 0;
        long recordLine = 0;
        long records = 0;
        String line;
        while ((line = lines.readLine()) != null) {
            lineNumber++;
            if (!inRecord) {
                recordLine = lineNumber;
            }
            if (lines.lastLineCut() || inRecord && pending.length() + 1L + line.length() > maxLength) {
                String start = inRecord ? pending.toString() : line;
                queue.put(FeedEvent.oversized(split, start.substring(0, Math.min(start.length(), OVERSIZED_KEPT)),
                        source(name, recordLine), "record longer than 'max-line-length' (" + maxLength + " characters)"));
                framer.reset();
                pending.setLength(0);
                inRecord = false;
                records++;
                continue;
            }
            boolean ends = framer.endsRecord(line);
            if (!inRecord && ends) {
                queue.put(FeedEvent.record(split, line, source(name, recordLine)));
                records++;
                continue;
            }
            if (inRecord) {
                pending.append('\n');
            }
            pending.append(line);
            inRecord = !ends;
            if (ends) {
                queue.put(FeedEvent.record(split, pending.toString(), source(name, recordLine)));
                pending.setLength(0);
                records++;
            }
        }
        if (inRecord) {
            // As at the end of a file: an unfinished record is handed over as is, and the decoder reports it.
            queue.put(FeedEvent.record(split, pending.toString(), source(name, recordLine)));
            records++;
        }
        return records;
    }

    private static String source(String name, long line) {
        return "socket " + name + " line " + line;
    }
}
