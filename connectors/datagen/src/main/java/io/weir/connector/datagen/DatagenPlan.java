package io.weir.connector.datagen;

import io.weir.connector.datagen.generator.GeneratorSpec;
import io.weir.connector.datagen.nexmark.NexmarkProfile;
import io.weir.connector.datagen.profile.WeblogsProfile;
import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.connector.ConnectorContext;
import io.weir.spi.option.OptionValues;
import io.weir.spi.option.OptionParsing;
import io.weir.spi.type.ConversionException;
import io.weir.spi.type.DataType;
import io.weir.spi.type.Temporals;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The validated datagen configuration of one stream or table.
 *
 * @param rowLimit rows before the source ends; -1 for unbounded
 * @param columns per column, its generator (empty with a profile)
 * @param profile the weblogs columns bound to the schema, when {@code 'profile'} is set
 */
record DatagenPlan(long rowsPerSecond, long rowLimit, long seed, OptionalLong startTime, List<GeneratorSpec> columns,
                   Optional<ProfilePlan> profile, Optional<NexmarkPlan> nexmark) {

    /** The nexmark binding: the event type and the profile column per declared column. */
    record NexmarkPlan(NexmarkProfile.EventType eventType, List<NexmarkProfile.Column> columns) {
    }

    /** The weblogs binding: profile column and NULL rate per declared column, and the event-time disorder. */
    record ProfilePlan(List<WeblogsProfile.Column> columns, double[] nullRates, long maxDisorderMillis) {
    }

    static DatagenPlan of(ConnectorContext context) {
        OptionValues options = context.options();
        long rate = options.longValue(DatagenConnectorFactory.ROWS_PER_SECOND);
        if (rate < 0) {
            throw invalid(DatagenConnectorFactory.ROWS_PER_SECOND.key(), rate, "must be 0 (unthrottled) or positive");
        }
        long limit = options.getLong(DatagenConnectorFactory.NUMBER_OF_ROWS).orElse(-1L);
        if (options.isSet(DatagenConnectorFactory.NUMBER_OF_ROWS) && limit < 0) {
            throw invalid(DatagenConnectorFactory.NUMBER_OF_ROWS.key(), limit, "must not be negative");
        }
        long seed = options.getLong(DatagenConnectorFactory.SEED).orElse((long) context.objectName().hashCode());
        OptionalLong startTime = OptionalLong.empty();
        Optional<String> startText = options.getString(DatagenConnectorFactory.START_TIME);
        if (startText.isPresent()) {
            try {
                startTime = OptionalLong.of(Temporals.parseTimestamp(startText.get()));
            } catch (ConversionException e) {
                throw invalid(DatagenConnectorFactory.START_TIME.key(), startText.get(), e.getMessage());
            }
        }
        FieldOptions fields = FieldOptions.of(context);
        Optional<String> profile = options.getString(DatagenConnectorFactory.PROFILE);
        if (profile.isPresent() && profile.get().equalsIgnoreCase(NexmarkProfile.NAME)) {
            return new DatagenPlan(rate, limit, seed, startTime, List.of(), Optional.empty(), Optional.of(nexmark(context, fields)));
        }
        if (options.isSet(DatagenConnectorFactory.NEXMARK_EVENT_TYPE)) {
            throw invalid(DatagenConnectorFactory.NEXMARK_EVENT_TYPE.key(), options.string(DatagenConnectorFactory.NEXMARK_EVENT_TYPE),
                    "applies only with 'profile' = '" + NexmarkProfile.NAME + "'");
        }
        if (profile.isPresent()) {
            return new DatagenPlan(rate, limit, seed, startTime, List.of(), Optional.of(profile(context, fields)), Optional.empty());
        }
        List<GeneratorSpec> columns = new ArrayList<>();
        for (int column = 0; column < context.schema().size(); column++) {
            GeneratorSpec spec = ColumnGenerators.of(fields.forColumn(column, context.schema().get(column)));
            if (spec.rowLimit() >= 0) {
                limit = limit < 0 ? spec.rowLimit() : Math.min(limit, spec.rowLimit());
            }
            columns.add(spec);
        }
        return new DatagenPlan(rate, limit, seed, startTime, List.copyOf(columns), Optional.empty(), Optional.empty());
    }

    private static NexmarkPlan nexmark(ConnectorContext context, FieldOptions fields) {
        NexmarkProfile.EventType type = NexmarkProfile.EventType.of(context.options().string(DatagenConnectorFactory.NEXMARK_EVENT_TYPE));
        List<NexmarkProfile.Column> columns = NexmarkProfile.bind(context.describe(), type, context.schema());
        for (int column = 0; column < columns.size(); column++) {
            FieldOptions.ColumnOptions options = fields.forColumn(column, context.schema().get(column));
            if (!options.values().isEmpty()) {
                throw FieldOptions.unknown(context, options.key(options.values().keySet().iterator().next()),
                        "with 'profile' = '" + NexmarkProfile.NAME + "' columns take no 'fields.*' options");
            }
        }
        return new NexmarkPlan(type, columns);
    }

    private static ProfilePlan profile(ConnectorContext context, FieldOptions fields) {
        List<WeblogsProfile.Column> columns = WeblogsProfile.bind(context.describe(), context.schema());
        double[] nullRates = new double[columns.size()];
        long maxDisorder = 0;
        for (int column = 0; column < columns.size(); column++) {
            DataType.Field field = context.schema().get(column);
            FieldOptions.ColumnOptions options = fields.forColumn(column, field);
            for (String key : options.values().keySet()) {
                boolean allowed = key.equals(FieldOptions.NULL_RATE)
                        || key.equals(FieldOptions.MAX_DISORDER) && columns.get(column) == WeblogsProfile.Column.TS;
                if (!allowed) {
                    throw FieldOptions.unknown(context, options.key(key), "with 'profile' = '" + WeblogsProfile.NAME
                            + "' columns take only 'null-rate' (and 'max-disorder' for ts)");
                }
            }
            if (options.has(FieldOptions.NULL_RATE)) {
                nullRates[column] = parseRate(options);
                if (nullRates[column] > 0 && !field.type().nullable()) {
                    throw invalid(options.key(FieldOptions.NULL_RATE), options.get(FieldOptions.NULL_RATE),
                            "column '" + field.name() + "' is NOT NULL");
                }
            }
            if (options.has(FieldOptions.MAX_DISORDER)) {
                try {
                    maxDisorder = OptionParsing.parseDuration(options.get(FieldOptions.MAX_DISORDER)).toMillis();
                } catch (IllegalArgumentException e) {
                    throw invalid(options.key(FieldOptions.MAX_DISORDER), options.get(FieldOptions.MAX_DISORDER),
                            "expected a duration such as '5 s'");
                }
            }
        }
        return new ProfilePlan(columns, nullRates, maxDisorder);
    }

    private static double parseRate(FieldOptions.ColumnOptions options) {
        String text = options.get(FieldOptions.NULL_RATE);
        try {
            double rate = Double.parseDouble(text.trim());
            if (rate >= 0 && rate <= 1) {
                return rate;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw invalid(options.key(FieldOptions.NULL_RATE), text, "expected a fraction between 0 and 1, e.g. '0.1'");
    }

    private static WeirException invalid(String key, Object value, String problem) {
        return new WeirException(ErrorCode.INVALID_OPTION_VALUE, "Invalid value '" + value + "' for option '" + key + "': " + problem);
    }

    boolean bounded() {
        return rowLimit >= 0;
    }
}
