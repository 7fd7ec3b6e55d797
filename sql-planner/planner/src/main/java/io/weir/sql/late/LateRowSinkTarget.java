package io.weir.sql.late;

import io.weir.engine.late.LateRowSink;
import io.weir.engine.plan.SinkSpec;
import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.connector.Capability;
import io.weir.spi.connector.ConnectorFactory;
import io.weir.spi.connector.ConnectorResolver;
import io.weir.spi.type.DataType;
import io.weir.sql.catalog.Catalog;
import io.weir.sql.catalog.CatalogObject;
import io.weir.sql.catalog.ObjectType;
import io.weir.sql.session.SessionOptions;
import io.weir.sql.session.SessionProperties;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * The stream a session's queries write their late rows into ({@code 'late-rows.sink'}), checked when a
 * query is started (and again when a persistent query restarts): a stream or table of a sink connector
 * whose columns are each one of the fields of a late row, named as {@code sys.late_rows} names them.
 */
public final class LateRowSinkTarget {
    /** The declaration to suggest: every field, with its type. */
    static final String EXAMPLE_COLUMNS = "query_id VARCHAR, stream_name VARCHAR, row_json VARCHAR, event_time TIMESTAMP(3),"
            + " watermark TIMESTAMP(3), arrived_at TIMESTAMP(3)";

    private LateRowSinkTarget() {
    }

    /** The object the session's {@code 'late-rows.sink'} names, checked; empty when it names none. */
    public static Optional<CatalogObject> resolve(Catalog catalog, SessionProperties session) {
        requireNonNull(catalog, "catalog is null");
        String name = session.get(SessionOptions.LATE_ROWS_SINK).strip();
        if (name.isEmpty()) {
            return Optional.empty();
        }
        CatalogObject target = catalog.get(name).orElseThrow(() -> new WeirException(ErrorCode.UNKNOWN_OBJECT,
                "'late-rows.sink' names '" + name + "', which does not exist. Declare it with the late rows' columns, e.g."
                        + " CREATE STREAM " + name + " (" + EXAMPLE_COLUMNS + ") WITH ('connector' = 'file', 'path' = '...',"
                        + " 'format' = 'json'), or RESET 'late-rows.sink'"));
        if (target.type() != ObjectType.STREAM && target.type() != ObjectType.TABLE) {
            throw new WeirException(ErrorCode.VALIDATION_ERROR, "'late-rows.sink' names '" + target.name() + "', a "
                    + target.type().displayName().toLowerCase(java.util.Locale.ROOT) + "; late rows are written to a stream or"
                    + " table declared with a sink connector (kafka, file, webhook, jdbc)");
        }
        ConnectorFactory connector = ConnectorResolver.resolve(target.options()).connector();
        if (!connector.capabilities().contains(Capability.SINK)) {
            throw new WeirException(ErrorCode.NOT_SUPPORTED, "'late-rows.sink' names '" + target.name() + "', whose connector '"
                    + connector.name() + "' cannot be written to; name a stream or table of a sink connector (kafka, file,"
                    + " webhook, jdbc)");
        }
        if (target.physicalSchema().isEmpty()) {
            throw new WeirException(ErrorCode.VALIDATION_ERROR, "'" + target.name() + "' has no columns for late rows");
        }
        for (DataType.Field column : target.physicalSchema()) {
            Optional<LateRowSink.Field> field = LateRowSink.Field.named(column.name());
            if (field.isEmpty()) {
                throw new WeirException(ErrorCode.VALIDATION_ERROR, "Column '" + column.name() + "' of '" + target.name()
                        + "' ('late-rows.sink') is not a field of a late row. Its columns are taken by name from: "
                        + Arrays.stream(LateRowSink.Field.values()).map(LateRowSink.Field::columnName)
                        .collect(Collectors.joining(", ")) + " (" + EXAMPLE_COLUMNS + ")");
            }
            if (!field.get().accepts(column.type().kind())) {
                throw new WeirException(ErrorCode.VALIDATION_ERROR, "Column '" + column.name() + "' of '" + target.name()
                        + "' ('late-rows.sink') is " + column.type().sqlString() + "; it takes "
                        + (column.name().equalsIgnoreCase("query_id") || column.name().equalsIgnoreCase("stream_name")
                        || column.name().equalsIgnoreCase("row_json") ? "VARCHAR" : "TIMESTAMP(3) or BIGINT (epoch milliseconds)"));
            }
        }
        return Optional.of(target);
    }

    /** What the engine opens a writer of. */
    public static SinkSpec spec(CatalogObject target) {
        return new SinkSpec(target.name(), target.options(), target.physicalSchema(), target.primaryKey());
    }
}
