package io.weir.engine.parallel;

import io.weir.engine.plan.SourceScan;
import io.weir.engine.plan.SourceSpec;
import io.weir.spi.connector.ObjectKind;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import static io.weir.engine.testing.TestPlans.KV_TS;

/** JSON-lines event files of {@code k, v, ts} rows, as a stream over their directory, for the parallel tests. */
final class EventFiles {
    /** Chooses an event's key. */
    interface KeyChoice {
        long next(Random random);
    }

    private EventFiles() {
    }

    /**
     * {@code count} events under {@code directory}, one per ms with up to 50 ms of disorder (the
     * watermark allows 100 ms), in {@code files} files of consecutive times, as a stream over their directory.
     */
    static SourceScan write(Path directory, int files, int count, Random random, KeyChoice keys) throws IOException {
        Path events = Files.createDirectories(directory.resolve("events-" + files + "-" + count + "-" + random.nextInt(1000)));
        int perFile = count / files;
        for (int file = 0; file < files; file++) {
            StringBuilder json = new StringBuilder();
            for (int i = file * perFile; i < (file + 1) * perFile; i++) {
                long time = Math.max(file * perFile, i - random.nextInt(50));
                json.append("{\"k\": ").append(keys.next(random)).append(", \"v\": ").append(random.nextInt(1000))
                        .append(", \"ts\": \"").append(Instant.ofEpochMilli(time)).append("\"}\n");
            }
            Files.writeString(events.resolve(String.format("part-%02d.json", file)), json);
        }
        return new SourceScan(new SourceSpec("events", ObjectKind.STREAM,
                Map.of("connector", "file", "path", events.toString(), "format", "json"),
                KV_TS, 2, Duration.ofMillis(100), Optional.empty()));
    }
}
