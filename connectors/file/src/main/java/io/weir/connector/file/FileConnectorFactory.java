package io.weir.connector.file;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.connector.Capability;
import io.weir.spi.connector.ConnectorContext;
import io.weir.spi.connector.ConnectorFactory;
import io.weir.spi.connector.FormatUsage;
import io.weir.spi.connector.ObjectKind;
import io.weir.spi.connector.Source;
import io.weir.spi.option.ConfigOption;

import java.nio.file.Files;
import java.util.List;
import java.util.Set;

/**
 * {@code 'connector' = 'file'}: line-oriented files (JSON lines by default, or CSV), from one file or
 * a directory; each file is a split. Without {@code 'watch'} the source is bounded: it reads the
 * files present when a reader starts, in name order, and finishes. With {@code 'watch' = 'true'} it
 * stays open and picks up files added to the directory later (like Spark's textFileStream).
 */
public final class FileConnectorFactory implements ConnectorFactory {
    public static final String NAME = "file";
    public static final String DEFAULT_FORMAT = "json";

    public static final ConfigOption PATH = ConfigOption.string("path",
            "A file or a directory of files; relative paths are resolved against the server's working directory").asRequired();
    public static final ConfigOption WATCH = ConfigOption.bool("watch",
            "Keep the stream open and read files added to the directory later; files must be moved in atomically, "
                    + "complete; files changed after they were read are not read again").withDefault("false");
    public static final ConfigOption WATCH_INTERVAL = ConfigOption.duration("watch.interval",
            "How often a watched directory is listed for new files").withDefault("1 s");
    public static final ConfigOption GLOB = ConfigOption.string("glob",
            "Only read files whose name matches this glob, e.g. '*.json' or '*.{csv,csv.gz}'");
    public static final ConfigOption CHARSET = ConfigOption.string("charset",
            "The character set of the files").withDefault("UTF-8");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Records from files (one file or a directory, optionally watched for new files; .gz decompressed)";
    }

    @Override
    public List<ConfigOption> options() {
        return List.of(PATH, WATCH, WATCH_INTERVAL, GLOB, CHARSET);
    }

    @Override
    public FormatUsage usesFormat() {
        return FormatUsage.withDefault(DEFAULT_FORMAT);
    }

    @Override
    public Set<Capability> capabilities() {
        return Set.of(Capability.STREAM_SOURCE, Capability.TABLE_SOURCE);
    }

    @Override
    public void validate(ConnectorContext context) {
        FileSettings settings = FileSettings.of(context);
        if (settings.watch() && context.kind() == ObjectKind.TABLE) {
            throw new WeirException(ErrorCode.VALIDATION_ERROR, context.describe()
                    + ": a table is read as a whole and cannot watch for new files; remove 'watch' or use CREATE STREAM");
        }
        boolean exists = Files.exists(settings.path());
        if (!exists && !settings.watch()) {
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
}
