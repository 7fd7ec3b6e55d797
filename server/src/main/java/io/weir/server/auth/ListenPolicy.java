package io.weir.server.auth;

import io.weir.server.config.ServerConfig;
import io.weir.server.config.ServerOptions;
import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The safe default: a server without users (anyone who reaches the port may read and change everything)
 * listens only on loopback. Asked to listen on another address, it refuses to start, saying how to turn
 * authentication on, unless started with {@code --insecure}, which is logged as a warning at every start.
 */
public final class ListenPolicy {
    private static final Logger LOG = LoggerFactory.getLogger(ListenPolicy.class);

    private ListenPolicy() {
    }

    /**
     * @param authenticationRequired whether the server has users
     * @throws WeirException {@link ErrorCode#INVALID_OPTION_VALUE} when the server must not listen where asked
     */
    public static void check(ServerConfig config, boolean authenticationRequired) {
        boolean loopback = isLoopback(config.bindAddress());
        if (authenticationRequired || loopback) {
            if (config.insecure()) {
                LOG.warn("Started with {}, which changes nothing here: {}", ServerOptions.INSECURE.flag(),
                        authenticationRequired ? "clients authenticate, the server has users" : "it listens on loopback only");
            }
            return;
        }
        if (config.insecure()) {
            LOG.warn("INSECURE: listening on {} without authentication ({}): anyone who can reach the server can read,"
                    + " change and drop everything, and read files the server can read. Give the admin a password ({} or {})"
                    + " to turn authentication on", config.bindAddress(), ServerOptions.INSECURE.flag(),
                    ServerOptions.ADMIN_PASSWORD_FILE.flag(), ServerOptions.ADMIN_PASSWORD_ENV);
            return;
        }
        throw new WeirException(ErrorCode.INVALID_OPTION_VALUE, "Refusing to listen on " + config.bindAddress()
                + " without authentication: the server has no users, so anyone who reaches it could read and change"
                + " everything. Give the admin a password with " + ServerOptions.ADMIN_PASSWORD_FILE.flag() + " FILE or "
                + ServerOptions.ADMIN_PASSWORD_ENV + " (or create a user while listening on 127.0.0.1), or start with "
                + ServerOptions.INSECURE.flag() + " to listen anyway");
    }

    static boolean isLoopback(String bindAddress) {
        try {
            return InetAddress.getByName(bindAddress).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false; // binding fails next, with its own message
        }
    }
}
