package io.weir.server.auth;

import io.weir.server.config.Secret;
import io.weir.server.config.ServerConfig;
import io.weir.server.config.ServerOptions;
import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Optional;
import java.util.Set;

/**
 * The password of user {@code admin}, from {@code --admin-password-file} (the file's text, less one
 * trailing line break) or from {@code WEIR_ADMIN_PASSWORD}.
 */
public final class AdminPassword {
    private static final Logger LOG = LoggerFactory.getLogger(AdminPassword.class);

    private AdminPassword() {
    }

    /**
     * The configured admin password, if any.
     *
     * @throws WeirException {@link ErrorCode#INVALID_OPTION_VALUE} when both are given, or the file cannot be
     *         read or is empty
     */
    public static Optional<String> of(ServerConfig config) {
        Optional<Path> file = config.adminPasswordFile();
        Optional<Secret> direct = config.adminPassword();
        if (file.isPresent() && direct.isPresent()) {
            throw new WeirException(ErrorCode.INVALID_OPTION_VALUE, "The admin password is given twice: by "
                    + ServerOptions.ADMIN_PASSWORD_FILE.flag() + " (" + ServerOptions.ADMIN_PASSWORD_FILE.key() + ") and by "
                    + ServerOptions.ADMIN_PASSWORD_ENV + "; give one");
        }
        if (direct.isPresent()) {
            return Optional.of(direct.get().value());
        }
        return file.map(AdminPassword::read);
    }

    private static String read(Path file) {
        String where = "admin password file " + file + " (" + ServerOptions.ADMIN_PASSWORD_FILE.key() + ")";
        if (!Files.isRegularFile(file)) {
            throw new WeirException(ErrorCode.INVALID_OPTION_VALUE, "The " + where + " does not exist or is not a file");
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new WeirException(ErrorCode.INVALID_OPTION_VALUE, "Cannot read the " + where + ": " + e.getMessage(), e);
        }
        // echo and editors end the file with a line break, which is not part of the password
        String password = text.endsWith("\r\n") ? text.substring(0, text.length() - 2)
                : text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        if (password.isEmpty()) {
            throw new WeirException(ErrorCode.INVALID_OPTION_VALUE, "The " + where + " is empty; write the password into it");
        }
        warnIfOthersMayRead(file);
        return password;
    }

    private static void warnIfOthersMayRead(Path file) {
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            if (permissions.contains(PosixFilePermission.GROUP_READ) || permissions.contains(PosixFilePermission.OTHERS_READ)) {
                LOG.warn("The admin password file {} can be read by other users of this machine: chmod 600 {}", file, file);
            }
        } catch (UnsupportedOperationException | IOException e) {
            LOG.debug("Cannot read the permissions of {}: {}", file, e.toString());
        }
    }
}
