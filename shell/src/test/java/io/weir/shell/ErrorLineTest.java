package io.weir.shell;

import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.sql.SQLWarning;

import static org.assertj.core.api.Assertions.assertThat;

class ErrorLineTest {
    @Test
    void avaticasWrappingOfTheServersMessageIsDropped() {
        SQLException e = new SQLException("Error 1001 (42S02) : Error while executing SQL \"SELECT * FROM \\\"x\\\": y\": "
                + "Remote driver error: At line 1, column 15: Stream or table 'x' does not exist", "42S02", 1001);

        assertThat(ErrorLine.of(e)).isEqualTo("Error 42S02: At line 1, column 15: Stream or table 'x' does not exist");
    }

    @Test
    void theDriversOwnMessagesStayAsTheyAre() {
        assertThat(ErrorLine.of(new SQLException("Cannot connect to the Weir server at http://h:1/", "08001")))
                .isEqualTo("Error 08001: Cannot connect to the Weir server at http://h:1/");
        assertThat(ErrorLine.of(new SQLException("No current connection"))).isEqualTo("Error: No current connection");
        assertThat(ErrorLine.of(new SQLException((String) null))).isEqualTo("Error: java.sql.SQLException");
    }

    @Test
    void warningsSayWarning() {
        assertThat(ErrorLine.of(new SQLWarning("Materialized view 'v' keeps every row", "01000")))
                .isEqualTo("Warning 01000: Materialized view 'v' keeps every row");
    }
}
