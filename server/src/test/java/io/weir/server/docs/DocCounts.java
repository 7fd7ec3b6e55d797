package io.weir.server.docs;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What the docs test did with the blocks of each page, printed at the end so skips stay visible. */
final class DocCounts {
    private final Map<String, int[]> byPage = new TreeMap<>();
    private final List<String> skips = new ArrayList<>();

    private static final int RAN = 0;
    private static final int STAND_IN = 1;
    private static final int SKIPPED = 2;
    private static final int SYNOPSIS = 3;
    private static final int SHOWN = 4;

    synchronized void ran(DocPage page) {
        count(page, RAN);
    }

    synchronized void standIn(DocPage page, DocPage.Block block) {
        count(page, STAND_IN);
    }

    synchronized void skipped(DocPage page, DocPage.Block block, String reason) {
        count(page, SKIPPED);
        skips.add(page.file().getFileName() + ":" + block.line() + " skipped: " + reason);
    }

    synchronized void synopsis(DocPage page) {
        count(page, SYNOPSIS);
    }

    synchronized void shown(DocPage page) {
        count(page, SHOWN);
    }

    private void count(DocPage page, int kind) {
        byPage.computeIfAbsent(page.file().getFileName().toString(), k -> new int[5])[kind]++;
    }

    synchronized String report() {
        StringBuilder out = new StringBuilder("Docs examples: page, blocks run, started in-process (server, demo, shell),"
                + " skipped, grammar synopses, shown only (output, payloads)\n");
        int[] total = new int[5];
        byPage.forEach((page, counts) -> {
            out.append(String.format("  %-26s %3d %3d %3d %3d %3d%n", page, counts[RAN], counts[STAND_IN], counts[SKIPPED],
                    counts[SYNOPSIS], counts[SHOWN]));
            for (int i = 0; i < total.length; i++) {
                total[i] += counts[i];
            }
        });
        out.append(String.format("  %-26s %3d %3d %3d %3d %3d%n", "total", total[RAN], total[STAND_IN], total[SKIPPED],
                total[SYNOPSIS], total[SHOWN]));
        skips.forEach(skip -> out.append("  ").append(skip).append('\n'));
        return out.toString();
    }
}
