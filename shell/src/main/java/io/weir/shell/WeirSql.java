package io.weir.shell;

import sqlline.SqlLine;
import sqlline.SqlLineOpts;
import sqlline.WeirSqlLine;

import java.io.IOException;

/** Main class of {@code bin/weir-sql}: sqlline with Weir's changes (see {@link WeirSqlLine}). */
public final class WeirSql {
    private WeirSql() {
    }

    /** Runs the shell; exits with sqlline's status: 0 ok, 1 bad arguments, 2 a statement or command failed. */
    public static void main(String[] args) throws IOException {
        SqlLine.Status status = new WeirSqlLine().begin(args, null, true);
        if (!Boolean.getBoolean(SqlLineOpts.PROPERTY_NAME_EXIT)) {
            System.exit(status.ordinal());
        }
    }
}
