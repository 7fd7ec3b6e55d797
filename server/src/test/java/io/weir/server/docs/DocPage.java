package io.weir.server.docs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * A Markdown page read for {@link DocsExamplesTest}: its fenced code blocks, each with the
 * {@code <!-- docs-test: ... -->} markers written right before it, and the hidden setup steps between
 * them, in page order. See {@link DocsExamplesTest} for what the markers mean.
 */
record DocPage(Path file, List<Step> steps) {
    /** Languages of blocks a reader pastes and the test runs. */
    static final Set<String> RUNNABLE = Set.of("sql", "bash", "shell", "java");
    /** Languages of blocks that show text (replies, payloads, URLs) rather than something to run. */
    static final Set<String> SHOWN = Set.of("json", "text", "properties");
    private static final Pattern FENCE = Pattern.compile("^(\\s*)```\\s*([A-Za-z]*)\\s*$");
    private static final String MARKER_START = "<!-- docs-test:";
    /** Markers of a block (setup steps stand alone). */
    static final Set<String> BLOCK_MARKERS = Set.of("expect", "skip", "synopsis", "server", "demo", "client", "restart", "replace");

    DocPage {
        requireNonNull(file, "file is null");
        steps = List.copyOf(steps);
    }

    sealed interface Step permits Block, Setup {
        int line();
    }

    /** A fenced block: its language, its text (indentation of the fence removed) and its markers. */
    record Block(int line, String language, String text, List<Marker> markers) implements Step {
        Block {
            markers = List.copyOf(markers);
        }

        List<Marker> markers(String kind) {
            return markers.stream().filter(marker -> marker.kind().equals(kind)).toList();
        }

        boolean has(String kind) {
            return !markers(kind).isEmpty();
        }
    }

    /** A hidden step run where it stands: {@code <!-- docs-test: setup KIND args \n body -->}. */
    record Setup(int line, String kind, String argument, String body) implements Step {
    }

    /** One marker: {@code <!-- docs-test: KIND argument \n body -->}. */
    record Marker(int line, String kind, String argument, String body) {
        /** The argument and the body: a one-line {@code expect 1: rows 2} or several lines. */
        String content() {
            return argument.isEmpty() ? body : argument + "\n" + body;
        }
    }

    List<Block> blocks() {
        return steps.stream().filter(Block.class::isInstance).map(Block.class::cast).toList();
    }

    static DocPage read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<Step> steps = new ArrayList<>();
        List<Marker> pending = new ArrayList<>();
        int i = 0;
        while (i < lines.size()) {
            String line = lines.get(i);
            Matcher fence = FENCE.matcher(line);
            if (line.strip().startsWith(MARKER_START)) {
                int start = i;
                StringBuilder comment = new StringBuilder(line.strip().substring(MARKER_START.length()));
                while (!comment.toString().contains("-->")) {
                    i++;
                    if (i >= lines.size()) {
                        throw new IllegalArgumentException(where(file, start) + "docs-test marker without -->");
                    }
                    comment.append('\n').append(lines.get(i));
                }
                String text = comment.substring(0, comment.indexOf("-->"));
                Marker marker = marker(start + 1, text);
                if (marker.kind().equals("setup")) {
                    if (!pending.isEmpty()) {
                        throw new IllegalArgumentException(where(file, start) + "a setup step between markers and their block");
                    }
                    String[] kindAndArgument = marker.argument().split("\\s+", 2);
                    steps.add(new Setup(marker.line(), kindAndArgument[0],
                            kindAndArgument.length > 1 ? kindAndArgument[1] : "", marker.body()));
                } else if (BLOCK_MARKERS.contains(marker.kind())) {
                    pending.add(marker);
                } else {
                    throw new IllegalArgumentException(where(file, start) + "unknown docs-test marker '" + marker.kind()
                            + "'; known: setup, " + String.join(", ", new java.util.TreeSet<>(BLOCK_MARKERS)));
                }
                i++;
                continue;
            }
            if (fence.matches()) {
                int start = i;
                String indent = fence.group(1);
                String language = fence.group(2).toLowerCase(java.util.Locale.ROOT);
                StringBuilder text = new StringBuilder();
                i++;
                while (i < lines.size() && !lines.get(i).strip().equals("```")) {
                    String content = lines.get(i);
                    text.append(content.startsWith(indent) ? content.substring(indent.length()) : content.strip()).append('\n');
                    i++;
                }
                if (i >= lines.size()) {
                    throw new IllegalArgumentException(where(file, start) + "code block without its closing ```");
                }
                steps.add(new Block(start + 1, language, text.toString(), pending));
                pending = new ArrayList<>();
                i++;
                continue;
            }
            if (!pending.isEmpty() && !line.isBlank()) {
                throw new IllegalArgumentException(where(file, i) + "docs-test markers must stand right before a code block");
            }
            i++;
        }
        if (!pending.isEmpty()) {
            throw new IllegalArgumentException(where(file, lines.size()) + "docs-test markers after the last code block");
        }
        return new DocPage(file, steps);
    }

    private static Marker marker(int line, String text) {
        int newline = text.indexOf('\n');
        String head = (newline < 0 ? text : text.substring(0, newline)).strip();
        String body = newline < 0 ? "" : text.substring(newline + 1);
        String[] kindAndArgument = head.split("\\s+", 2);
        return new Marker(line, kindAndArgument[0], kindAndArgument.length > 1 ? kindAndArgument[1].strip() : "", body);
    }

    static String where(Path file, int zeroBasedLine) {
        return file.getFileName() + ":" + (zeroBasedLine + 1) + ": ";
    }
}
