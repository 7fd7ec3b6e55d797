package io.weir.server.demo;

/**
 * What {@code weir demo} adds to the server settings.
 *
 * @param kafkaPort       the embedded broker's client port on 127.0.0.1; 0 picks a free one (tests)
 * @param eventsPerSecond web-log events written to the {@code weblogs} topic a second
 */
public record DemoSettings(int kafkaPort, double eventsPerSecond) {
    public static final int DEFAULT_KAFKA_PORT = 9092;
    public static final double DEFAULT_EVENTS_PER_SECOND = 200;

    public DemoSettings {
        if (kafkaPort < 0 || kafkaPort > 65_535) {
            throw new IllegalArgumentException("kafkaPort must be between 0 and 65535: " + kafkaPort);
        }
        if (!(eventsPerSecond > 0)) {
            throw new IllegalArgumentException("eventsPerSecond must be positive: " + eventsPerSecond);
        }
    }
}
