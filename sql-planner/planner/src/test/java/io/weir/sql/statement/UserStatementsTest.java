package io.weir.sql.statement;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.sql.auth.SessionUser;
import io.weir.sql.auth.UserDirectory;
import io.weir.sql.catalog.Catalog;
import io.weir.sql.catalog.CatalogStore;
import io.weir.sql.session.SessionProperties;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

class UserStatementsTest {
    private static final SessionUser ADMIN = SessionUser.of("root");
    private static final SessionUser BOB = SessionUser.of("bob");

    @TempDir
    Path dataDir;

    private StatementExecutor executor;
    private final SessionProperties session = new SessionProperties(Map.of());

    @BeforeEach
    void setUp() {
        executor = open();
    }

    private StatementExecutor open() {
        return new StatementExecutor(Catalog.open(new CatalogStore(dataDir.resolve("catalog"))), dataDir);
    }

    private UserDirectory users() {
        return executor.catalog().users();
    }

    private StatementResult run(SessionUser user, String sql) {
        return executor.execute(session, user, sql);
    }

    private List<Object[]> rows(SessionUser user, String sql) {
        StatementResult.Rows result = (StatementResult.Rows) run(user, sql);
        List<Object[]> rows = new ArrayList<>();
        result.rows().forEachRemaining(rows::add);
        return rows;
    }

    private WeirException refusal(SessionUser user, String sql) {
        return (WeirException) org.assertj.core.api.Assertions.catchThrowable(() -> run(user, sql));
    }

    @Test
    void theFirstUserIsCreatedByAnyoneAndMustBeAnAdmin() {
        assertThat(users().authenticationRequired()).isFalse();
        WeirException notAdmin = refusal(SessionUser.ANONYMOUS, "CREATE USER bob WITH PASSWORD 'b0b'");
        assertThat(notAdmin.errorCode()).isEqualTo(ErrorCode.VALIDATION_ERROR);
        assertThat(notAdmin.getMessage()).contains("The first user must be an admin");

        run(SessionUser.ANONYMOUS, "CREATE USER root WITH PASSWORD 'r00t' ADMIN");

        assertThat(users().authenticationRequired()).isTrue();
        WeirException anonymous = refusal(SessionUser.ANONYMOUS, "CREATE USER eve WITH PASSWORD 'x' ADMIN");
        assertThat(anonymous.errorCode()).isEqualTo(ErrorCode.INSUFFICIENT_PRIVILEGE);
        assertThat(anonymous.getMessage()).contains("Only admins may create users");
    }

    @Test
    void usersAndTokensSurviveAReopenInAFileOnlyTheOwnerReads() throws Exception {
        run(SessionUser.ANONYMOUS, "CREATE USER root WITH PASSWORD 'r00t' ADMIN");
        run(ADMIN, "CREATE USER bob PASSWORD 'b0b'");
        String token = (String) rows(ADMIN, "CREATE TOKEN sensors FOR USER bob").get(0)[2];

        executor = open();

        assertThat(users().checkPassword("bob", "b0b")).isPresent();
        assertThat(users().checkPassword("BOB", "b0b")).as("names ignore case").isPresent();
        assertThat(users().checkToken(token)).hasValueSatisfying(user -> assertThat(user.name()).isEqualTo("bob"));
        Path file = dataDir.resolve("catalog").resolve("users.json");
        String stored = Files.readString(file);
        assertThat(stored).contains("SCRAM-SHA-256$4096:").doesNotContain("b0b").doesNotContain(token);
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        }
    }

    @Test
    void showUsersAndShowTokensNeverShowSecrets() {
        run(SessionUser.ANONYMOUS, "CREATE USER root WITH PASSWORD 'r00t' ADMIN");
        run(ADMIN, "CREATE USER bob PASSWORD 'b0b'");
        List<Object[]> created = rows(ADMIN, "CREATE TOKEN sensors FOR USER Bob");
        assertThat(created).extracting(row -> row[0], row -> row[1]).containsExactly(tuple("sensors", "bob"));
        String token = (String) created.get(0)[2];
        assertThat(token).startsWith("weir_").hasSize(48);
        rows(ADMIN, "CREATE TOKEN backup FOR USER root");

        List<Object[]> users = rows(ADMIN, "SHOW USERS");
        assertThat(users).extracting(row -> row[0], row -> row[1], row -> row[2])
                .containsExactly(tuple("bob", false, 1L), tuple("root", true, 1L));
        assertThat(users).allSatisfy(row -> assertThat(Arrays.toString(row)).doesNotContain("SCRAM"));
        assertThat(rows(ADMIN, "SHOW TOKENS")).extracting(row -> row[0], row -> row[1])
                .containsExactly(tuple("backup", "root"), tuple("sensors", "bob"));
        assertThat(rows(BOB, "SHOW TOKENS")).as("a user who is not an admin sees its own tokens")
                .extracting(row -> row[0]).containsExactly("sensors");
        assertThat(rows(ADMIN, "SHOW TOKENS LIKE 'sen%'")).hasSize(1);
        assertThat(rows(ADMIN, "SHOW TOKENS")).allSatisfy(row -> assertThat(Arrays.toString(row)).doesNotContain(token));
    }

    @Test
    void onlyAdminsManageUsersButEveryoneChangesTheirOwnPassword() {
        run(SessionUser.ANONYMOUS, "CREATE USER root WITH PASSWORD 'r00t' ADMIN");
        run(ADMIN, "CREATE USER bob PASSWORD 'b0b'");
        run(ADMIN, "CREATE USER carol PASSWORD 'c4rol'");

        run(BOB, "ALTER USER bob WITH PASSWORD 'new'");
        assertThat(users().checkPassword("bob", "new")).isPresent();
        assertThat(users().checkPassword("bob", "b0b")).isEmpty();

        for (String sql : List.of("ALTER USER carol PASSWORD 'x'", "ALTER USER bob ADMIN", "CREATE USER dave PASSWORD 'd'",
                "DROP USER carol", "CREATE TOKEN t FOR USER bob", "DROP TOKEN IF EXISTS t")) {
            WeirException e = refusal(BOB, sql);
            assertThat(e.errorCode()).as(sql).isEqualTo(ErrorCode.INSUFFICIENT_PRIVILEGE);
            assertThat(e.errorCode().sqlState()).isEqualTo("42501");
            assertThat(e.getMessage()).as(sql).contains("Only admins may").contains("user 'bob' is not an admin");
        }

        run(ADMIN, "ALTER USER bob ADMIN");
        run(BOB, "DROP USER carol");
        assertThat(users().user("carol")).isEmpty();
    }

    @Test
    void theLastAdminStaysAndNoAdminDropsItself() {
        run(SessionUser.ANONYMOUS, "CREATE USER root WITH PASSWORD 'r00t' ADMIN");
        run(ADMIN, "CREATE USER bob PASSWORD 'b0b' ADMIN");

        assertThat(refusal(ADMIN, "DROP USER root").getMessage()).contains("cannot drop itself");
        run(BOB, "DROP USER root");
        assertThat(refusal(BOB, "ALTER USER bob NOADMIN").getMessage())
                .contains("User 'bob' is the only admin and cannot lose the admin attribute");
        run(BOB, "CREATE USER carol PASSWORD 'c' ADMIN");
        run(BOB, "ALTER USER bob NOADMIN");
        assertThat(users().isAdmin(BOB)).isFalse();
    }

    @Test
    void droppingAUserRevokesItsTokens() {
        run(SessionUser.ANONYMOUS, "CREATE USER root WITH PASSWORD 'r00t' ADMIN");
        run(ADMIN, "CREATE USER bob PASSWORD 'b0b'");
        String token = (String) rows(ADMIN, "CREATE TOKEN sensors FOR USER bob").get(0)[2];
        List<String> dropped = new ArrayList<>();
        users().addDropListener(dropped::add);

        StatementResult.UpdateCount result = (StatementResult.UpdateCount) run(ADMIN, "DROP USER bob");

        assertThat(result.message()).isEqualTo("Dropped user 'bob' and its tokens sensors");
        assertThat(users().checkToken(token)).isEmpty();
        assertThat(users().token("sensors")).isEmpty();
        assertThat(dropped).containsExactly("bob");
    }

    @Test
    void tokensAreRevokedByDropToken() {
        run(SessionUser.ANONYMOUS, "CREATE USER root WITH PASSWORD 'r00t' ADMIN");
        String token = (String) rows(ADMIN, "CREATE TOKEN t1 FOR USER root").get(0)[2];
        assertThat(refusal(ADMIN, "CREATE TOKEN T1 FOR USER root").errorCode()).isEqualTo(ErrorCode.OBJECT_ALREADY_EXISTS);
        assertThat(refusal(ADMIN, "CREATE TOKEN t2 FOR USER nobody").errorCode()).isEqualTo(ErrorCode.UNKNOWN_OBJECT);

        run(ADMIN, "DROP TOKEN t1");

        assertThat(users().checkToken(token)).isEmpty();
        assertThat(refusal(ADMIN, "DROP TOKEN t1").errorCode()).isEqualTo(ErrorCode.UNKNOWN_OBJECT);
        assertThat(((StatementResult.UpdateCount) run(ADMIN, "DROP TOKEN IF EXISTS t1")).message())
                .isEqualTo("Token 't1' does not exist");
    }

    @Test
    void badUserStatementsSayWhatIsWrong() {
        run(SessionUser.ANONYMOUS, "CREATE USER root WITH PASSWORD 'r00t' ADMIN");
        assertThat(refusal(ADMIN, "CREATE USER bob").getMessage())
                .contains("CREATE USER needs a password: CREATE USER bob WITH PASSWORD '...'");
        assertThat(refusal(ADMIN, "CREATE USER bob PASSWORD ''").getMessage()).contains("A password may not be empty");
        assertThat(refusal(ADMIN, "CREATE USER \"a:b\" PASSWORD 'x'").getMessage()).contains("has a colon");
        assertThat(refusal(ADMIN, "CREATE USER ROOT PASSWORD 'x'").errorCode()).isEqualTo(ErrorCode.OBJECT_ALREADY_EXISTS);
        assertThat(((StatementResult.UpdateCount) run(ADMIN, "CREATE USER IF NOT EXISTS root PASSWORD 'x'")).message())
                .isEqualTo("User 'root' already exists; left unchanged");
        assertThat(users().checkPassword("root", "r00t")).as("left unchanged").isPresent();
        assertThat(refusal(ADMIN, "ALTER USER nobody PASSWORD 'x'").errorCode()).isEqualTo(ErrorCode.UNKNOWN_OBJECT);
        assertThat(refusal(ADMIN, "DROP USER nobody").getMessage()).contains("User 'nobody' does not exist");
        WeirException positioned = refusal(ADMIN, "DROP USER nobody");
        assertThat(positioned.position()).isPresent();
    }

    @Test
    void aTokenIsShownOnlyByItsStatementAndABatchCannotLoseIt() {
        assertThat(executor.prepare(session, "CREATE TOKEN t FOR USER root").producesRows()).isTrue();
        assertThat(executor.prepare(session, "CREATE TOKEN t FOR USER root").kind()).isEqualTo(StatementKind.QUERY);
        assertThat(executor.prepare(session, "CREATE USER u PASSWORD 'p'").kind()).isEqualTo(StatementKind.DDL);
        assertThat(executor.prepare(session, "ALTER USER u PASSWORD 'p'").producesRows()).isFalse();
    }

    @Test
    void theAdminPasswordGivenAtStartWinsAndAlterUserIsWarned() {
        users().setAdminPassword("first");
        assertThat(users().checkPassword("admin", "first")).isPresent();
        assertThat(users().isAdmin(SessionUser.of("admin"))).isTrue();

        StatementResult.UpdateCount altered = (StatementResult.UpdateCount) run(SessionUser.of("admin"),
                "ALTER USER admin PASSWORD 'changed'");
        assertThat(altered.warnings()).singleElement().asString().contains("the next start sets user 'admin' to that password again");

        executor = open();
        users().setAdminPassword("first");
        assertThat(users().checkPassword("admin", "first")).isPresent();
        assertThat(users().checkPassword("admin", "changed")).isEmpty();
    }
}
