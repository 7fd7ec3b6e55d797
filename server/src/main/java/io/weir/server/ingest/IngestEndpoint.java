package io.weir.server.ingest;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.weir.engine.source.SourceStatistics;
import io.weir.server.http.HttpCall;
import io.weir.server.http.HttpEndpoint;
import io.weir.server.http.UserEndpoint;
import io.weir.spi.ErrorCode;
import io.weir.sql.auth.Authorizer;
import io.weir.sql.auth.Privilege;
import io.weir.sql.auth.Requirement;
import io.weir.sql.auth.SessionUser;
import io.weir.server.http.HttpReply;
import io.weir.spi.WeirException;
import io.weir.spi.batch.BatchBuilder;
import io.weir.spi.connector.ConnectorResolver;
import io.weir.spi.connector.ConnectorServices;
import io.weir.spi.connector.ObjectKind;
import io.weir.spi.connector.ResolvedConnector;
import io.weir.spi.connector.ingest.HttpIngestConnectorFactory;
import io.weir.spi.connector.ingest.IngestLogs;
import io.weir.spi.connector.ingest.IngestSettings;
import io.weir.spi.error.DeadLetterSink;
import io.weir.spi.error.ErrorPolicy;
import io.weir.spi.error.RecordErrorHandler;
import io.weir.spi.format.FormatFactory;
import io.weir.spi.format.RecordDecodeException;
import io.weir.spi.format.RecordDecoder;
import io.weir.spi.type.DataType;
import io.weir.spi.wal.WalFullException;
import io.weir.spi.wal.WalSettings;
import io.weir.sql.catalog.Catalog;
import io.weir.sql.catalog.CatalogObject;
import io.weir.sql.catalog.ObjectType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * {@code POST /ingest/<stream>}: appends the records of the body to a stream declared with
 * {@code 'connector' = 'http'}. Every record is decoded with the stream's format and schema right away,
 * so the reply can say which were rejected and why; rejected records follow the stream's
 * {@code 'on-error'} ({@code fail} refuses the whole request with 400 and appends nothing, {@code skip}
 * counts them in {@code sys.source_statistics}, {@code dead-letter} also keeps them in
 * {@code sys.dead_letters}). Accepted records are appended, in order and together, to the stream's
 * write-ahead log, and the reply is sent once they are on disk; every query of the stream reads them
 * there. When the log is full ({@code 'wal.max-bytes'} of records its persistent queries have not
 * processed) the request is refused with 503 and {@code Retry-After}, and nothing of it is accepted.
 * With {@code 'wal' = 'false'} records go to the stream's in-memory
 * {@link io.weir.spi.connector.ingest.IngestChannel} instead.
 *
 * <p>Runs on a request thread (see {@link HttpEndpoint}), never on the network threads.
 */
public final class IngestEndpoint implements UserEndpoint {
    /** The route prefix; the rest of the path is the stream name. */
    public static final String PATH_PREFIX = "/ingest/";
    /** The largest body accepted; bigger ones get 413 (split them into several requests). */
    public static final int MAX_BODY_BYTES = 16 << 20;

    private static final Logger LOG = LoggerFactory.getLogger(IngestEndpoint.class);
    /** Validated rows are discarded; the builder is emptied every so many to bound its memory. */
    private static final int VALIDATION_BATCH_ROWS = 1024;
    /** Seconds a client is told to wait after a 503 for a full log; consumers usually commit within a checkpoint interval. */
    static final String RETRY_AFTER_SECONDS = "1";

    private final Catalog catalog;
    private final Path dataDir;
    private final ConnectorServices services;
    private final SourceStatistics statistics;
    private final DeadLetterSink deadLetters;
    private final InstantSource clock;
    private final int maxBodyBytes;
    private final IngestCounts counts;
    private final Authorizer authorizer;

    /**
     * @param statistics  the server's per-stream counters ({@code sys.source_statistics})
     * @param deadLetters the server's dead-letter store ({@code sys.dead_letters})
     * @param dataDir     the server's data directory, under which each stream's write-ahead log is
     * @param services    the server's connector services, whose logs and channels the stream's queries read
     * @param authorizer  checks that the posting user holds INSERT on the stream
     */
    public IngestEndpoint(Catalog catalog, Path dataDir, ConnectorServices services, SourceStatistics statistics,
                          DeadLetterSink deadLetters, InstantSource clock, int maxBodyBytes, Authorizer authorizer) {
        this(catalog, dataDir, services, statistics, deadLetters, clock, maxBodyBytes, authorizer, IngestCounts.NONE);
    }

    /** @param counts told each request's accepted and rejected records (the server's metrics) */
    public IngestEndpoint(Catalog catalog, Path dataDir, ConnectorServices services, SourceStatistics statistics,
                          DeadLetterSink deadLetters, InstantSource clock, int maxBodyBytes, Authorizer authorizer,
                          IngestCounts counts) {
        this.counts = requireNonNull(counts, "counts is null");
        this.authorizer = requireNonNull(authorizer, "authorizer is null");
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.dataDir = requireNonNull(dataDir, "dataDir is null");
        this.services = requireNonNull(services, "services is null");
        this.statistics = requireNonNull(statistics, "statistics is null");
        this.deadLetters = requireNonNull(deadLetters, "deadLetters is null");
        this.clock = requireNonNull(clock, "clock is null");
        if (maxBodyBytes < 1) {
            throw new IllegalArgumentException("maxBodyBytes must be positive: " + maxBodyBytes);
        }
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public HttpReply handle(HttpCall call, SessionUser user) {
        try {
            return ingest(call, user);
        } catch (IngestException e) {
            LOG.debug("POST {} refused ({}): {}", call.path(), e.status().code(), e.getMessage());
            HttpReply reply = IngestReplies.error(e.status(), e.getMessage());
            return e.status().equals(HttpResponseStatus.SERVICE_UNAVAILABLE)
                    ? reply.withHeader(HttpHeaderNames.RETRY_AFTER.toString(), RETRY_AFTER_SECONDS) : reply;
        }
    }

    private HttpReply ingest(HttpCall call, SessionUser user) throws IngestException {
        String streamName = streamName(call.path());
        Target target = target(streamName);
        try {
            authorizer.check(user, List.of(new Requirement.OnObject(Privilege.INSERT, target.object())));
        } catch (WeirException e) {
            if (e.errorCode() != ErrorCode.INSUFFICIENT_PRIVILEGE) {
                throw e;
            }
            LOG.info("POST {} of {} from {} refused: {}", call.path(), user, call.remoteAddress(), e.getMessage());
            throw new IngestException(HttpResponseStatus.FORBIDDEN, e.getMessage());
        }
        if (call.body().length > maxBodyBytes) {
            throw new IngestException(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "The body has " + call.body().length
                    + " bytes, more than the " + maxBodyBytes + " accepted per request; split it into several requests");
        }
        if (call.body().length == 0) {
            throw new IngestException(HttpResponseStatus.BAD_REQUEST, "The body is empty; " + (target.settings().isCsv()
                    ? IngestBodyFormat.CSV_HINT : IngestBodyFormat.JSON_HINT) + ", e.g. curl -X POST --data-binary "
                    + "@events.jsonl -H 'Content-Type: application/x-ndjson' <server>/ingest/" + target.object().name());
        }
        IngestBodyFormat bodyFormat = IngestBodyFormat.of(
                Optional.ofNullable(call.headers().get(HttpHeaderNames.CONTENT_TYPE)), target.settings().isCsv(),
                target.object().name());
        FormatFactory format = target.format();
        List<byte[]> records = bodyFormat == IngestBodyFormat.JSON_VALUES
                ? IngestBodySplitter.jsonValues(call.body())
                : IngestBodySplitter.lines(call.body(), format.createLineFramer(target.resolved().options()));

        Validated validated = validate(target, records);
        ErrorPolicy policy = target.resolved().errorPolicy();
        IngestOutcome outcome = validated.outcome();
        if (outcome.rejected() > 0 && policy == ErrorPolicy.FAIL) {
            counts.counted(target.object().name(), 0, records.size());
            IngestOutcome refused = new IngestOutcome(0, outcome.rejected(), outcome.errors());
            return IngestReplies.outcome(HttpResponseStatus.BAD_REQUEST, refused, "Stream '" + target.object().name()
                    + "' has 'on-error' = 'fail', so the whole request was refused and nothing was accepted: fix the "
                    + "rejected records, or set 'on-error' = 'skip' or 'dead-letter' on the stream to accept the others");
        }
        if (!validated.accepted().isEmpty()) {
            append(target, validated.accepted());
        }
        counts.counted(target.object().name(), outcome.accepted(), outcome.rejected());
        LOG.debug("POST {}: {} records accepted, {} rejected", call.path(), outcome.accepted(), outcome.rejected());
        return IngestReplies.outcome(HttpResponseStatus.OK, outcome, null);
    }

    /** Appends to the stream's log (returning once the records are on disk) or, without a log, to its channel. */
    private void append(Target target, List<byte[]> accepted) throws IngestException {
        String name = target.object().name();
        Optional<WalSettings> wal = target.settings().wal();
        if (wal.isEmpty()) {
            services.ingestChannels().channel(name, target.settings().bufferMaxRecords()).append(accepted);
            return;
        }
        try {
            IngestLogs.open(services.writeAheadLogs(), IngestLogs.connectorDirectory(dataDir, name), name, wal.get(), clock)
                    .append(accepted);
            statistics.counters(name).resumed();
        } catch (WalFullException e) {
            // Shown in sys.source_statistics until a request is accepted again.
            statistics.counters(name).paused(WalFullException.PAUSED_REASON);
            throw new IngestException(HttpResponseStatus.SERVICE_UNAVAILABLE, e.getMessage() + "; nothing of this request "
                    + "was accepted");
        } catch (WeirException e) {
            LOG.error("POST {}{}: {}", PATH_PREFIX, name, e.getMessage(), e);
            throw new IngestException(HttpResponseStatus.INTERNAL_SERVER_ERROR, e.getMessage() + "; nothing of this "
                    + "request was accepted");
        }
    }

    /** Decodes every record; rejected ones go to the stream's error handler unless the policy is {@code fail}. */
    private Validated validate(Target target, List<byte[]> records) {
        String name = target.object().name();
        List<DataType.Field> schema = target.object().physicalSchema();
        RecordDecoder decoder = target.format().createDecoder(schema, target.resolved().options());
        ErrorPolicy policy = target.resolved().errorPolicy();
        RecordErrorHandler errors = new RecordErrorHandler(name, ObjectKind.STREAM, policy,
                policy == ErrorPolicy.DEAD_LETTER ? deadLetters : null, statistics.counters(name), clock);
        BatchBuilder rows = new BatchBuilder(schema);
        List<byte[]> accepted = new ArrayList<>(records.size());
        List<IngestOutcome.Rejection> rejections = new ArrayList<>();
        int rejected = 0;
        for (int i = 0; i < records.size(); i++) {
            byte[] record = records.get(i);
            try {
                int malformed = IngestBodySplitter.malformedUtf8At(record);
                if (malformed >= 0) {
                    throw new RecordDecodeException("The record is not UTF-8 text (byte " + (malformed + 1) + " of it is not"
                            + " valid UTF-8); send UTF-8");
                }
                if (decoder.decode(record, 0, record.length, rows)) {
                    rows.commitRow();
                    accepted.add(record);
                }
            } catch (RecordDecodeException e) {
                rows.abortRow();
                rejected++;
                if (rejections.size() < IngestOutcome.MAX_ERRORS) {
                    rejections.add(new IngestOutcome.Rejection(i + 1, e.reason()));
                }
                if (policy != ErrorPolicy.FAIL) {
                    errors.handle("POST " + PATH_PREFIX + name + " record " + (i + 1), record, e.reason());
                }
            }
            if (rows.rowCount() >= VALIDATION_BATCH_ROWS) {
                rows.reset();
            }
        }
        return new Validated(accepted, new IngestOutcome(accepted.size(), rejected, rejections));
    }

    private static String streamName(String path) throws IngestException {
        String name = path.startsWith(PATH_PREFIX) ? path.substring(PATH_PREFIX.length()) : "";
        if (name.endsWith("/")) {
            name = name.substring(0, name.length() - 1);
        }
        if (name.isBlank() || name.contains("/")) {
            throw new IngestException(HttpResponseStatus.NOT_FOUND, "Post records to " + PATH_PREFIX
                    + "<stream>, e.g. " + PATH_PREFIX + "readings; '" + path + "' names no stream");
        }
        return name;
    }

    /** The stream, which must exist and use the http connector. */
    private Target target(String streamName) throws IngestException {
        CatalogObject object = catalog.get(streamName).orElseThrow(() -> new IngestException(HttpResponseStatus.NOT_FOUND,
                "Stream '" + streamName + "' does not exist. Create it first: CREATE STREAM " + streamName
                        + " (...) WITH ('connector' = '" + HttpIngestConnectorFactory.NAME + "', 'format' = 'json')"));
        if (object.type() != ObjectType.STREAM) {
            throw new IngestException(HttpResponseStatus.CONFLICT, "'" + object.name() + "' is a "
                    + object.type().displayName() + "; only streams with 'connector' = '" + HttpIngestConnectorFactory.NAME
                    + "' accept posted records");
        }
        String connector = object.connector().trim().toLowerCase(Locale.ROOT);
        if (!connector.equals(HttpIngestConnectorFactory.NAME)) {
            throw new IngestException(HttpResponseStatus.CONFLICT, "Stream '" + object.name() + "' reads from connector '"
                    + connector + "', so records cannot be posted to it. Send them where that connector reads, or post "
                    + "to a stream declared WITH ('connector' = '" + HttpIngestConnectorFactory.NAME
                    + "', 'format' = 'json'), e.g. CREATE STREAM " + object.name() + "_http (...) WITH ('connector' = '"
                    + HttpIngestConnectorFactory.NAME + "')");
        }
        try {
            ResolvedConnector resolved = ConnectorResolver.resolve(object.options());
            FormatFactory format = resolved.format().orElseThrow(() -> new IllegalStateException(
                    "the http connector reads a format"));
            IngestSettings settings = IngestSettings.of("Stream '" + object.name() + "'", resolved.options(), format.name());
            return new Target(object, resolved, format, settings);
        } catch (WeirException e) {
            // The options were valid at CREATE time; a format missing from the class path now is the usual cause.
            LOG.warn("Stream '{}' cannot take posted records: {}", object.name(), e.getMessage());
            throw new IngestException(HttpResponseStatus.CONFLICT, e.getMessage());
        }
    }

    private record Target(CatalogObject object, ResolvedConnector resolved, FormatFactory format, IngestSettings settings) {
    }

    private record Validated(List<byte[]> accepted, IngestOutcome outcome) {
    }
}
