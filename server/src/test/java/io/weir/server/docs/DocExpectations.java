package io.weir.server.docs;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the statements of a block must give, from its {@code <!-- docs-test: expect ... -->} marker:
 * one line per expectation, {@code N: kind argument}, N counting the block's statements from 1 (a
 * shell or Java block is statement 1). Kinds:
 * <ul>
 *   <li>{@code error SQLSTATE [text]}: the statement fails with that SQLSTATE (and text in its message);</li>
 *   <li>{@code rows N} or {@code rows >= N}: how many rows it returns (a continuous query is read until
 *       it has delivered N);</li>
 *   <li>{@code row a | b | c}: one of its rows has these values ({@code null} for NULL);</li>
 *   <li>{@code contains text}: a value of some row contains the text (for shell and Java blocks: their
 *       output);</li>
 *   <li>{@code columns a, b, c}: its column labels.</li>
 * </ul>
 * Statements without an expectation must succeed.
 */
record DocExpectations(Map<Integer, List<Expectation>> byStatement) {
    private static final Pattern LINE = Pattern.compile("\\s*(\\d+)\\s*:\\s*(\\w+)\\s*(.*)");
    private static final Pattern AT_LEAST = Pattern.compile(">=\\s*(\\d+)");

    static final DocExpectations NONE = new DocExpectations(Map.of());

    sealed interface Expectation permits Error, RowCount, Row, Contains, Columns {
    }

    record Error(String sqlState, String messageContains) implements Expectation {
    }

    record RowCount(int count, boolean atLeast) implements Expectation {
        boolean satisfiedBy(int rows) {
            return atLeast ? rows >= count : rows == count;
        }
    }

    record Row(List<String> values) implements Expectation {
    }

    record Contains(String text) implements Expectation {
    }

    record Columns(List<String> names) implements Expectation {
    }

    static DocExpectations parse(String body) {
        Map<Integer, List<Expectation>> byStatement = new LinkedHashMap<>();
        for (String line : body.lines().toList()) {
            if (line.isBlank()) {
                continue;
            }
            Matcher matcher = LINE.matcher(line);
            if (!matcher.matches()) {
                throw new IllegalArgumentException("expectation not of the form 'N: kind argument': " + line);
            }
            int statement = Integer.parseInt(matcher.group(1));
            String argument = matcher.group(3).strip();
            Expectation expectation = switch (matcher.group(2)) {
                case "error" -> {
                    String[] parts = argument.split("\\s+", 2);
                    yield new Error(parts[0], parts.length > 1 ? parts[1] : "");
                }
                case "rows" -> {
                    Matcher atLeast = AT_LEAST.matcher(argument);
                    yield atLeast.matches() ? new RowCount(Integer.parseInt(atLeast.group(1)), true)
                            : new RowCount(Integer.parseInt(argument), false);
                }
                case "row" -> new Row(Arrays.stream(argument.split("\\|")).map(String::strip).toList());
                case "contains" -> new Contains(argument);
                case "columns" -> new Columns(Arrays.stream(argument.split(",")).map(String::strip).toList());
                default -> throw new IllegalArgumentException("unknown expectation '" + matcher.group(2) + "': " + line);
            };
            byStatement.computeIfAbsent(statement, k -> new ArrayList<>()).add(expectation);
        }
        return new DocExpectations(Map.copyOf(byStatement));
    }

    List<Expectation> of(int statement) {
        return byStatement.getOrDefault(statement, List.of());
    }

    /** The most rows any expectation of the statement needs to see before it can be checked. */
    int rowsNeeded(int statement) {
        int needed = 0;
        for (Expectation expectation : of(statement)) {
            if (expectation instanceof RowCount count) {
                needed = Math.max(needed, count.atLeast() ? count.count() : count.count() + 1);
            } else if (expectation instanceof Row || expectation instanceof Contains) {
                needed = Math.max(needed, 1);
            }
        }
        return needed;
    }

    /** Whether the rows read so far of a statement meet its expectations (other than errors and columns). */
    boolean metBy(int statement, List<List<String>> rows) {
        for (Expectation expectation : of(statement)) {
            boolean met = true;
            if (expectation instanceof RowCount count) {
                met = count.satisfiedBy(rows.size());
            } else if (expectation instanceof Row row) {
                met = rows.contains(row.values());
            } else if (expectation instanceof Contains contains) {
                met = rows.stream().flatMap(List::stream).anyMatch(cell -> cell.contains(contains.text()));
            }
            if (!met) {
                return false;
            }
        }
        return true;
    }
}
