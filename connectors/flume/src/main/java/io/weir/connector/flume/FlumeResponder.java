package io.weir.connector.flume;

import io.weir.spi.error.SourceCounters;
import io.weir.spi.wal.WalFullException;
import io.weir.spi.wal.WriteAheadLog;
import org.apache.avro.Protocol;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.ipc.generic.GenericResponder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static java.util.Objects.requireNonNull;

/**
 * Answers Flume's {@code AvroSourceProtocol} (the protocol as Flume publishes it, read generically, so
 * no Flume code is needed): the events of an {@code append} or {@code appendBatch} are appended to the
 * stream's write-ahead log as one write, and {@code OK} is answered only once they are on disk;
 * {@code FAILED} when the log is full or cannot be written, so the agent's Avro sink rolls back its
 * transaction and sends the events again. Runs on the listener's I/O threads; thread-safe.
 */
final class FlumeResponder extends GenericResponder {
    private static final Logger LOG = LoggerFactory.getLogger(FlumeResponder.class);
    static final Protocol PROTOCOL = loadProtocol();

    private final String describedObject;
    private final WriteAheadLog log;
    private final int maxEventBytes;
    private final SourceCounters counters;
    private final GenericData.EnumSymbol ok;
    private final GenericData.EnumSymbol failed;
    private final AtomicBoolean full = new AtomicBoolean();

    FlumeResponder(String describedObject, WriteAheadLog log, int maxEventBytes, SourceCounters counters) {
        super(PROTOCOL);
        this.describedObject = requireNonNull(describedObject, "describedObject is null");
        this.log = requireNonNull(log, "log is null");
        this.maxEventBytes = maxEventBytes;
        this.counters = requireNonNull(counters, "counters is null");
        org.apache.avro.Schema status = PROTOCOL.getType("org.apache.flume.source.avro.Status");
        this.ok = new GenericData.EnumSymbol(status, "OK");
        this.failed = new GenericData.EnumSymbol(status, "FAILED");
    }

    private static Protocol loadProtocol() {
        try (InputStream in = FlumeResponder.class.getResourceAsStream("AvroSourceProtocol.avpr")) {
            if (in == null) {
                throw new IllegalStateException("AvroSourceProtocol.avpr is missing from the class path");
            }
            return Protocol.parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Object respond(Protocol.Message message, Object request) {
        GenericRecord arguments = (GenericRecord) request;
        List<byte[]> records = new ArrayList<>();
        switch (message.getName()) {
            case "append" -> records.add(logged((GenericRecord) arguments.get("event")));
            case "appendBatch" -> {
                for (Object event : (List<?>) arguments.get("events")) {
                    records.add(logged((GenericRecord) event));
                }
            }
            default -> throw new IllegalArgumentException("unknown message " + message.getName());
        }
        return append(records) ? ok : failed;
    }

    private byte[] logged(GenericRecord event) {
        Map<String, String> headers = new LinkedHashMap<>();
        Object received = event.get("headers");
        if (received instanceof Map<?, ?> map) {
            map.forEach((name, value) -> headers.put(String.valueOf(name), value == null ? "" : value.toString()));
        }
        ByteBuffer body = (ByteBuffer) event.get("body");
        byte[] bytes = new byte[body.remaining()];
        body.duplicate().get(bytes);
        return LoggedEvent.of(headers, bytes, maxEventBytes).encode();
    }

    /** Appends the request's events as one write; whether they are on disk. */
    private boolean append(List<byte[]> records) {
        if (records.isEmpty()) {
            return true;
        }
        try {
            log.append(records);
            if (full.compareAndSet(true, false)) {
                counters.resumed();
                LOG.info("{}: the write-ahead log has room again; Flume events are accepted", describedObject);
            }
            return true;
        } catch (WalFullException e) {
            if (full.compareAndSet(false, true)) {
                counters.paused(WalFullException.PAUSED_REASON);
                LOG.warn("{}: {}. Flume agents are answered FAILED (they retry) until retention frees space",
                        describedObject, e.getMessage());
            }
            return false;
        } catch (RuntimeException e) {
            LOG.error("{}: cannot log {} Flume events; the agent is answered FAILED and retries", describedObject,
                    records.size(), e);
            return false;
        }
    }
}
