package io.weir.server.crash;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntToLongFunction;

/**
 * How many copies of each posted record a server holds, as a materialized view counts them
 * ({@code SELECT id, COUNT(*) AS n ... GROUP BY id}), against what the posts allow: one, plus one for each
 * post of it that went unanswered (the client sent it again, and the server may have kept both).
 */
final class RecordCopies {
    private RecordCopies() {
    }

    /** Copies of each record id, as view {@code view} (columns id, n) counts them. */
    static Map<Integer, Long> read(String jdbcUrl, String view) throws SQLException {
        Map<Integer, Long> copies = new HashMap<>();
        try (Connection connection = DriverManager.getConnection(jdbcUrl);
             Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT id, n FROM " + view)) {
            while (result.next()) {
                copies.put(result.getInt(1), result.getLong(2));
            }
        }
        return copies;
    }

    /** What is wrong with the copies ("" if nothing): records missing, or more copies than the posts allow. */
    static String problem(Map<Integer, Long> copies, int records, IntToLongFunction unansweredAttempts) {
        List<String> problems = new ArrayList<>();
        for (int id = 0; id < records; id++) {
            long seen = copies.getOrDefault(id, 0L);
            long allowed = 1 + unansweredAttempts.applyAsLong(id);
            if (seen < 1 || seen > allowed) {
                problems.add("record " + id + ": " + seen + " copies, expected " + (allowed == 1 ? "1" : "1 to " + allowed));
            }
        }
        copies.keySet().stream().filter(id -> id < 0 || id >= records)
                .forEach(id -> problems.add("record " + id + " was never posted"));
        return problems.isEmpty() ? "" : problems.size() + " records wrong, e.g. "
                + String.join("; ", problems.subList(0, Math.min(20, problems.size())));
    }

    /** The input as the server holds it: each record as many times as the view counts its copies. */
    static List<InputRecord> accepted(List<InputRecord> input, Map<Integer, Long> copies) {
        List<InputRecord> accepted = new ArrayList<>();
        for (int id = 0; id < input.size(); id++) {
            for (long copy = 0; copy < copies.getOrDefault(id, 0L); copy++) {
                accepted.add(input.get(id));
            }
        }
        return accepted;
    }
}
