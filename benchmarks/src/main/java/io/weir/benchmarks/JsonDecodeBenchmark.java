package io.weir.benchmarks;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.weir.connector.datagen.nexmark.NexmarkConfig;
import io.weir.connector.datagen.nexmark.NexmarkEvent;
import io.weir.connector.datagen.nexmark.NexmarkGenerator;
import io.weir.spi.batch.BatchBuilder;
import io.weir.spi.format.FormatFactory;
import io.weir.spi.format.Formats;
import io.weir.spi.format.RecordDecodeException;
import io.weir.spi.format.RecordDecoder;
import io.weir.spi.option.OptionValidator;
import io.weir.spi.option.OptionValues;
import io.weir.spi.type.DataType;
import io.weir.spi.type.Projection;
import io.weir.spi.type.Temporals;
import io.weir.spi.type.TypeKind;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Decodes Nexmark bids as JSON lines (as Flink's Nexmark JSON files hold them, 7 fields, about 250
 * bytes each) with {@code 'format' = 'json'} into columnar batches, reading all 7 columns and the 3 a
 * query such as a TUMBLE max price per auction reads ({@code auction}, {@code price}, {@code dateTime}),
 * and prints rows per CPU-second of the decoding thread (thread CPU time, not wall time: the machine
 * may be busy). Records come as bytes (as Kafka hands them over) and as text lines (as the file and
 * socket connectors read them). For comparison, it also decodes the same records with a plain loop
 * over Jackson's streaming parser that skips the fields not read, the way the format decoded
 * before it had a fast path, and the same bids as CSV text lines with {@code 'format' = 'csv'} (the
 * url and extra fields quoted), whose fields of columns not read are skipped without converting them.
 *
 * <p>The records are decoded from one block of {@code --rows} lines (default 20,000, about 5 MB), in the
 * CPU's caches as they are right after a reader read them; each case runs {@code --runs} times (default
 * 50) after 20 warm-up runs of every case, and the best and the median run are printed.
 *
 * <p>Usage: {@code JsonDecodeBenchmark [--rows N] [--runs R]}.
 */
public final class JsonDecodeBenchmark {
    static final List<DataType.Field> SCHEMA = List.of(
            new DataType.Field("auction", DataType.of(TypeKind.BIGINT)),
            new DataType.Field("bidder", DataType.of(TypeKind.BIGINT)),
            new DataType.Field("price", DataType.of(TypeKind.BIGINT)),
            new DataType.Field("channel", DataType.of(TypeKind.VARCHAR)),
            new DataType.Field("url", DataType.of(TypeKind.VARCHAR)),
            new DataType.Field("dateTime", DataType.timestamp(3)),
            new DataType.Field("extra", DataType.of(TypeKind.VARCHAR)));
    private static final Projection THREE = Projection.of(0, 2, 5);
    private static final int BATCH_ROWS = 4096;

    private JsonDecodeBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rows = 20_000;
        int runs = 50;
        for (int i = 0; i < args.length; i += 2) {
            String value = i + 1 < args.length ? args[i + 1] : "";
            switch (args[i]) {
                case "--rows" -> rows = Integer.parseInt(value);
                case "--runs" -> runs = Integer.parseInt(value);
                default -> throw new IllegalArgumentException("unknown argument " + args[i] + "; use --rows, --runs");
            }
        }
        Lines lines = bids(rows);
        System.out.printf(Locale.ROOT, "%,d Nexmark bids as JSON lines, %.0f bytes each on average, e.g.%n%s%n", rows,
                (double) lines.bytes.length / rows, lines.text(0));
        FormatFactory json = Formats.find("json");
        OptionValues options = OptionValidator.validate("format 'json'", json.options(), Map.of());
        List<Case> cases = new ArrayList<>();
        for (Projection projection : List.of(Projection.all(), THREE)) {
            String columns = projection.isAll() ? "7 of 7 columns" : "3 of 7 columns";
            cases.add(new Case("format json, bytes, " + columns,
                    () -> decodeBytes(lines, json.createDecoder(SCHEMA, options, projection), projection)));
            cases.add(new Case("format json, text lines, " + columns,
                    () -> decodeText(lines, json.createDecoder(SCHEMA, options, projection), projection)));
            cases.add(new Case("Jackson streaming loop, bytes, " + columns,
                    () -> jackson(lines, projection)));
        }
        Lines csvLines = csvBids(rows);
        FormatFactory csv = Formats.find("csv");
        OptionValues csvOptions = OptionValidator.validate("format 'csv'", csv.options(), Map.of());
        for (Projection projection : List.of(Projection.all(), THREE)) {
            String columns = projection.isAll() ? "7 of 7 columns" : "3 of 7 columns";
            cases.add(new Case("format csv, text lines, " + columns,
                    () -> decodeText(csvLines, csv.createDecoder(SCHEMA, csvOptions, projection), projection)));
        }
        for (int round = 0; round < 20; round++) {
            for (Case c : cases) {
                c.run(); // warm-up: the code of every case compiled before any is measured
            }
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        System.out.printf(Locale.ROOT, "%-45s %14s %14s%n", "rows per CPU-second", "best", "median");
        for (Case c : cases) {
            double[] rates = new double[runs];
            for (int run = 0; run < runs; run++) {
                long cpu = threads.getCurrentThreadCpuTime();
                long decoded = c.run();
                double seconds = (threads.getCurrentThreadCpuTime() - cpu) / 1e9;
                rates[run] = decoded / seconds;
            }
            java.util.Arrays.sort(rates);
            System.out.printf(Locale.ROOT, "%-45s %,14.0f %,14.0f%n", c.name(), rates[runs - 1], rates[runs / 2]);
        }
    }

    private record Case(String name, Run body) {
        long run() throws Exception {
            return body.run();
        }
    }

    @FunctionalInterface
    private interface Run {
        long run() throws Exception;
    }

    /** The records back to back in one array, as a reader's buffer holds them. */
    private record Lines(byte[] bytes, int[] starts) {
        int count() {
            return starts.length - 1;
        }

        String text(int line) {
            return new String(bytes, starts[line], starts[line + 1] - starts[line] - 1, StandardCharsets.UTF_8);
        }
    }

    static Lines bids(int count) {
        DateTimeFormatter format = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);
        NexmarkGenerator generator = new NexmarkGenerator(NexmarkConfig.defaults(100_000, 1_700_000_000_000L), 42);
        ByteArrayOutputStream out = new ByteArrayOutputStream(count * 260);
        int[] starts = new int[count + 1];
        int i = 0;
        while (i < count) {
            if (generator.next() instanceof NexmarkEvent.Bid bid) {
                starts[i++] = out.size();
                String line = "{\"auction\":" + bid.auction() + ",\"bidder\":" + bid.bidder() + ",\"price\":" + bid.price()
                        + ",\"channel\":\"" + bid.channel() + "\",\"url\":\"" + bid.url() + "\",\"dateTime\":\""
                        + format.format(Instant.ofEpochMilli(bid.dateTime())) + "\",\"extra\":\"" + bid.extra() + "\"}\n";
                out.writeBytes(line.getBytes(StandardCharsets.UTF_8));
            }
        }
        starts[count] = out.size();
        return new Lines(out.toByteArray(), starts);
    }

    /** The bids as CSV lines in the columns' order, the url and extra fields quoted. */
    static Lines csvBids(int count) {
        DateTimeFormatter format = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);
        NexmarkGenerator generator = new NexmarkGenerator(NexmarkConfig.defaults(100_000, 1_700_000_000_000L), 42);
        ByteArrayOutputStream out = new ByteArrayOutputStream(count * 200);
        int[] starts = new int[count + 1];
        int i = 0;
        while (i < count) {
            if (generator.next() instanceof NexmarkEvent.Bid bid) {
                starts[i++] = out.size();
                String line = bid.auction() + "," + bid.bidder() + "," + bid.price() + "," + bid.channel() + ",\"" + bid.url()
                        + "\"," + format.format(Instant.ofEpochMilli(bid.dateTime())) + ",\"" + bid.extra().replace("\"", "\"\"")
                        + "\"\n";
                out.writeBytes(line.getBytes(StandardCharsets.UTF_8));
            }
        }
        starts[count] = out.size();
        return new Lines(out.toByteArray(), starts);
    }

    /** Decodes into batches of the projection's columns, as the engine's source builds them. */
    private static long decodeBytes(Lines lines, RecordDecoder decoder, Projection projection) throws RecordDecodeException {
        BatchBuilder out = new BatchBuilder(SCHEMA, BATCH_ROWS, projection);
        long decoded = 0;
        for (int line = 0; line < lines.count(); line++) {
            int start = lines.starts()[line];
            if (decoder.decode(lines.bytes(), start, lines.starts()[line + 1] - start - 1, out)) {
                decoded += commit(out);
            }
        }
        return decoded + out.build().rowCount();
    }

    private static long decodeText(Lines lines, RecordDecoder decoder, Projection projection) throws RecordDecodeException {
        BatchBuilder out = new BatchBuilder(SCHEMA, BATCH_ROWS, projection);
        long decoded = 0;
        for (int line = 0; line < lines.count(); line++) {
            // the line as the file connector reads it: decoded from its bytes
            if (decoder.decode(lines.text(line), out)) {
                decoded += commit(out);
            }
        }
        return decoded + out.build().rowCount();
    }

    /** Commits the row; builds a batch when one is full, as a reader's poll does. */
    private static int commit(BatchBuilder out) {
        out.commitRow();
        if (out.rowCount() == BATCH_ROWS) {
            return out.build().rowCount();
        }
        return 0;
    }

    private static final JsonFactory JACKSON = new JsonFactory();

    /**
     * Jackson's streaming parser, one parser per record, reading the projected fields (numbers with
     * getLongValue, the timestamp from the parser's characters) and skipping the others.
     */
    private static long jackson(Lines lines, Projection projection) throws IOException {
        Map<String, Integer> columns = new HashMap<>();
        for (int i = 0; i < SCHEMA.size(); i++) {
            columns.put(SCHEMA.get(i).name(), i);
        }
        BatchBuilder out = new BatchBuilder(SCHEMA, BATCH_ROWS, projection);
        byte[] ascii = new byte[64];
        long decoded = 0;
        for (int line = 0; line < lines.count(); line++) {
            int start = lines.starts()[line];
            try (JsonParser parser = JACKSON.createParser(lines.bytes(), start, lines.starts()[line + 1] - start - 1)) {
                parser.nextToken();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    Integer column = columns.get(parser.currentName());
                    JsonToken token = parser.nextToken();
                    if (column == null || !projection.reads(column)) {
                        parser.skipChildren();
                        continue;
                    }
                    switch (SCHEMA.get(column).type().kind()) {
                        case BIGINT -> out.setLong(column, parser.getLongValue());
                        case TIMESTAMP -> {
                            char[] chars = parser.getTextCharacters();
                            int offset = parser.getTextOffset();
                            int length = parser.getTextLength();
                            for (int i = 0; i < length; i++) {
                                ascii[i] = (byte) chars[offset + i];
                            }
                            out.setLong(column, Temporals.parseSimpleTimestamp(ascii, 0, length));
                        }
                        default -> out.setObject(column, token == JsonToken.VALUE_NULL ? null : parser.getText());
                    }
                }
            }
            decoded += commit(out);
        }
        return decoded + out.build().rowCount();
    }
}
