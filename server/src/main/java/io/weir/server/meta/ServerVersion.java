package io.weir.server.meta;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The server's version, from a resource the build fills in. */
public final class ServerVersion {
    public static final String VERSION = load();
    public static final int MAJOR = part(0);
    public static final int MINOR = part(1);

    private ServerVersion() {
    }

    private static String load() {
        try (InputStream in = ServerVersion.class.getResourceAsStream("/io/weir/server/weir-version.properties")) {
            if (in == null) {
                return "0.0.0-unknown";
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", "0.0.0-unknown");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int part(int index) {
        String[] parts = VERSION.split("[.-]");
        try {
            return parts.length > index ? Integer.parseInt(parts[index]) : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
