package io.weir.server.crash;

import io.weir.server.crash.ExpectedResults.KeyTotal;
import io.weir.server.crash.ExpectedResults.WindowRow;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Reads a materialized view's rows over the server's JDBC. */
final class ViewRows {
    private ViewRows() {
    }

    /** The rows of a view with columns {@code window_start, window_end, k, c, s}. */
    static List<WindowRow> windows(String jdbcUrl, String view) throws SQLException {
        List<WindowRow> rows = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(jdbcUrl);
             Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT window_start, window_end, k, c, s FROM " + view)) {
            while (result.next()) {
                rows.add(new WindowRow(result.getTimestamp(1).toLocalDateTime(), result.getTimestamp(2).toLocalDateTime(),
                        result.getString(3), result.getLong(4), result.getLong(5)));
            }
        }
        return rows;
    }

    /** The rows of a view with columns {@code k, c, s}. */
    static List<KeyTotal> keyTotals(String jdbcUrl, String view) throws SQLException {
        List<KeyTotal> rows = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(jdbcUrl);
             Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT k, c, s FROM " + view)) {
            while (result.next()) {
                rows.add(new KeyTotal(result.getString(1), result.getLong(2), result.getLong(3)));
            }
        }
        return rows;
    }
}
