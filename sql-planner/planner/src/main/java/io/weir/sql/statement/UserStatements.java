package io.weir.sql.statement;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.type.DataType;
import io.weir.spi.type.TypeKind;
import io.weir.sql.auth.AccessToken;
import io.weir.sql.auth.Requirement;
import io.weir.sql.auth.SessionUser;
import io.weir.sql.auth.User;
import io.weir.sql.auth.UserDirectory;
import io.weir.sql.parser.ddl.SqlAlterUser;
import io.weir.sql.parser.ddl.SqlCreateToken;
import io.weir.sql.parser.ddl.SqlCreateUser;
import io.weir.sql.parser.ddl.SqlDropToken;
import io.weir.sql.parser.ddl.SqlDropUser;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * CREATE / ALTER / DROP USER, CREATE / DROP TOKEN, SHOW USERS and SHOW TOKENS. Only admins manage users and
 * tokens (anyone, on a server without users); a user may change its own password: see {@link #requirements},
 * which the {@link io.weir.sql.auth.Authorizer} checks before a statement runs. Nothing answered or
 * logged here holds a password, a verifier or a token, except the answer to CREATE TOKEN, the only time
 * a token is shown.
 */
final class UserStatements {
    private static final Logger LOG = LoggerFactory.getLogger(UserStatements.class);
    private static final DataType TEXT = DataType.varchar().withNullable(false);
    private static final DataType TIME = DataType.timestamp(3).withNullable(false);
    /** What CREATE TOKEN answers: the token, shown this once. */
    static final List<ResultColumn> TOKEN_COLUMNS = List.of(new ResultColumn("token_name", TEXT),
            new ResultColumn("user_name", TEXT), new ResultColumn("token", TEXT));

    private final UserDirectory users;

    UserStatements(UserDirectory users) {
        this.users = requireNonNull(users, "users is null");
    }

    /**
     * What a user statement requires: an admin, except ALTER USER of one's own password (a user without a
     * session, on a server without users, is an admin to the {@link io.weir.sql.auth.Authorizer}).
     */
    static List<Requirement> requirements(SqlNode node) {
        if (node instanceof SqlCreateUser) {
            return List.of(new Requirement.Admin("create users"));
        }
        if (node instanceof SqlAlterUser alter) {
            // a user may change its own password; anything else is an admin's
            return alter.admin().isPresent() ? List.of(new Requirement.Admin("change the admin attribute"))
                    : List.of(new Requirement.SelfOrAdmin(name(alter.name()), "change other users"));
        }
        if (node instanceof SqlDropUser) {
            return List.of(new Requirement.Admin("drop users"));
        }
        if (node instanceof SqlCreateToken) {
            return List.of(new Requirement.Admin("create tokens"));
        }
        return List.of(new Requirement.Admin("drop tokens"));
    }

    static boolean handles(SqlNode node) {
        return node instanceof SqlCreateUser || node instanceof SqlAlterUser || node instanceof SqlDropUser
                || node instanceof SqlCreateToken || node instanceof SqlDropToken;
    }

    StatementResult execute(SessionUser user, SqlNode node) {
        try {
            if (node instanceof SqlCreateUser create) {
                return create(user, create);
            }
            if (node instanceof SqlAlterUser alter) {
                return alter(user, alter);
            }
            if (node instanceof SqlDropUser drop) {
                return drop(user, drop);
            }
            if (node instanceof SqlCreateToken create) {
                return createToken(user, create);
            }
            if (node instanceof SqlDropToken drop) {
                return dropToken(user, drop);
            }
        } catch (WeirException e) {
            throw e.position().isPresent() ? e
                    : new WeirException(e.errorCode(), SqlErrors.position(node.getParserPosition()), e.rawMessage(), e);
        }
        throw new IllegalArgumentException("not a user statement: " + node.getClass().getSimpleName());
    }

    private StatementResult create(SessionUser user, SqlCreateUser create) {
        String name = name(create.name());
        String password = create.password().orElseThrow(() -> new WeirException(ErrorCode.VALIDATION_ERROR,
                SqlErrors.position(create.name().getParserPosition()),
                "CREATE USER needs a password: CREATE USER " + name + " WITH PASSWORD '...'"));
        boolean created = users.create(name, password, create.admin(), create.ifNotExists());
        if (!created) {
            return new StatementResult.UpdateCount(0, "User '" + name + "' already exists; left unchanged");
        }
        LOG.info("{} created {} '{}'", user, create.admin() ? "admin user" : "user", name);
        return new StatementResult.UpdateCount(0, "User '" + name + "' created");
    }

    private StatementResult alter(SessionUser user, SqlAlterUser alter) {
        String name = name(alter.name());
        User changed = users.alter(name, alter.password().orElse(null), alter.admin().orElse(null));
        LOG.info("{} changed user '{}'{}{}", user, changed.name(), alter.password().isPresent() ? ": new password" : "",
                alter.admin().map(admin -> admin ? ", admin" : ", not an admin").orElse(""));
        List<String> warnings = new ArrayList<>();
        if (alter.password().isPresent() && changed.name().equals(UserDirectory.ADMIN) && users.adminPasswordManaged()) {
            warnings.add("The server was started with an admin password (--admin-password-file or WEIR_ADMIN_PASSWORD):"
                    + " the next start sets user '" + UserDirectory.ADMIN + "' to that password again. Change it there too");
        }
        return new StatementResult.UpdateCount(0, "User '" + changed.name() + "' changed", warnings);
    }

    private StatementResult drop(SessionUser user, SqlDropUser drop) {
        String name = name(drop.name());
        if (!user.anonymous() && user.name().equalsIgnoreCase(name)) {
            throw new WeirException(ErrorCode.VALIDATION_ERROR, SqlErrors.position(drop.name().getParserPosition()),
                    "User '" + user.name() + "' cannot drop itself; another admin can");
        }
        Optional<List<String>> tokens = users.drop(name, drop.ifExists());
        if (tokens.isEmpty()) {
            return new StatementResult.UpdateCount(0, "User '" + name + "' does not exist");
        }
        LOG.info("{} dropped user '{}'{}", user, name, tokens.get().isEmpty() ? "" : " and its tokens " + tokens.get());
        return new StatementResult.UpdateCount(0, "Dropped user '" + name + "'"
                + (tokens.get().isEmpty() ? "" : " and its tokens " + String.join(", ", tokens.get())));
    }

    private StatementResult createToken(SessionUser user, SqlCreateToken create) {
        String name = name(create.name());
        String secret = users.createToken(name, name(create.user()));
        String owner = users.token(name).map(AccessToken::user).orElseThrow();
        LOG.info("{} created token '{}' for user '{}'", user, name, owner);
        return StatementResult.Rows.of(TOKEN_COLUMNS, List.<Object[]>of(new Object[] {name, owner, secret}));
    }

    private StatementResult dropToken(SessionUser user, SqlDropToken drop) {
        String name = name(drop.name());
        if (!users.dropToken(name, drop.ifExists())) {
            return new StatementResult.UpdateCount(0, "Token '" + name + "' does not exist");
        }
        LOG.info("{} dropped token '{}'", user, name);
        return new StatementResult.UpdateCount(0, "Dropped token '" + name + "'");
    }

    /** SHOW USERS: names, admin attribute and creation time; never a verifier. */
    StatementResult.Rows showUsers(String like) {
        Pattern pattern = like == null ? null : CatalogListing.likeToRegex(like);
        List<Object[]> rows = new ArrayList<>();
        for (User user : users.users()) {
            if (pattern == null || pattern.matcher(user.name()).matches()) {
                long tokens = users.tokens().stream().filter(token -> token.user().equalsIgnoreCase(user.name())).count();
                rows.add(new Object[] {user.name(), user.admin(), tokens, user.created().toEpochMilli()});
            }
        }
        return StatementResult.Rows.of(List.of(new ResultColumn("user_name", TEXT),
                new ResultColumn("admin", DataType.of(TypeKind.BOOLEAN).withNullable(false)),
                new ResultColumn("tokens", DataType.of(TypeKind.BIGINT).withNullable(false)),
                new ResultColumn("created", TIME)), rows);
    }

    /** SHOW TOKENS: names, users and creation times, never the tokens; a user who is not an admin sees its own. */
    StatementResult.Rows showTokens(SessionUser user, String like) {
        Pattern pattern = like == null ? null : CatalogListing.likeToRegex(like);
        boolean admin = users.isAdmin(user);
        List<Object[]> rows = new ArrayList<>();
        for (AccessToken token : users.tokens()) {
            if ((admin || token.user().equalsIgnoreCase(user.name())) && (pattern == null || pattern.matcher(token.name()).matches())) {
                rows.add(new Object[] {token.name(), token.user(), token.created().toEpochMilli()});
            }
        }
        return StatementResult.Rows.of(List.of(new ResultColumn("token_name", TEXT), new ResultColumn("user_name", TEXT),
                new ResultColumn("created", TIME)), rows);
    }

    private static String name(SqlIdentifier identifier) {
        if (!identifier.isSimple()) {
            throw new WeirException(ErrorCode.VALIDATION_ERROR, SqlErrors.position(identifier.getParserPosition()),
                    "Invalid name '" + identifier + "': users and tokens have simple names");
        }
        return identifier.getSimple();
    }
}
