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

/** The file sink writing Parquet (at-least-once, so that a flush completes the open file), read back through the file source. */
class FileParquetSinkConformanceTest extends SinkConformanceTest {
    private static final List<DataType.Field> SCHEMA = List.of(
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
        return Map.of("connector", "file", "path", output.toString(), "format", "parquet", "delivery.guarantee", "at-least-once");
    }

    /** The completed part files, copied into a fresh directory and read with the file source. */
    @Override
    protected List<Object[]> readBack() throws Exception {
        if (!Files.isDirectory(output)) {
            return List.of();
        }
        Path copy = Files.createDirectories(tempDir.resolve("read-back-" + readBacks++));
        try (Stream<Path> files = Files.list(output)) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString();
                if (name.startsWith(".")) {
                    continue; // an open Parquet file has no footer yet: its rows are not written until it is completed
                }
                Files.copy(file, copy.resolve(name));
            }
        }
        Path state = Files.createDirectories(tempDir.resolve("read-state"));
        return SourceHarness.create("read_back", SCHEMA, Map.of("connector", "file", "path", copy.toString(), "format", "parquet"),
                state).readAll(Duration.ofSeconds(10));
    }
}
