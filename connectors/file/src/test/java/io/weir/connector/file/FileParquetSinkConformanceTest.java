package io.weir.connector.file;

import java.util.Map;

/** The file sink writing Parquet (at-least-once, so that a flush completes the open file), read back through the file source. */
class FileParquetSinkConformanceTest extends FileSinkConformanceTest {
    @Override
    protected Map<String, String> formatOptions() {
        return Map.of("format", "parquet", "delivery.guarantee", "at-least-once");
    }

    /** The completed part files only: an open Parquet file has no footer yet, so its rows are not written until it is completed. */
    @Override
    protected String readBackName(String name) {
        return name.startsWith(".") ? null : name;
    }
}
