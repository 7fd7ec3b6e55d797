package io.weir.connector.file;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.connector.ConnectorContext;
import io.weir.spi.connector.FileRoots;
import io.weir.spi.option.OptionValues;

import java.nio.charset.Charset;
import java.nio.file.FileSystems;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.PatternSyntaxException;

/** The file connector's options, checked and parsed. */
record FileSettings(Path path, boolean watch, Duration watchInterval, Optional<String> glob,
                    Optional<PathMatcher> nameMatcher, Charset charset, Optional<FileRoots> roots) {

    static FileSettings of(ConnectorContext context) {
        OptionValues options = context.options();
        Optional<FileRoots> roots = context.services().find(FileRoots.class);
        Path path = path(context, roots);
        Duration interval = options.duration(FileConnectorFactory.WATCH_INTERVAL);
        if (interval.isZero() || interval.isNegative()) {
            throw invalid(FileConnectorFactory.WATCH_INTERVAL.key(), options.raw().get("watch.interval"), "must be positive");
        }
        Optional<String> glob = options.getString(FileConnectorFactory.GLOB);
        Optional<PathMatcher> matcher;
        try {
            matcher = glob.map(pattern -> FileSystems.getDefault().getPathMatcher("glob:" + pattern));
        } catch (PatternSyntaxException e) {
            throw invalid(FileConnectorFactory.GLOB.key(), glob.get(), e.getDescription());
        }
        String charsetName = options.string(FileConnectorFactory.CHARSET);
        Charset charset;
        try {
            charset = Charset.forName(charsetName.trim());
        } catch (IllegalArgumentException e) {
            throw invalid(FileConnectorFactory.CHARSET.key(), charsetName, "unknown character set (e.g. 'UTF-8', 'ISO-8859-1')");
        }
        return new FileSettings(path, options.bool(FileConnectorFactory.WATCH), interval, glob, matcher, charset, roots);
    }

    /** Option 'path', absolute: under the server's file roots when it has them (a relative path under the first). */
    static Path path(ConnectorContext context, Optional<FileRoots> roots) {
        String pathText = context.options().string(FileConnectorFactory.PATH);
        if (roots.isPresent()) {
            return roots.get().resolve(context.describe(), FileConnectorFactory.PATH.key(), pathText);
        }
        try {
            return Path.of(pathText).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw invalid(FileConnectorFactory.PATH.key(), pathText, "not a valid path: " + e.getReason());
        }
    }

    private static WeirException invalid(String key, String value, String problem) {
        return new WeirException(ErrorCode.INVALID_OPTION_VALUE, "Invalid value '" + value + "' for option '" + key + "': " + problem);
    }
}
