package io.weir.server.crash;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.IntSupplier;

import static java.util.Objects.requireNonNull;

/**
 * Kills the server with SIGKILL at seeded random moments while input flows, restarting it on its data
 * directory after each kill: {@code settings.kills()} times, each after an uptime drawn between the
 * settings' least and most.
 */
final class CrashKills {
    private static final long KILL_SEED_SALT = 0x6b696c6cL;

    private CrashKills() {
    }

    /**
     * Runs the kills; returns one line per kill saying when it happened and how much of the input had
     * been delivered ({@code delivered} of {@code total} records).
     */
    static List<String> run(CrashSettings settings, ServerProcess server, IntSupplier delivered, int total)
            throws InterruptedException {
        requireNonNull(server, "server is null");
        Random random = new Random(settings.seed() ^ KILL_SEED_SALT);
        List<String> kills = new ArrayList<>();
        for (int kill = 1; kill <= settings.kills(); kill++) {
            long uptimeMillis = settings.minUptime().toMillis()
                    + (long) (random.nextDouble() * (settings.maxUptime().toMillis() - settings.minUptime().toMillis()));
            // the seeded random moment of the crash: not a wait for anything
            Thread.sleep(uptimeMillis);
            int deliveredBefore = delivered.getAsInt();
            server.kill();
            kills.add("kill " + kill + " after " + uptimeMillis + " ms up, " + deliveredBefore + "/" + total
                    + " records delivered");
            server.restart();
        }
        return kills;
    }
}
