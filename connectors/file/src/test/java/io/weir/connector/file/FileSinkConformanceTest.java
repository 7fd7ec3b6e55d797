package io.weir.connector.file;

import io.weir.spi.connector.SinkConformanceTest;
import io.weir.spi.connector.SourceHarness;
import io.weir.spi.type.DataType;
import io.weir.spi.type.TypeKind;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The file sink, in JSON lines, read back through the file source over the output directory. */
class FileSinkConformanceTest extends SinkConformanceTest {
    static final List<DataType.Field> SCHEMA = List.of(
            new DataType.Field("id", DataType.of(TypeKind.BIGINT).withNullable(false)),
            new DataType.Field("name", DataType.varchar()),
            new DataType.Field("amount", DataType.decimal(12, 3)),
            new DataType.Field("ratio", DataType.of(TypeKind.DOUBLE)),
            new DataType.Field("ok", DataType.of(TypeKind.BOOLEAN)),
            new DataType.Field("day", DataType.of(TypeKind.DATE)),
            new DataType.Field("at", DataType.timestamp(3)),
            new DataType.Field("payload", DataType.of(TypeKind.VARBINARY)),
            new DataType.Field("tags", DataType.array(DataType.varchar())),
            new DataType.Field("attrs", DataType.map(DataType.varchar(), DataType.of(TypeKind.INTEGER))),
            new DataType.Field("point", DataType.row(List.of(new DataType.Field("x", DataType.of(TypeKind.DOUBLE)),
                    new DataType.Field("y", DataType.of(TypeKind.DOUBLE))))));

    private Path output;
    private int readBacks;

    @Override
    protected String connectorName() {
        return "file";
    }

    @Override
    protected List<DataType.Field> schema() {
        return SCHEMA;
    }

    @Override
    protected Map<String, String> sinkOptions(Path dir) {
        output = dir.resolve("out"); // not created: the sink creates it
        Map<String, String> options = new java.util.HashMap<>(Map.of("connector", "file", "path", output.toString()));
        options.putAll(formatOptions());
        return Map.copyOf(options);
    }

    /** The sink's format and its options. */
    protected Map<String, String> formatOptions() {
        return Map.of("format", "json");
    }

    /**
     * The name under which a file of the output is read back, or null to leave it out: an in-progress
     * file's rows are read under its final name (a record format writes them as they come).
     */
    protected String readBackName(String name) {
        return name.startsWith(".") && name.endsWith(".inprogress") ? name.substring(1, name.length() - ".inprogress".length()) : name;
    }

    /**
     * What the sink durably wrote, complete or not: flushed rows may still sit in an in-progress file
     * (readers see them once it is completed, as FileSinkTest checks). Copies every file under its
     * final name into a fresh directory and reads that with the file source.
     */
    @Override
    protected List<Object[]> readBack() throws Exception {
        if (!Files.isDirectory(output)) {
            return List.of();
        }
        Path copy = Files.createDirectories(tempDir.resolve("read-back-" + readBacks++));
        try (Stream<Path> files = Files.list(output)) {
            for (Path file : files.toList()) {
                String name = readBackName(file.getFileName().toString());
                if (name != null) {
                    Files.copy(file, copy.resolve(name));
                }
            }
        }
        Path state = Files.createDirectories(tempDir.resolve("read-state"));
        return SourceHarness.create("read_back", SCHEMA, Map.of("connector", "file", "path", copy.toString(), "format", formatOptions().get("format")),
                state).readAll(Duration.ofSeconds(10));
    }
}
