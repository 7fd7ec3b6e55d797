package io.weir.server.testing;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Result rows as the scenario scripts and the docs test compare them: each value as a stripped string, NULL as {@code null}. */
public final class ResultRows {
    private ResultRows() {
    }

    /** The remaining rows of {@code resultSet}, its first {@code columns} columns each. */
    public static List<List<String>> readAll(ResultSet resultSet, int columns) throws SQLException {
        List<List<String>> rows = new ArrayList<>();
        while (resultSet.next()) {
            rows.add(row(resultSet, columns));
        }
        return rows;
    }

    /** The current row's first {@code columns} columns. */
    public static List<String> row(ResultSet resultSet, int columns) throws SQLException {
        List<String> row = new ArrayList<>();
        for (int i = 1; i <= columns; i++) {
            String value = resultSet.getString(i);
            row.add(value == null ? "null" : value.strip());
        }
        return row;
    }
}
