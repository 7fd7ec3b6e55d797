package io.weir.connector.datagen;

import io.weir.connector.datagen.nexmark.NexmarkProfile;
import io.weir.connector.datagen.profile.WeblogsProfile;
import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.connector.Capability;
import io.weir.spi.connector.ConnectorContext;
import io.weir.spi.connector.ConnectorFactory;
import io.weir.spi.connector.FormatUsage;
import io.weir.spi.connector.ObjectKind;
import io.weir.spi.connector.Source;
import io.weir.spi.option.ConfigOption;

import java.util.List;
import java.util.Set;

/**
 * {@code 'connector' = 'datagen'}: deterministic synthetic rows, throttled to a rate. Each column has
 * a generator chosen by {@code fields.<column>.*} options or by its type; {@code 'profile' = 'weblogs'}
 * produces web-server log events instead, {@code 'profile' = 'nexmark'} the Nexmark benchmark's events.
 */
public final class DatagenConnectorFactory implements ConnectorFactory {
    public static final String NAME = "datagen";

    public static final ConfigOption ROWS_PER_SECOND = ConfigOption.longOption("rows-per-second",
            "Rows generated per second; '0' generates as fast as the query reads").withDefault("1000");
    public static final ConfigOption NUMBER_OF_ROWS = ConfigOption.longOption("number-of-rows",
            "Stop after this many rows, making the source bounded; unlimited when absent");
    public static final ConfigOption SEED = ConfigOption.longOption("seed",
            "Seed of the random generators: the same seed yields the same rows; by default derived from the stream name");
    public static final ConfigOption START_TIME = ConfigOption.string("start-time",
            "Event time of the first row, e.g. '2024-01-15 10:00:00'; row i is then at start-time + i / rows-per-second "
                    + "(i ms when unthrottled), making timestamps deterministic. By default event times follow the clock");
    public static final ConfigOption PROFILE = ConfigOption.oneOf("profile", List.of(WeblogsProfile.NAME, NexmarkProfile.NAME),
            "Generate realistic events of a kind instead of per-column values: 'weblogs' (columns "
                    + String.join(", ", WeblogsProfile.columnNames()) + ") or 'nexmark' (the Nexmark benchmark's auction"
                    + " events of the type 'nexmark.event-type' chooses, with the columns of Flink's Nexmark DDL)");
    public static final ConfigOption NEXMARK_EVENT_TYPE = ConfigOption.oneOf("nexmark.event-type",
            NexmarkProfile.EventType.optionValues(),
            "With 'profile' = 'nexmark': which events the stream carries: 'bid' (columns "
                    + String.join(", ", NexmarkProfile.columnNames(NexmarkProfile.EventType.BID)) + "), 'auction' ("
                    + String.join(", ", NexmarkProfile.columnNames(NexmarkProfile.EventType.AUCTION)) + ") or 'person' ("
                    + String.join(", ", NexmarkProfile.columnNames(NexmarkProfile.EventType.PERSON)) + ")").withDefault("bid");
    public static final ConfigOption FIELDS = ConfigOption.prefix(FieldOptions.PREFIX,
            "Per-column generators: fields.<column>.kind = sequence | random | enum | timestamp | constant, with "
                    + "fields.<column>.min/max (random numbers and dates), .length (random strings), .values (enum, comma list), "
                    + ".start/.end (sequence; an end bounds the source), .value (constant), .max-disorder (timestamp: "
                    + "maximum lateness, e.g. '5 s'), .null-rate (fraction of NULLs)");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Deterministic synthetic rows at a given rate, per-column generators or the 'weblogs' and 'nexmark' profiles";
    }

    @Override
    public List<ConfigOption> options() {
        return List.of(ROWS_PER_SECOND, NUMBER_OF_ROWS, SEED, START_TIME, PROFILE, NEXMARK_EVENT_TYPE, FIELDS);
    }

    @Override
    public FormatUsage usesFormat() {
        return FormatUsage.none();
    }

    @Override
    public Set<Capability> capabilities() {
        return Set.of(Capability.STREAM_SOURCE, Capability.TABLE_SOURCE);
    }

    @Override
    public void validate(ConnectorContext context) {
        DatagenPlan plan = DatagenPlan.of(context);
        if (context.kind() == ObjectKind.TABLE && plan.rowLimit() < 0) {
            throw new WeirException(ErrorCode.VALIDATION_ERROR, context.describe() + ": a datagen table needs an end; set "
                    + "'number-of-rows' (or a sequence 'fields.<column>.end'), or use CREATE STREAM");
        }
    }

    @Override
    public Source createSource(ConnectorContext context) {
        return new DatagenSource(context, DatagenPlan.of(context));
    }
}
