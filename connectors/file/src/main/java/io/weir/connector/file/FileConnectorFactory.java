package io.weir.connector.file;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.connector.Capability;
import io.weir.spi.connector.ConnectorContext;
import io.weir.spi.connector.ConnectorFactory;
import io.weir.spi.connector.DeliveryGuarantee;
import io.weir.spi.connector.FormatUsage;
import io.weir.spi.connector.ObjectKind;
import io.weir.spi.connector.Sink;
import io.weir.spi.connector.SinkOptions;
import io.weir.spi.connector.Source;
import io.weir.spi.option.ConfigOption;

import java.nio.file.Files;
import java.util.List;
import java.util.Set;

/**
 * {@code 'connector' = 'file'}: line-oriented files (JSON lines by default, or CSV), from one file or
 * a directory; each file is a split. Without {@code 'watch'} the source is bounded: it reads the
 * files present when a reader starts, in name order, and finishes. With {@code 'watch' = 'true'} it
 * stays open and picks up files added to the directory later (like Spark's textFileStream). As a sink
 * it writes part files into the directory {@code 'path'}, each visible only once complete and (with
 * the default {@code 'delivery.guarantee' = 'exactly-once'}) once the query's checkpoint covering it commits.
 */
public final class FileConnectorFactory implements ConnectorFactory {
    public static final String NAME = "file";
    public static final String DEFAULT_FORMAT = "json";

    public static final ConfigOption PATH = ConfigOption.string("path",
            "A file or a directory of files to read; for a sink, the directory part files are written to (created if "
                    + "missing). It must lie under one of the server's file roots (--file-roots); a relative path is taken "
                    + "under the first").asRequired();
    public static final ConfigOption WATCH = ConfigOption.bool("watch",
            "Keep the stream open and read files added to the directory later; files must be moved in atomically, "
                    + "complete; files changed after they were read are not read again").withDefault("false");
    public static final ConfigOption WATCH_INTERVAL = ConfigOption.duration("watch.interval",
            "How often a watched directory is listed for new files").withDefault("1 s");
    public static final ConfigOption GLOB = ConfigOption.string("glob",
            "Only read files whose name matches this glob, e.g. '*.json' or '*.{csv,csv.gz}'");
    public static final ConfigOption CHARSET = ConfigOption.string("charset",
            "The character set of the files read; a sink writes UTF-8").withDefault("UTF-8");
    public static final ConfigOption SINK_ROLLING_FILE_SIZE = ConfigOption.string("sink.rolling-policy.file-size",
            "Sink: complete a part file once it holds this much, e.g. '128 MB', '512 KB' or a number of bytes")
            .withDefault("128 MB");
    public static final ConfigOption SINK_ROLLOVER_INTERVAL = ConfigOption.duration("sink.rolling-policy.rollover-interval",
            "Sink: complete a part file once it has been open this long, so that its rows become visible to readers")
            .withDefault("15 min");
    /** Exactly-once by default: part files become visible when the query's checkpoint commits ({@link CheckpointedParts}). */
    public static final ConfigOption SINK_DELIVERY_GUARANTEE = SinkOptions.deliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Records from files (one file or a directory, optionally watched for new files; .gz decompressed), "
                + "or written to part files in a directory";
    }

    @Override
    public List<ConfigOption> options() {
        return List.of(PATH, WATCH, WATCH_INTERVAL, GLOB, CHARSET, SINK_ROLLING_FILE_SIZE, SINK_ROLLOVER_INTERVAL,
                SINK_DELIVERY_GUARANTEE);
    }

    @Override
    public FormatUsage usesFormat() {
        return FormatUsage.withDefault(DEFAULT_FORMAT);
    }

    @Override
    public Set<Capability> capabilities() {
        return Set.of(Capability.STREAM_SOURCE, Capability.TABLE_SOURCE, Capability.SINK);
    }

    @Override
    public void validate(ConnectorContext context) {
        FileSettings settings = FileSettings.of(context);
        if (settings.watch() && context.kind() == ObjectKind.TABLE) {
            throw new WeirException(ErrorCode.VALIDATION_ERROR, context.describe()
                    + ": a table is read as a whole and cannot watch for new files; remove 'watch' or use CREATE STREAM");
        }
        FileSinkSettings.checkRollingOptions(context.options());
        boolean exists = Files.exists(settings.path());
        // A stream may be an INSERT target, whose directory the sink creates: only a table must exist now
        // (a stream read from a missing path without 'watch' fails when the query starts).
        if (!exists && !settings.watch() && context.kind() == ObjectKind.TABLE) {
            throw new WeirException(ErrorCode.VALIDATION_ERROR, context.describe() + ": path '" + settings.path()
                    + "' (option 'path') does not exist. Fix the path, or set 'watch' = 'true' to wait for files to arrive in that directory");
        }
        if (exists && settings.watch() && !Files.isDirectory(settings.path())) {
            throw new WeirException(ErrorCode.VALIDATION_ERROR, context.describe() + ": 'watch' = 'true' needs a directory, but '"
                    + settings.path() + "' is a file");
        }
        if (exists && settings.glob().isPresent() && !Files.isDirectory(settings.path())) {
            throw new WeirException(ErrorCode.VALIDATION_ERROR, context.describe() + ": 'glob' selects files in a directory, but '"
                    + settings.path() + "' is a file; remove 'glob' or point 'path' at the directory");
        }
        if (exists && !Files.isReadable(settings.path())) {
            throw new WeirException(ErrorCode.VALIDATION_ERROR, context.describe() + ": path '" + settings.path() + "' is not readable");
        }
    }

    @Override
    public Source createSource(ConnectorContext context) {
        return new FileSource(context, FileSettings.of(context));
    }

    /**
     * Writes part files into the directory {@code 'path'}; see {@link FileSinkWriter}. Fails here, before
     * any query runs, when the path is a regular file or the format cannot be written.
     */
    @Override
    public Sink createSink(ConnectorContext context) {
        FileSinkSettings settings = FileSinkSettings.of(context);
        if (context.fileFormat().isEmpty()) {
            context.createEncoder(); // the format's own check that it can be written, e.g. not for a read-only format
        }
        return new FileSink(context, settings);
    }
}
