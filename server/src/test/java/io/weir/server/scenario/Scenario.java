package io.weir.server.scenario;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.LinkedHashMap;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * One SQL scenario file: data files to create, then steps — statements with what they must produce,
 * or a server restart.
 *
 * <pre>
 * # a comment
 * &#64;file clicks.json          (content until &#64;end; ${dir} in SQL is the folder of these files)
 * {"user_id": 1}
 * &#64;end
 *
 * CREATE STREAM s (...) WITH (...);
 * &gt; ok
 *
 * SELECT a, b FROM s ORDER BY a;
 * &gt; rows                      (header line, then one line per row; cells separated by |, NULL as null;
 * a | b                       a cell * matches any value, e.g. a generated query id)
 * 1 | x
 *                             (a blank line ends the rows; "&gt; rows unordered" compares as a multiset)
 * SELECT STREAM ...;
 * &gt; rows within 700 ms          (the rows a continuous query delivers within 700 ms of executeQuery;
 *                              then the statement is closed, which stops the query)
 * SELECT * FROM view;
 * &gt; rows eventually           (runs the query again until it returns these rows, for up to 20 s: for
 *                              materialized views, which their queries fill in the background)
 * CREAT STREAM x;
 * &gt; error 42000 line 1, column 1   (SQLSTATE, then text the message must contain; a query's rows are read
 *                              for it, as a continuous query fails while they are)
 *
 * &#64;parameters ann | 5          (the next statement is prepared, and run with these values of its ?
 *                              parameters, each set as text (setString; null: setNull): read as the type
 *                              of its parameter)
 * &#64;restart                     (stops the server and starts it again on the same data directory)
 * &#64;add events/b.json           (writes a file at this point of the script: new input for a watched
 * ...                          directory)
 * &#64;end
 * &#64;delete events/a.json        (deletes a file at this point: input gone, as after a retention period)
 * &#64;file fns.jar              (a file named *.jar holds Java source: one compilation unit, compiled with the
 * package acme; ...            JDK's compiler and written as a real jar, e.g. for CREATE FUNCTION; also with &#64;add)
 * &#64;end
 * </pre>
 */
public record Scenario(String name, Map<String, String> files, List<Step> steps) {
    private static final Pattern ROWS = Pattern.compile("rows( unordered)?(?: within (\\d+) ms)?( eventually)?");

    public Scenario {
        requireNonNull(name, "name is null");
        files = Map.copyOf(files);
        steps = List.copyOf(steps);
    }

    public sealed interface Step permits Statement, Restart, AddFile, DeleteFile {
        int line();
    }

    record Restart(int line) implements Step {
    }

    /** Writes {@code name} (under the scenario's files) with {@code content} at this point of the script. */
    record AddFile(int line, String name, String content) implements Step {
    }

    /** Deletes {@code name} (under the scenario's files) at this point of the script. */
    record DeleteFile(int line, String name) implements Step {
    }

    /** @param parameters the values of its {@code ?}, as text (null: NULL); null for a statement run without preparing */
    public record Statement(int line, String sql, Expectation expectation, List<String> parameters) implements Step {
    }

    public sealed interface Expectation permits Ok, Rows, Error {
    }

    record Ok() implements Expectation {
    }

    /**
     * @param within read only what arrives within this time, then close the statement
     * @param eventually run the statement again until the rows match (or a time limit passes)
     */
    record Rows(List<String> header, List<List<String>> rows, boolean ordered, Optional<Duration> within,
                boolean eventually) implements Expectation {
    }

    record Error(String sqlState, String messageContains) implements Expectation {
    }

    public static Scenario parse(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        Map<String, String> files = new LinkedHashMap<>();
        List<Step> steps = new ArrayList<>();
        StringBuilder sql = new StringBuilder();
        List<String> parameters = null;
        int sqlLine = 0;
        int i = 0;
        while (i < lines.size()) {
            String line = lines.get(i);
            String trimmed = line.strip();
            if (sql.isEmpty() && (trimmed.isEmpty() || trimmed.startsWith("#"))) {
                i++;
                continue;
            }
            if (sql.isEmpty() && trimmed.startsWith("@file ")) {
                String name = trimmed.substring("@file ".length()).strip();
                StringBuilder content = new StringBuilder();
                i++;
                while (i < lines.size() && !lines.get(i).strip().equals("@end")) {
                    content.append(lines.get(i)).append('\n');
                    i++;
                }
                if (i == lines.size()) {
                    throw new IllegalArgumentException(file + ": @file " + name + " has no @end");
                }
                files.put(name, content.toString());
                i++;
                continue;
            }
            if (sql.isEmpty() && trimmed.startsWith("@add ")) {
                String name = trimmed.substring("@add ".length()).strip();
                int at = i + 1;
                StringBuilder content = new StringBuilder();
                i++;
                while (i < lines.size() && !lines.get(i).strip().equals("@end")) {
                    content.append(lines.get(i)).append('\n');
                    i++;
                }
                if (i == lines.size()) {
                    throw new IllegalArgumentException(file + ": @add " + name + " has no @end");
                }
                steps.add(new AddFile(at, name, content.toString()));
                i++;
                continue;
            }
            if (sql.isEmpty() && trimmed.startsWith("@delete ")) {
                steps.add(new DeleteFile(i + 1, trimmed.substring("@delete ".length()).strip()));
                i++;
                continue;
            }
            if (sql.isEmpty() && trimmed.startsWith("@parameters")) {
                parameters = new ArrayList<>();
                for (String cell : cells(trimmed.substring("@parameters".length()))) {
                    parameters.add(cell.equals("null") ? null : cell);
                }
                i++;
                continue;
            }
            if (sql.isEmpty() && trimmed.equals("@restart")) {
                steps.add(new Restart(i + 1));
                i++;
                continue;
            }
            if (sql.isEmpty()) {
                sqlLine = i + 1;
            }
            sql.append(line).append('\n');
            i++;
            if (trimmed.endsWith(";")) {
                if (i >= lines.size() || !lines.get(i).startsWith(">")) {
                    throw new IllegalArgumentException(file + ":" + (i + 1) + ": expected '> ok', '> rows' or '> error' after the statement");
                }
                String directive = lines.get(i).substring(1).strip();
                i++;
                Expectation expectation;
                if (directive.equals("ok")) {
                    expectation = new Ok();
                } else if (directive.startsWith("error")) {
                    String rest = directive.substring("error".length()).strip();
                    int space = rest.indexOf(' ');
                    expectation = space < 0 ? new Error(rest, "") : new Error(rest.substring(0, space), rest.substring(space + 1).strip());
                } else if (directive.startsWith("rows")) {
                    Matcher rowsDirective = ROWS.matcher(directive);
                    if (!rowsDirective.matches()) {
                        throw new IllegalArgumentException(file + ":" + i + ": expected '> rows [unordered] [within N ms] [eventually]', got '"
                                + directive + "'");
                    }
                    boolean ordered = rowsDirective.group(1) == null;
                    Optional<Duration> within = Optional.ofNullable(rowsDirective.group(2))
                            .map(millis -> Duration.ofMillis(Long.parseLong(millis)));
                    List<String> header = cells(lines.get(i));
                    i++;
                    List<List<String>> rows = new ArrayList<>();
                    while (i < lines.size() && !lines.get(i).isBlank()) {
                        rows.add(cells(lines.get(i)));
                        i++;
                    }
                    expectation = new Rows(header, rows, ordered, within, rowsDirective.group(3) != null);
                } else {
                    throw new IllegalArgumentException(file + ":" + i + ": unknown expectation '" + directive + "'");
                }
                String statement = sql.toString().strip();
                steps.add(new Statement(sqlLine, statement.substring(0, statement.length() - 1), expectation, parameters));
                parameters = null;
                sql.setLength(0);
            }
        }
        if (!sql.isEmpty()) {
            throw new IllegalArgumentException(file + ":" + sqlLine + ": statement without a terminating ';'");
        }
        String name = file.getFileName().toString().replaceFirst("\\.sql$", "");
        return new Scenario(name, files, steps);
    }

    static List<String> cells(String line) {
        List<String> cells = new ArrayList<>();
        for (String cell : line.split("\\|", -1)) {
            cells.add(cell.strip());
        }
        return cells;
    }
}
