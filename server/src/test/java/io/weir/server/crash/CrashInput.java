package io.weir.server.crash;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The input of a crash run, the same for a seed: records spread round-robin over the partitions with
 * event times increasing by a fixed step (in order within every partition, so no row is late and the
 * result does not depend on how the partitions' reads interleave), random keys and values, then an
 * end marker per partition an hour later in event time.
 */
final class CrashInput {
    static final long START_MILLIS = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
    static final long STEP_MILLIS = 200;
    static final int KEYS = 5;
    static final String END_KEY = "end";

    private CrashInput() {
    }

    static List<InputRecord> generate(long seed, int records, int partitions) {
        Random random = new Random(seed);
        List<InputRecord> input = new ArrayList<>(records + partitions);
        for (int i = 0; i < records; i++) {
            input.add(new InputRecord(i % partitions, START_MILLIS + i * STEP_MILLIS, "k" + random.nextInt(KEYS),
                    1 + random.nextInt(100), false));
        }
        long end = START_MILLIS + records * STEP_MILLIS + 3_600_000L;
        for (int partition = 0; partition < partitions; partition++) {
            input.add(new InputRecord(partition, end, END_KEY, 0, true));
        }
        return input;
    }
}
