package io.weir.server.crash;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static java.util.Objects.requireNonNull;

/**
 * Delivers a run's input, through a {@link StepWriter}, on a thread of its own, in steps spread over a
 * given time, so that input keeps flowing while the server is killed and restarted.
 */
final class InputFeeder implements AutoCloseable {
    private static final int STEPS_PER_SECOND = 10;

    private final List<InputRecord> input;
    private final StepWriter writer;
    private final Duration pause;
    private final int stepSize;
    private final AtomicInteger produced = new AtomicInteger();
    private final Thread thread;
    private volatile Throwable failure;

    private InputFeeder(List<InputRecord> input, Duration feedTime, StepWriter writer) {
        this.input = List.copyOf(input);
        this.writer = requireNonNull(writer, "writer is null");
        long steps = Math.max(1, feedTime.toMillis() * STEPS_PER_SECOND / 1000);
        this.stepSize = (int) Math.max(1, (input.size() + steps - 1) / steps);
        this.pause = Duration.ofMillis(1000 / STEPS_PER_SECOND);
        this.thread = new Thread(this::feed, "crash-input-feeder");
    }

    /** Starts delivering {@code input} with {@code writer}, over about {@code feedTime}; closing the feeder closes the writer. */
    static InputFeeder start(List<InputRecord> input, Duration feedTime, StepWriter writer) {
        InputFeeder feeder = new InputFeeder(input, feedTime, writer);
        feeder.thread.start();
        return feeder;
    }

    /** Starts producing {@code input} to the Kafka {@code topic}, over about {@code feedTime}. */
    static InputFeeder start(String bootstrapServers, String topic, List<InputRecord> input, Duration feedTime) {
        return start(input, feedTime, new KafkaStepWriter(bootstrapServers, topic));
    }

    /** Records delivered (acknowledged) so far. */
    int produced() {
        return produced.get();
    }

    /** Waits until every record is delivered; rethrows what stopped the feeder. */
    void awaitDone(Duration timeout) throws InterruptedException {
        thread.join(timeout.toMillis());
        if (thread.isAlive()) {
            throw new AssertionError("The input was not delivered within " + timeout.toSeconds() + " s (" + produced() + " of "
                    + input.size() + " records)");
        }
        if (failure != null) {
            throw new AssertionError("Delivering the input failed after " + produced() + " records", failure);
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
        writer.close();
    }

    private void feed() {
        try {
            for (int from = 0; from < input.size(); from += stepSize) {
                int to = Math.min(input.size(), from + stepSize);
                writer.write(from, input.subList(from, to));
                produced.set(to);
                // pacing: spread the input over the feed time, so that it flows during the kills
                Thread.sleep(pause.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception | Error e) {
            failure = e;
        }
    }
}
