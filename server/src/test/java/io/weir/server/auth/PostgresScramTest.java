package io.weir.server.auth;

import io.weir.sql.auth.UserDirectory;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The verifiers Weir stores are PostgreSQL's: a real PostgreSQL server, given the verifier of a Weir user as the
 * password of a role, lets the PostgreSQL JDBC driver log in as that role with the user's password over SCRAM-SHA-256
 * (and refuses a wrong one). So a PostgreSQL-protocol endpoint can run SCRAM against the same users.
 */
@Timeout(120)
class PostgresScramTest {
    @TempDir
    Path dir;

    @Test
    void postgresqlRunsScramAgainstAWeirVerifier() throws Exception {
        String password = "p\u00e4ss w\u00f6rd \uff11\uff12";
        UserDirectory users = UserDirectory.open(dir.resolve("catalog"));
        users.create("carol", password, true, false);
        String verifier = users.user("carol").orElseThrow().verifier().format();
        assertThat(Files.readString(dir.resolve("catalog").resolve("users.json"))).contains(verifier);

        Path hba = Files.writeString(dir.resolve("pg_hba.conf"), """
                host all postgres 127.0.0.1/32 trust
                host all postgres ::1/128 trust
                host all all 127.0.0.1/32 scram-sha-256
                host all all ::1/128 scram-sha-256
                """);
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().setServerConfig("hba_file", hba.toString()).start()) {
            String url = "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres";
            try (Connection admin = DriverManager.getConnection(url, "postgres", "");
                 Statement statement = admin.createStatement()) {
                statement.execute("CREATE ROLE carol LOGIN PASSWORD '" + verifier + "'");
                try (ResultSet stored = statement.executeQuery("SELECT rolpassword FROM pg_authid WHERE rolname = 'carol'")) {
                    assertThat(stored.next()).isTrue();
                    assertThat(stored.getString(1)).as("taken as a verifier, not hashed again").isEqualTo(verifier);
                }
            }

            try (Connection carol = DriverManager.getConnection(url, "carol", password);
                 Statement statement = carol.createStatement();
                 ResultSet who = statement.executeQuery("SELECT current_user")) {
                assertThat(who.next()).isTrue();
                assertThat(who.getString(1)).isEqualTo("carol");
            }
            SQLException wrong = catchThrowableOfType(() -> DriverManager.getConnection(url, "carol", "not it"), SQLException.class);
            assertThat(wrong.getSQLState()).isEqualTo("28P01");
        }
    }
}
