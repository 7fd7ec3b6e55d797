package io.weir.engine.late;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.weir.spi.batch.Batch;
import io.weir.spi.type.DataType;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * Sends one query's late rows to its server's {@link LateRowLog} ({@code 'late-rows' = 'side-output'})
 * and/or a {@link LateRowSink} ({@code 'late-rows.sink'}),
 * each as a JSON object of the columns its window aggregation reads (its time and the columns the query
 * uses), named as the planner named them.
 */
public final class LateRowRouter {
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSS");

    private final String queryId;
    private final String streams;
    private final java.util.function.Consumer<LateRow> target;

    public LateRowRouter(String queryId, String streams, LateRowLog log) {
        this(queryId, streams, requireNonNull(log, "log is null")::add);
    }

    /** @param target takes each late row; called by the query's tasks, so thread-safe */
    public LateRowRouter(String queryId, String streams, java.util.function.Consumer<LateRow> target) {
        this.queryId = requireNonNull(queryId, "queryId is null");
        this.streams = requireNonNull(streams, "streams is null");
        this.target = requireNonNull(target, "target is null");
    }

    /** Keeps row {@code row} of {@code batch}, whose columns are {@code fields}. */
    public void route(List<DataType.Field> fields, Batch batch, int row, long eventTime, long watermark, long arrivedAt) {
        target.accept(new LateRow(queryId, streams, json(fields, batch, row), eventTime, watermark, arrivedAt));
    }

    static String json(List<DataType.Field> fields, Batch batch, int row) {
        StringBuilder json = new StringBuilder("{");
        for (int c = 0; c < fields.size(); c++) {
            if (c > 0) {
                json.append(", ");
            }
            string(json, fields.get(c).name());
            json.append(": ");
            value(json, fields.get(c).type(), batch.value(c, row));
        }
        return json.append('}').toString();
    }

    private static void value(StringBuilder json, DataType type, Object value) {
        if (value == null) {
            json.append("null");
            return;
        }
        switch (type.kind()) {
            case BOOLEAN, TINYINT, SMALLINT, INTEGER, BIGINT, DECIMAL -> json.append(value);
            case REAL, DOUBLE -> {
                double d = ((Number) value).doubleValue();
                if (Double.isNaN(d) || Double.isInfinite(d)) {
                    string(json, Double.toString(d));
                } else {
                    json.append(d);
                }
            }
            case TIMESTAMP -> {
                long millis = ((Number) value).longValue();
                string(json, LocalDateTime.ofEpochSecond(Math.floorDiv(millis, 1000L), (int) Math.floorMod(millis, 1000L) * 1_000_000,
                        ZoneOffset.UTC).format(TIMESTAMP));
            }
            case DATE -> string(json, LocalDate.ofEpochDay(((Number) value).longValue()).toString());
            case TIME -> string(json, LocalTime.ofNanoOfDay(((Number) value).longValue() * 1_000_000L).toString());
            case VARBINARY -> string(json, Base64.getEncoder().encodeToString((byte[]) value));
            default -> string(json, value.toString());
        }
    }

    private static void string(StringBuilder json, String text) {
        json.append('"').append(JsonStringEncoder.getInstance().quoteAsString(text)).append('"');
    }
}
