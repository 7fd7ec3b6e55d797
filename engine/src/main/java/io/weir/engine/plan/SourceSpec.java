package io.weir.engine.plan;

import io.weir.spi.connector.MetadataColumn;
import io.weir.spi.connector.ObjectKind;
import io.weir.spi.type.DataType;
import io.weir.spi.type.Projection;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Everything the engine needs to read a registered stream: its connector options (as registered,
 * resolved again by the engine with {@link io.weir.spi.connector.ConnectorResolver}), its physical
 * columns, and its event time.
 *
 * @param eventTimeColumn index into {@link #outputType()} of the WATERMARK column, or -1 when the
 *        stream has no watermark (processing time only)
 * @param watermarkDelay how far the watermark trails the largest event time seen
 * @param idleTimeout a split without rows for this long stops holding the watermark back
 * @param metadataColumns the {@code METADATA FROM} columns the source fills after the physical ones
 * @param computedEventTime the event-time column computed from the others, appended after them, when
 *        the WATERMARK is on a computed column
 * @param projection the columns of {@link #rowType()} the query reads (always including the event-time
 *        column); the source may leave the others NULL, so no operator may read them. Set by the
 *        planner ({@link ScanProjection}); {@link Projection#all()} reads every column, as a stream with
 *        a computed event time always does (its expression reads the row)
 */
public record SourceSpec(String objectName, ObjectKind kind, Map<String, String> options,
                         List<DataType.Field> physicalSchema, int eventTimeColumn, Duration watermarkDelay,
                         Optional<Duration> idleTimeout, List<MetadataColumn> metadataColumns,
                         Optional<ComputedEventTime> computedEventTime, Projection projection) {
    /** A stream read whole, with a computed event time or not. */
    public SourceSpec(String objectName, ObjectKind kind, Map<String, String> options,
                      List<DataType.Field> physicalSchema, int eventTimeColumn, Duration watermarkDelay,
                      Optional<Duration> idleTimeout, List<MetadataColumn> metadataColumns,
                      Optional<ComputedEventTime> computedEventTime) {
        this(objectName, kind, options, physicalSchema, eventTimeColumn, watermarkDelay, idleTimeout, metadataColumns,
                computedEventTime, Projection.all());
    }

    /** A stream whose event time, if any, is a column it reads, read whole. */
    public SourceSpec(String objectName, ObjectKind kind, Map<String, String> options,
                      List<DataType.Field> physicalSchema, int eventTimeColumn, Duration watermarkDelay,
                      Optional<Duration> idleTimeout, List<MetadataColumn> metadataColumns) {
        this(objectName, kind, options, physicalSchema, eventTimeColumn, watermarkDelay, idleTimeout, metadataColumns,
                Optional.empty());
    }

    /** A stream without metadata columns. */
    public SourceSpec(String objectName, ObjectKind kind, Map<String, String> options,
                      List<DataType.Field> physicalSchema, int eventTimeColumn, Duration watermarkDelay,
                      Optional<Duration> idleTimeout) {
        this(objectName, kind, options, physicalSchema, eventTimeColumn, watermarkDelay, idleTimeout, List.of());
    }

    public SourceSpec {
        metadataColumns = List.copyOf(requireNonNull(metadataColumns, "metadataColumns is null"));
        requireNonNull(objectName, "objectName is null");
        requireNonNull(kind, "kind is null");
        options = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(options));
        physicalSchema = List.copyOf(physicalSchema);
        requireNonNull(watermarkDelay, "watermarkDelay is null");
        requireNonNull(idleTimeout, "idleTimeout is null");
        requireNonNull(computedEventTime, "computedEventTime is null");
        int columns = physicalSchema.size() + metadataColumns.size() + (computedEventTime.isPresent() ? 1 : 0);
        if (eventTimeColumn < -1 || eventTimeColumn >= columns) {
            throw new IllegalArgumentException("event-time column out of range: " + eventTimeColumn);
        }
        if (computedEventTime.isPresent() && eventTimeColumn != columns - 1) {
            throw new IllegalArgumentException("a computed event time is the event-time column: " + eventTimeColumn);
        }
        projection = requireNonNull(projection, "projection is null").normalized(physicalSchema.size() + metadataColumns.size());
        if (computedEventTime.isPresent() && !projection.readsAll(physicalSchema.size() + metadataColumns.size())) {
            throw new IllegalArgumentException("a stream with a computed event time is read whole");
        }
        if (eventTimeColumn >= 0 && computedEventTime.isEmpty() && !projection.reads(eventTimeColumn)) {
            throw new IllegalArgumentException("the projection must read the event-time column " + eventTimeColumn);
        }
    }

    /**
     * The same stream, reading only the columns {@code projection} reads; a stream with a computed
     * event time stays read whole.
     */
    public SourceSpec withProjection(Projection projection) {
        if (computedEventTime.isPresent()) {
            return this;
        }
        return new SourceSpec(objectName, kind, options, physicalSchema, eventTimeColumn, watermarkDelay, idleTimeout,
                metadataColumns, computedEventTime, projection);
    }

    /** The names of the columns read, for EXPLAIN; empty when every column is read. */
    public Optional<List<String>> projectedNames() {
        List<DataType.Field> rowType = rowType();
        if (projection.readsAll(rowType.size())) {
            return Optional.empty();
        }
        return Optional.of(projection.columns(rowType.size()).stream().map(column -> rowType.get(column).name()).toList());
    }

    /** The columns of the rows the source produces: {@link #rowType()}, then the computed event time, if any. */
    public List<DataType.Field> outputType() {
        if (computedEventTime.isEmpty()) {
            return rowType();
        }
        List<DataType.Field> fields = new ArrayList<>(rowType());
        fields.add(computedEventTime.get().column());
        return List.copyOf(fields);
    }

    /** The columns of the rows the source's reader produces: the physical columns, then the metadata columns. */
    public List<DataType.Field> rowType() {
        if (metadataColumns.isEmpty()) {
            return physicalSchema;
        }
        List<DataType.Field> fields = new ArrayList<>(physicalSchema);
        for (MetadataColumn column : metadataColumns) {
            fields.add(new DataType.Field(column.name(), column.type()));
        }
        return List.copyOf(fields);
    }

    public boolean hasEventTime() {
        return eventTimeColumn >= 0;
    }
}
