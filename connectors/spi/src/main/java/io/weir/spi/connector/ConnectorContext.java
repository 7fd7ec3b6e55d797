package io.weir.spi.connector;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.error.RecordErrorHandler;
import io.weir.spi.format.FormatFactory;
import io.weir.spi.format.LineFramer;
import io.weir.spi.format.RecordDecoder;
import io.weir.spi.format.RecordEncoder;
import io.weir.spi.option.OptionValues;
import io.weir.spi.type.DataType;
import io.weir.spi.type.Projection;

import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import static java.util.Objects.requireNonNull;

/**
 * Everything a connector knows about the object it backs.
 *
 * @param objectName the stream or table name as declared
 * @param kind stream or table
 * @param schema the physical columns in declared order, names as declared; connectors match external
 *               field names to them ignoring case
 * @param options all validated WITH options: connector, format and {@link CommonOptions}
 * @param format the format, when the connector uses one
 * @param errorHandler applies {@code 'on-error'} to records that cannot be decoded, and counts rows
 * @param dataDirectory a directory the connector may keep state in (not necessarily existing yet)
 * @param clock the time source for generated timestamps and polling intervals; tests pass a fake one
 * @param metadataColumns the {@code METADATA FROM} columns a source fills, in this order, after the
 *        physical columns of each row (a reader's rows have {@code schema} then these columns)
 * @param consumerId present when a persistent query reads: a stable id (the same after a server
 *        restart) under which a connector that can remember positions (Kafka consumer-group offsets)
 *        resumes from what this reader last {@linkplain SourceReader#commit() committed}; for a sink
 *        of a persistent query, the stable id of the writing query and sink ({@code <query id>.<sink>}),
 *        under which an exactly-once writer names its transactions, staged files or progress rows
 * @param primaryKey the declared {@code PRIMARY KEY} columns, names as declared; empty when none was
 *        declared (a sink that can upsert, such as {@code jdbc}, writes by this key)
 * @param services what the server shares among its connectors (write-ahead logs, feeds, ingest
 *        channels); the constructors without it give the context services of its own, for connectors
 *        run outside a server (tests, tools)
 * @param projection the columns of {@link #readerRowType()} the query reads: a reader must fill these
 *        and may leave the others NULL ({@link #createDecoder()} hands it to the format, which then
 *        skips the other fields); {@link Projection#all()} for sinks and whole-table reads
 */
public record ConnectorContext(String objectName, ObjectKind kind, List<DataType.Field> schema, OptionValues options,
                               Optional<FormatFactory> format, RecordErrorHandler errorHandler, Path dataDirectory,
                               InstantSource clock, List<MetadataColumn> metadataColumns, Optional<String> consumerId,
                               List<String> primaryKey, ConnectorServices services, Projection projection) {
    /** A context with services of its own (not a server's), reading every column. */
    public ConnectorContext(String objectName, ObjectKind kind, List<DataType.Field> schema, OptionValues options,
                            Optional<FormatFactory> format, RecordErrorHandler errorHandler, Path dataDirectory,
                            InstantSource clock, List<MetadataColumn> metadataColumns, Optional<String> consumerId,
                            List<String> primaryKey) {
        this(objectName, kind, schema, options, format, errorHandler, dataDirectory, clock, metadataColumns, consumerId,
                primaryKey, new ConnectorServices(), Projection.all());
    }

    /** A context without a primary key. */
    public ConnectorContext(String objectName, ObjectKind kind, List<DataType.Field> schema, OptionValues options,
                            Optional<FormatFactory> format, RecordErrorHandler errorHandler, Path dataDirectory,
                            InstantSource clock, List<MetadataColumn> metadataColumns, Optional<String> consumerId) {
        this(objectName, kind, schema, options, format, errorHandler, dataDirectory, clock, metadataColumns, consumerId,
                List.of());
    }

    /** A context without metadata columns, for a query that does not resume. */
    public ConnectorContext(String objectName, ObjectKind kind, List<DataType.Field> schema, OptionValues options,
                            Optional<FormatFactory> format, RecordErrorHandler errorHandler, Path dataDirectory,
                            InstantSource clock) {
        this(objectName, kind, schema, options, format, errorHandler, dataDirectory, clock, List.of(), Optional.empty());
    }

    public ConnectorContext {
        metadataColumns = List.copyOf(requireNonNull(metadataColumns, "metadataColumns is null"));
        requireNonNull(consumerId, "consumerId is null");
        primaryKey = List.copyOf(requireNonNull(primaryKey, "primaryKey is null"));
        requireNonNull(objectName, "objectName is null");
        requireNonNull(kind, "kind is null");
        schema = List.copyOf(requireNonNull(schema, "schema is null"));
        requireNonNull(options, "options is null");
        requireNonNull(format, "format is null");
        requireNonNull(errorHandler, "errorHandler is null");
        requireNonNull(dataDirectory, "dataDirectory is null");
        requireNonNull(clock, "clock is null");
        requireNonNull(services, "services is null");
        requireNonNull(projection, "projection is null");
    }

    /** The same context with these metadata columns and consumer id. */
    public ConnectorContext withReading(List<MetadataColumn> metadataColumns, Optional<String> consumerId) {
        return new ConnectorContext(objectName, kind, schema, options, format, errorHandler, dataDirectory, clock,
                metadataColumns, consumerId, primaryKey, services, projection);
    }

    /** The same context with this declared primary key (column names as declared). */
    public ConnectorContext withPrimaryKey(List<String> primaryKey) {
        return new ConnectorContext(objectName, kind, schema, options, format, errorHandler, dataDirectory, clock,
                metadataColumns, consumerId, primaryKey, services, projection);
    }

    /** The same context with the services of a server (or of a test standing in for one). */
    public ConnectorContext withServices(ConnectorServices services) {
        return new ConnectorContext(objectName, kind, schema, options, format, errorHandler, dataDirectory, clock,
                metadataColumns, consumerId, primaryKey, services, projection);
    }

    /** The same context reading only the columns {@code projection} reads. */
    public ConnectorContext withProjection(Projection projection) {
        return new ConnectorContext(objectName, kind, schema, options, format, errorHandler, dataDirectory, clock,
                metadataColumns, consumerId, primaryKey, services, projection);
    }

    /** For a sink: its counters, where its writer adds the bytes it sent and the attempts it repeated. */
    public SinkCounters sinkCounters() {
        return services.sinkStatistics().counters(objectName);
    }

    /** The columns of the rows a reader produces: the physical schema, then the metadata columns. */
    public List<DataType.Field> readerRowType() {
        if (metadataColumns.isEmpty()) {
            return schema;
        }
        List<DataType.Field> fields = new java.util.ArrayList<>(schema);
        for (MetadataColumn column : metadataColumns) {
            fields.add(new DataType.Field(column.name(), column.type()));
        }
        return List.copyOf(fields);
    }

    /** {@code Stream 'clicks'}, for the start of messages. */
    public String describe() {
        return kind.displayName() + " '" + objectName + "'";
    }

    /** The format, or an internal error for connectors that declared they use one. */
    public FormatFactory requireFormat() {
        return format.orElseThrow(() -> new WeirException(ErrorCode.INTERNAL_ERROR,
                describe() + ": the connector needs a format but none was resolved"));
    }

    /** A new decoder of the format for this schema and these options, filling the columns of the projection. */
    public RecordDecoder createDecoder() {
        return projection.readsAll(schema.size()) ? requireFormat().createDecoder(schema, options)
                : requireFormat().createDecoder(schema, options, projection);
    }

    /** A new encoder of the format for this schema and these options, for sinks. */
    /** The format as a whole-file format ({@link io.weir.spi.format.FileFormat}), when it is one, such as Parquet. */
    public Optional<io.weir.spi.format.FileFormat> fileFormat() {
        return format.flatMap(factory -> factory.fileFormat(schema, options));
    }

    public RecordEncoder createEncoder() {
        return requireFormat().createEncoder(schema, options);
    }

    public LineFramer createLineFramer() {
        return requireFormat().createLineFramer(options);
    }

    /** The index of the column named {@code name}: exact match first, then ignoring case. */
    public OptionalInt columnIndex(String name) {
        for (int i = 0; i < schema.size(); i++) {
            if (schema.get(i).name().equals(name)) {
                return OptionalInt.of(i);
            }
        }
        for (int i = 0; i < schema.size(); i++) {
            if (schema.get(i).name().equalsIgnoreCase(name)) {
                return OptionalInt.of(i);
            }
        }
        return OptionalInt.empty();
    }
}
