package sqlline;

import io.weir.shell.ErrorLine;

import java.lang.reflect.InvocationTargetException;
import java.sql.SQLException;
import java.sql.SQLWarning;

/**
 * sqlline as {@code bin/weir-sql} runs it. A failed statement is one line, {@code Error 42S02: message},
 * also while a script given with {@code -f}/{@code --run} runs (where sqlline prints the client's stack
 * trace); {@code --verbose} adds it. Rows cut at the output width say so (see
 * {@link MarkedTableOutputFormat}). In sqlline's package because the methods it changes are package-private.
 */
public final class WeirSqlLine extends SqlLine {
    static final String HELP = """
            Usage: bin/weir-sql [-u URL] [-f FILE | --run=FILE] [-e SQL] [--verbose] [sqlline options]

            The SQL shell for Weir: sqlline with Weir's JDBC driver, connected to jdbc:weir://127.0.0.1:8765
            unless -u says otherwise. Rows of a continuous query print as they arrive.

              -u, --url URL        the server: jdbc:weir://host:port[?property=value&...]
              -f FILE, --run=FILE  run the statements in FILE, then exit; stops at the first one that fails
                                   (exit status 2) unless --force=true
              -e SQL               run one statement, then exit
              --verbose            print the client's stack trace with each error (the server's are in its
                                   log); without it an error is one line: Error SQLSTATE: message
              --maxWidth=N         cut rows at N characters (default: the terminal's width; without a
                                   terminal $COLUMNS, or 200); a cut row ends in … and a note follows
              --outputFormat=F     table (the default), vertical (one column a line: nothing is cut), csv,
                                   tsv, json

            Inside the shell, !help lists sqlline's commands; !set maxWidth 400 and !outputformat vertical
            work there too. sqlline's own options:
            """;

    public WeirSqlLine() {
        super();
        setAppConfig(new WeirApplication());
    }

    @Override
    void usage() {
        output(HELP);
        super.usage();
    }

    @Override
    public void handleException(Throwable e) {
        Throwable failure = e;
        while (failure instanceof InvocationTargetException invocation && invocation.getTargetException() != null) {
            failure = invocation.getTargetException();
        }
        if (failure instanceof SQLException sql) {
            handleSQLException(sql);
        } else if (failure instanceof WrappedSqlException && failure.getCause() instanceof SQLException sql) {
            handleSQLException(sql);
        } else if (getOpts().getVerbose()) {
            failure.printStackTrace(getErrorStream());
        } else {
            error("Error: " + failure);
        }
    }

    @Override
    void handleSQLException(SQLException e) {
        if (e instanceof SQLWarning && !getOpts().getShowWarnings()) {
            return;
        }
        error(ErrorLine.of(e));
        if (getOpts().getVerbose()) {
            e.printStackTrace(getErrorStream());
        }
        if (getOpts().getShowNestedErrs()) {
            for (SQLException nested = e.getNextException(); nested != null && nested != e; nested = nested.getNextException()) {
                handleSQLException(nested);
            }
        }
    }
}
