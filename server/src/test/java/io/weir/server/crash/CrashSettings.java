package io.weir.server.crash;

import java.time.Duration;

/**
 * How big a crash run is. The defaults are the small run of {@code mvn verify}; a larger one sets
 * system properties, e.g. {@code -Dweir.crash.records=200000 -Dweir.crash.kills=10 -Dweir.crash.seed=7}
 * (see docs/durability.md, "Testing crash recovery").
 *
 * @param seed             seeds the input and the moments of the kills
 * @param kills            how many times the server is killed with SIGKILL while input flows
 * @param records          input records (besides one end marker per partition)
 * @param partitions       partitions of the input topic
 * @param feedTime         how long producing the input takes (it flows while the server is killed)
 * @param minUptime        the least time the server runs between its start and a kill
 * @param maxUptime        the most time the server runs between its start and a kill
 * @param checkpointInterval the queries' {@code 'checkpoint.interval'}, as SQL text
 * @param catchUpTimeout   how long the outputs may take to reach the expected result after the input ends
 */
record CrashSettings(long seed, int kills, int records, int partitions, Duration feedTime, Duration minUptime,
                     Duration maxUptime, String checkpointInterval, Duration catchUpTimeout) {
    private static final String PREFIX = "weir.crash.";

    CrashSettings {
        if (kills < 0 || records < 1 || partitions < 1 || minUptime.compareTo(maxUptime) > 0) {
            throw new IllegalArgumentException("bad crash settings: " + kills + " kills, " + records + " records, "
                    + partitions + " partitions, uptime " + minUptime + ".." + maxUptime);
        }
    }

    /** The settings from {@code weir.crash.*} system properties, defaulting to the small run. */
    static CrashSettings fromSystemProperties() {
        int records = Integer.getInteger(PREFIX + "records", 3_000);
        return new CrashSettings(
                Long.getLong(PREFIX + "seed", 20261206L),
                Integer.getInteger(PREFIX + "kills", 3),
                records,
                Integer.getInteger(PREFIX + "partitions", 3),
                Duration.ofMillis(Long.getLong(PREFIX + "feed-millis", 8_000L)),
                Duration.ofMillis(Long.getLong(PREFIX + "min-uptime-millis", 300L)),
                Duration.ofMillis(Long.getLong(PREFIX + "max-uptime-millis", 2_500L)),
                System.getProperty(PREFIX + "checkpoint-interval", "300 ms"),
                Duration.ofSeconds(Long.getLong(PREFIX + "catch-up-seconds", 30L + records / 2_000L)));
    }
}
