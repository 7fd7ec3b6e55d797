package io.weir.connector.flume;

import io.netty.handler.ipfilter.IpFilterRuleType;
import io.netty.handler.ipfilter.IpSubnetFilterRule;
import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.connector.ConnectorContext;
import io.weir.spi.option.ConfigOption;
import io.weir.spi.option.OptionValues;
import io.weir.spi.wal.WalSettings;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import static io.weir.connector.flume.FlumeConnectorFactory.COMPRESSION_LEVEL;
import static io.weir.connector.flume.FlumeConnectorFactory.COMPRESSION_TYPE;
import static io.weir.connector.flume.FlumeConnectorFactory.HOST;
import static io.weir.connector.flume.FlumeConnectorFactory.IP_ALLOW;
import static io.weir.connector.flume.FlumeConnectorFactory.IP_DENY;
import static io.weir.connector.flume.FlumeConnectorFactory.MAX_EVENT_BYTES;
import static io.weir.connector.flume.FlumeConnectorFactory.PORT;
import static io.weir.connector.flume.FlumeConnectorFactory.SSL_CERTIFICATE;
import static io.weir.connector.flume.FlumeConnectorFactory.SSL_KEY;
import static io.weir.connector.flume.FlumeConnectorFactory.SSL_KEYSTORE;
import static io.weir.connector.flume.FlumeConnectorFactory.SSL_KEYSTORE_PASSWORD;
import static io.weir.connector.flume.FlumeConnectorFactory.SSL_KEYSTORE_TYPE;
import static java.util.Objects.requireNonNull;

/**
 * The Flume connector's options, checked and parsed.
 *
 * @param tls    the server's key and certificate, when agents connect with TLS
 * @param deflateLevel the zlib level of what Weir sends, when agents compress the connection (deflate)
 * @param allow  the ranges agents may connect from; empty allows all not denied
 * @param deny   the ranges whose connections are refused
 */
record FlumeSettings(String host, int port, int maxEventBytes, Optional<Tls> tls, OptionalInt deflateLevel,
                     List<IpSubnetFilterRule> allow, List<IpSubnetFilterRule> deny, WalSettings wal) {

    /** Where the server's key and certificate come from. */
    sealed interface Tls {
        /** PEM files: the certificate (and chain) and its PKCS#8 key. */
        record PemFiles(Path certificate, Path key) implements Tls {
            public PemFiles {
                requireNonNull(certificate, "certificate is null");
                requireNonNull(key, "key is null");
            }
        }

        /** A Java keystore, as Flume's Avro source takes it ('keystore', 'keystore-password', 'keystore-type'). */
        record KeyStoreFile(Path path, String password, String type) implements Tls {
            public KeyStoreFile {
                requireNonNull(path, "path is null");
                requireNonNull(password, "password is null");
                requireNonNull(type, "type is null");
            }
        }
    }

    FlumeSettings {
        requireNonNull(host, "host is null");
        requireNonNull(tls, "tls is null");
        requireNonNull(deflateLevel, "deflateLevel is null");
        allow = List.copyOf(allow);
        deny = List.copyOf(deny);
        requireNonNull(wal, "wal is null");
    }

    static FlumeSettings of(ConnectorContext context) {
        OptionValues options = context.options();
        String host = options.string(HOST).trim();
        if (host.isEmpty()) {
            throw invalid(options, HOST, "name the local address to listen on, e.g. '127.0.0.1' or '0.0.0.0'");
        }
        int port = options.integer(PORT);
        if (port < 1 || port > 65535) {
            throw invalid(options, PORT, "the port must be between 1 and 65535");
        }
        int maxEventBytes = options.integer(MAX_EVENT_BYTES);
        if (maxEventBytes < 1) {
            throw invalid(options, MAX_EVENT_BYTES, "must be at least 1");
        }
        if (!WalSettings.enabled(options)) {
            throw new WeirException(ErrorCode.INVALID_OPTION_VALUE, "Invalid value 'false' for option 'wal': the flume "
                    + "connector acknowledges events to the agent only once they are in the write-ahead log; remove 'wal'");
        }
        OptionalInt deflateLevel = OptionalInt.empty();
        if (options.string(COMPRESSION_TYPE).trim().equalsIgnoreCase("deflate")) {
            int level = options.integer(COMPRESSION_LEVEL);
            if (level < 1 || level > 9) {
                throw invalid(options, COMPRESSION_LEVEL, "the level is 1 (fastest) to 9 (smallest), as in Flume");
            }
            deflateLevel = OptionalInt.of(level);
        }
        return new FlumeSettings(host, port, maxEventBytes, tls(options), deflateLevel, rules(options, IP_ALLOW, IpFilterRuleType.ACCEPT),
                rules(options, IP_DENY, IpFilterRuleType.REJECT), WalSettings.of(context.describe(), options));
    }

    private static Optional<Tls> tls(OptionValues options) {
        Optional<String> certificate = options.getString(SSL_CERTIFICATE).map(String::trim).filter(s -> !s.isEmpty());
        Optional<String> key = options.getString(SSL_KEY).map(String::trim).filter(s -> !s.isEmpty());
        Optional<String> keystore = options.getString(SSL_KEYSTORE).map(String::trim).filter(s -> !s.isEmpty());
        if (keystore.isPresent()) {
            if (certificate.isPresent() || key.isPresent()) {
                throw new WeirException(ErrorCode.INVALID_OPTION_VALUE, "Options 'ssl.keystore' and 'ssl.certificate'/'ssl.key'"
                        + " are alternatives: give either a keystore or PEM files");
            }
            Optional<String> password = options.getString(SSL_KEYSTORE_PASSWORD);
            if (password.isEmpty()) {
                throw new WeirException(ErrorCode.MISSING_OPTION, "Option 'ssl.keystore-password' is missing: a keystore"
                        + " ('ssl.keystore') needs its password");
            }
            return Optional.of(new Tls.KeyStoreFile(readable(options, SSL_KEYSTORE, keystore.get()), password.get(),
                    options.string(SSL_KEYSTORE_TYPE).trim().toUpperCase(java.util.Locale.ROOT)));
        }
        if (certificate.isEmpty() && key.isEmpty()) {
            return Optional.empty();
        }
        if (certificate.isEmpty() || key.isEmpty()) {
            ConfigOption missing = certificate.isEmpty() ? SSL_CERTIFICATE : SSL_KEY;
            throw new WeirException(ErrorCode.MISSING_OPTION, "Option '" + missing.key()
                    + "' is missing: TLS needs both 'ssl.certificate' and 'ssl.key' (PEM files), or 'ssl.keystore'");
        }
        Path certificatePath = readable(options, SSL_CERTIFICATE, certificate.get());
        Path keyPath = readable(options, SSL_KEY, key.get());
        return Optional.of(new Tls.PemFiles(certificatePath, keyPath));
    }

    private static Path readable(OptionValues options, ConfigOption option, String file) {
        Path path = Path.of(file);
        if (!Files.isReadable(path) || Files.isDirectory(path)) {
            throw invalid(options, option, "no readable file " + path.toAbsolutePath() + " on the server");
        }
        return path;
    }

    private static List<IpSubnetFilterRule> rules(OptionValues options, ConfigOption option, IpFilterRuleType type) {
        List<IpSubnetFilterRule> rules = new ArrayList<>();
        for (String entry : options.isSet(option) ? options.list(option) : List.<String>of()) {
            String range = entry.trim();
            if (range.isEmpty()) {
                continue;
            }
            int slash = range.indexOf('/');
            String address = slash < 0 ? range : range.substring(0, slash);
            try {
                int prefix = slash < 0 ? (address.contains(":") ? 128 : 32) : Integer.parseInt(range.substring(slash + 1));
                if (!address.matches("[0-9.]+|[0-9a-fA-F:.]*:[0-9a-fA-F:.]*")) {
                    throw new IllegalArgumentException("not an IP address");
                }
                rules.add(new IpSubnetFilterRule(address, prefix, type));
            } catch (IllegalArgumentException e) {
                throw invalid(options, option, "'" + range + "' is no IP address or CIDR range (e.g. '10.0.0.0/8', '127.0.0.1')");
            }
        }
        return rules;
    }

    private static WeirException invalid(OptionValues options, ConfigOption option, String problem) {
        String value = options.raw().getOrDefault(option.key(), option.defaultValueText().orElse(""));
        return new WeirException(ErrorCode.INVALID_OPTION_VALUE, "Invalid value '" + value + "' for option '"
                + option.key() + "': " + problem);
    }
}
