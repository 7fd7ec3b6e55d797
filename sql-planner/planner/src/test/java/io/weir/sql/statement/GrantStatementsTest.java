package io.weir.sql.statement;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.sql.auth.Privilege;
import io.weir.sql.auth.Securable;
import io.weir.sql.auth.SessionUser;
import io.weir.sql.catalog.Catalog;
import io.weir.sql.catalog.CatalogStore;
import io.weir.sql.catalog.ObjectType;
import io.weir.sql.session.SessionProperties;
import io.weir.spi.connector.memory.InMemoryData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** GRANT, REVOKE and SHOW GRANTS against the catalog: what they accept, refuse and warn about, and where grants go. */
class GrantStatementsTest {
    private static final SessionUser ADMIN = SessionUser.of("root");
    private static final SessionUser BOB = SessionUser.of("bob");

    @TempDir
    Path dataDir;

    private StatementExecutor executor;
    private final SessionProperties session = new SessionProperties(Map.of());

    @AfterEach
    void tearDown() {
        InMemoryData.unregister("grants");
    }

    @BeforeEach
    void setUp() {
        InMemoryData.register("grants", List.<Object[]>of(new Object[] {1}), true);
        executor = open();
        executor.catalog().users().create("root", "r00t", true, false);
        executor.catalog().users().create("bob", "b0b", false, false);
        run(ADMIN, "CREATE STREAM s (id INT) WITH ('connector' = 'memory', 'data' = 'grants')");
        run(ADMIN, "CREATE TABLE t (id INT) WITH ('connector' = 'memory', 'data' = 'grants')");
        run(ADMIN, "CREATE VIEW v AS SELECT id FROM t");
    }

    private StatementExecutor open() {
        return new StatementExecutor(Catalog.open(new CatalogStore(dataDir.resolve("catalog"))), dataDir);
    }

    private StatementResult run(SessionUser user, String sql) {
        return executor.execute(session, user, sql);
    }

    private WeirException refusal(SessionUser user, String sql) {
        WeirException e = catchThrowableOfType(WeirException.class, () -> run(user, sql));
        assertThat((Throwable) e).as(sql).isNotNull();
        return e;
    }

    private List<String> grants(SessionUser user, String sql) {
        StatementResult.Rows result = (StatementResult.Rows) run(user, sql);
        List<String> rows = new ArrayList<>();
        result.rows().forEachRemaining(row -> rows.add(row[0] + " " + row[1] + " " + row[2] + " " + row[3]));
        return rows;
    }

    @Test
    void grantsNeedAnExistingUserAndObjectOfTheKindNamed() {
        assertThat(refusal(ADMIN, "GRANT SELECT ON STREAM nosuch TO bob").errorCode()).isEqualTo(ErrorCode.UNKNOWN_OBJECT);
        assertThat(refusal(ADMIN, "GRANT SELECT ON STREAM s TO nobody").getMessage()).contains("User 'nobody' does not exist");
        assertThat(refusal(ADMIN, "GRANT SELECT ON STREAM t TO bob").getMessage())
                .contains("'t' is a table: GRANT ... ON TABLE t");
        assertThat(refusal(ADMIN, "GRANT SELECT ON TABLE v TO bob").getMessage())
                .contains("'v' is a view, which has no privileges of its own");
        assertThat(refusal(ADMIN, "GRANT USAGE ON CONNECTOR nosuch TO bob").errorCode()).isNotNull();
        assertThat(refusal(BOB, "GRANT SELECT ON STREAM s TO bob").errorCode()).isEqualTo(ErrorCode.INSUFFICIENT_PRIVILEGE);
    }

    @Test
    void allIsSelectAndInsertAndRepeatsAreWarnings() {
        StatementResult.UpdateCount granted = (StatementResult.UpdateCount) run(ADMIN, "GRANT ALL PRIVILEGES ON STREAM s TO bob");
        assertThat(granted.message()).isEqualTo("Granted SELECT, INSERT on stream 's' to user 'bob'");
        assertThat(granted.warnings()).isEmpty();
        StatementResult.UpdateCount again = (StatementResult.UpdateCount) run(ADMIN, "GRANT SELECT ON STREAM S TO BOB");
        assertThat(again.warnings()).containsExactly("User 'bob' already had SELECT on stream 's'");
        StatementResult.UpdateCount http = (StatementResult.UpdateCount) run(ADMIN, "GRANT USAGE ON CONNECTOR http TO bob");
        assertThat(http.warnings()).singleElement().asString().contains("needs no USAGE grant");
        assertThat(grants(ADMIN, "SHOW GRANTS FOR bob")).containsExactly("bob SELECT STREAM s", "bob INSERT STREAM s",
                "bob USAGE CONNECTOR http");
        StatementResult.UpdateCount revoked = (StatementResult.UpdateCount) run(ADMIN, "REVOKE INSERT ON STREAM s FROM bob");
        assertThat(revoked.warnings()).isEmpty();
        assertThat(((StatementResult.UpdateCount) run(ADMIN, "REVOKE INSERT ON STREAM s FROM bob")).warnings())
                .containsExactly("User 'bob' did not have INSERT on stream 's'");
        assertThat(grants(BOB, "SHOW GRANTS")).containsExactly("bob SELECT STREAM s", "bob USAGE CONNECTOR http");
        assertThat(grants(ADMIN, "SHOW GRANTS FOR root")).isEmpty();
    }

    @Test
    void grantsGoWithTheirObjectAlsoWhenItWasDroppedWhileTheServerWasDown() {
        run(ADMIN, "GRANT SELECT ON TABLE t TO bob");
        run(ADMIN, "GRANT SELECT ON STREAM s TO bob");
        run(ADMIN, "GRANT CREATE TO bob");
        // the catalog file loses the stream behind the users file's back (a stop between the two writes)
        Catalog other = Catalog.open(new CatalogStore(dataDir.resolve("catalog")));
        other.users().retainGrants(grant -> true);
        new CatalogStore(dataDir.resolve("catalog")).save(other.list().stream()
                .filter(object -> object.type() != ObjectType.STREAM).toList());
        executor = open();
        assertThat(executor.catalog().users().granted("bob", Privilege.SELECT, new Securable(Securable.Kind.STREAM, "s")))
                .isFalse();
        assertThat(executor.catalog().users().granted("bob", Privilege.SELECT, new Securable(Securable.Kind.TABLE, "t")))
                .isTrue();
        assertThat(executor.catalog().users().granted("bob", Privilege.CREATE, Securable.SERVER)).isTrue();

        run(ADMIN, "DROP VIEW v");
        run(ADMIN, "DROP TABLE t");
        run(ADMIN, "CREATE TABLE t (id INT) WITH ('connector' = 'memory', 'data' = 'grants')");
        assertThat(refusal(BOB, "SELECT * FROM t").getMessage()).contains("user 'bob' lacks SELECT on table 't'");
        run(ADMIN, "DROP USER bob");
        assertThat(executor.catalog().users().grants()).isEmpty();
    }
}
