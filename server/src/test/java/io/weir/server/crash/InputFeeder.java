package io.weir.server.crash;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static java.util.Objects.requireNonNull;

/**
 * Produces a run's input to a Kafka topic on a thread of its own, in steps spread over a given time,
 * so that input keeps flowing while the server is killed and restarted. Idempotent producer: a
 * retried send is not written twice.
 */
final class InputFeeder implements AutoCloseable {
    private static final int STEPS_PER_SECOND = 10;

    private final List<InputRecord> input;
    private final String topic;
    private final KafkaProducer<String, String> producer;
    private final Duration pause;
    private final int stepSize;
    private final AtomicInteger produced = new AtomicInteger();
    private final Thread thread;
    private volatile Throwable failure;

    private InputFeeder(String bootstrapServers, String topic, List<InputRecord> input, Duration feedTime) {
        this.input = List.copyOf(input);
        this.topic = requireNonNull(topic, "topic is null");
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()));
        long steps = Math.max(1, feedTime.toMillis() * STEPS_PER_SECOND / 1000);
        this.stepSize = (int) Math.max(1, (input.size() + steps - 1) / steps);
        this.pause = Duration.ofMillis(1000 / STEPS_PER_SECOND);
        this.thread = new Thread(this::feed, "crash-input-feeder");
    }

    /** Starts producing {@code input} to {@code topic}, over about {@code feedTime}. */
    static InputFeeder start(String bootstrapServers, String topic, List<InputRecord> input, Duration feedTime) {
        InputFeeder feeder = new InputFeeder(bootstrapServers, topic, input, feedTime);
        feeder.thread.start();
        return feeder;
    }

    /** Records produced (acknowledged) so far. */
    int produced() {
        return produced.get();
    }

    /** Waits until every record is produced; rethrows what stopped the feeder. */
    void awaitDone(Duration timeout) throws InterruptedException {
        thread.join(timeout.toMillis());
        if (thread.isAlive()) {
            throw new AssertionError("The input was not produced within " + timeout.toSeconds() + " s (" + produced() + " of "
                    + input.size() + " records)");
        }
        if (failure != null) {
            throw new AssertionError("Producing the input failed after " + produced() + " records", failure);
        }
    }

    @Override
    public void close() {
        thread.interrupt();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(10));
    }

    private void feed() {
        try {
            for (int from = 0; from < input.size(); from += stepSize) {
                int to = Math.min(input.size(), from + stepSize);
                for (InputRecord record : input.subList(from, to)) {
                    producer.send(new ProducerRecord<>(topic, record.partition(), record.timestampMillis(), record.key(),
                            record.json()));
                }
                producer.flush();
                produced.set(to);
                // pacing: spread the input over the feed time, so that it flows during the kills
                Thread.sleep(pause.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            failure = e;
        }
    }
}
