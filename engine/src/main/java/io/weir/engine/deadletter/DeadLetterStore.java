package io.weir.engine.deadletter;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.error.DeadLetter;
import io.weir.spi.error.DeadLetterSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * Keeps dead-lettered records (those a stream with {@code 'on-error' = 'dead-letter'} could not
 * decode) in the data directory, one JSON-lines file per stream, so users can query them with
 * {@code SELECT * FROM sys.dead_letters} and they survive restarts. Thread-safe.
 *
 * <p>The raw record is kept as text when it is valid UTF-8 and as base64 otherwise; nothing of it
 * is lost. Records larger than {@link #MAX_RAW_BYTES} are truncated (and marked so), which keeps a
 * flood of huge bad records from filling the disk through this file.
 */
public final class DeadLetterStore implements DeadLetterSink {
    public static final int MAX_RAW_BYTES = 1 << 20;
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterStore.class);

    private final Path directory;
    private final ObjectMapper mapper = new ObjectMapper();

    public DeadLetterStore(Path directory) {
        this.directory = requireNonNull(directory, "directory is null").toAbsolutePath();
    }

    private Path file(String objectName) {
        return directory.resolve(objectName.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_.-]", "_") + ".jsonl");
    }

    @Override
    public synchronized void accept(DeadLetter letter) {
        byte[] raw = letter.raw();
        boolean truncated = raw.length > MAX_RAW_BYTES;
        byte[] kept = truncated ? java.util.Arrays.copyOf(raw, MAX_RAW_BYTES) : raw;
        ObjectNode node = mapper.createObjectNode();
        node.put("object", letter.objectName());
        node.put("source", letter.source());
        node.put("reason", letter.reason());
        node.put("time", letter.time().toString());
        String text = utf8(kept);
        if (text != null) {
            node.put("raw", text);
        } else {
            node.put("raw_base64", Base64.getEncoder().encodeToString(kept));
        }
        if (truncated) {
            node.put("raw_length", raw.length);
        }
        try {
            Files.createDirectories(directory);
            try (Writer writer = Files.newBufferedWriter(file(letter.objectName()), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
                writer.write(mapper.writeValueAsString(node));
                writer.write('\n');
            }
        } catch (IOException e) {
            // The record must not silently vanish: the reading query fails and the user sees why.
            throw new WeirException(ErrorCode.SOURCE_ERROR, "Cannot keep a dead-lettered record of '" + letter.objectName()
                    + "' in " + directory + ": " + e.getMessage() + ". Check the data directory's space and permissions", e);
        }
    }

    private static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** A stored dead letter as users see it. {@code raw} is text, or base64 when {@code rawIsBase64}. */
    public record StoredDeadLetter(String objectName, String source, String reason, Instant time, String raw,
                                   boolean rawIsBase64, long rawLength) {
    }

    /** Every stored dead letter, per stream in file order. */
    public synchronized List<StoredDeadLetter> readAll() {
        List<StoredDeadLetter> result = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            return result;
        }
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".jsonl")).sorted().toList()) {
                read(file, result);
            }
        } catch (IOException e) {
            throw new WeirException(ErrorCode.SOURCE_ERROR, "Cannot read dead letters in " + directory + ": " + e.getMessage(), e);
        }
        return result;
    }

    private void read(Path file, List<StoredDeadLetter> into) throws IOException {
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                try {
                    var node = mapper.readTree(line);
                    boolean base64 = node.has("raw_base64");
                    String raw = base64 ? node.get("raw_base64").asText() : node.path("raw").asText();
                    long length = node.has("raw_length") ? node.get("raw_length").asLong()
                            : base64 ? Base64.getDecoder().decode(raw).length : raw.getBytes(StandardCharsets.UTF_8).length;
                    into.add(new StoredDeadLetter(node.path("object").asText(), node.path("source").asText(),
                            node.path("reason").asText(), Instant.parse(node.path("time").asText()), raw, base64, length));
                } catch (IOException | RuntimeException e) {
                    // A torn last line after a crash: skip it, keep the rest readable.
                    LOG.warn("Skipping an unreadable dead-letter line in {}: {}", file, e.toString());
                }
            }
        }
    }

    /** Deletes a stream's dead letters (when the stream is dropped). */
    public synchronized void delete(String objectName) {
        try {
            Files.deleteIfExists(file(objectName));
        } catch (IOException e) {
            LOG.warn("Cannot delete the dead letters of {}: {}", objectName, e.toString());
        }
    }
}
