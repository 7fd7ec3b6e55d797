package io.weir.server.auth;

import io.weir.sql.auth.SessionUser;

import java.util.Optional;

/**
 * Which user each open Avatica connection belongs to: it is opened as the user who authenticated the
 * {@code openConnection} request, and from then on only that user's requests may use its id, so that
 * someone who learns the id (it travels in every request and is logged) cannot act as its user.
 */
public interface ConnectionOwners {
    /** For servers whose Meta keeps no users (tests' scripted Metas): every connection is anyone's. */
    ConnectionOwners NONE = new ConnectionOwners() {
        @Override
        public Optional<SessionUser> openedWith(String connectionId, byte[] key) {
            return Optional.empty();
        }

        @Override
        public void admit(String connectionId, SessionUser user, byte[] key, boolean opening) {
        }

        @Override
        public boolean isOpen(String connectionId) {
            return true;
        }
    };

    /** Whether connection {@code connectionId} is open. */
    boolean isOpen(String connectionId);

    /**
     * The user of connection {@code connectionId} if it is open and was opened (or last used) with exactly
     * the credentials {@code key} stands for: they need not be checked again. A connection stays its user's
     * when the user's password changes, as a PostgreSQL session does.
     */
    Optional<SessionUser> openedWith(String connectionId, byte[] key);

    /**
     * Lets a request of {@code user} use connection {@code connectionId}: opening, the connection becomes the
     * user's; otherwise it must already be the user's.
     *
     * @param key the keyed hash of the credentials the user authenticated with (empty for anonymous)
     * A connection opened before the server had users becomes the first authenticated user's.
     *
     * @throws io.weir.spi.WeirException {@link io.weir.spi.ErrorCode#INVALID_AUTHORIZATION} when the
     *         connection belongs to another user
     */
    void admit(String connectionId, SessionUser user, byte[] key, boolean opening);
}
