package io.weir.sql.parser.ddl;

import org.apache.calcite.sql.SqlCharStringLiteral;
import org.apache.calcite.sql.SqlWriter;

import static java.util.Objects.requireNonNull;

/** Reads and writes the string literals of Weir's statements. */
final class SqlStrings {
    private SqlStrings() {
    }

    static String value(SqlCharStringLiteral literal) {
        return requireNonNull(literal.getValueAs(String.class), "string literal without value");
    }

    /**
     * Writes a string as a plain SQL literal. Calcite's own literal unparsing turns non-ASCII text
     * into U&'\xxxx' escapes; stored DDL should keep the text as the user wrote it.
     */
    static void unparse(SqlWriter writer, SqlCharStringLiteral literal) {
        writer.literal("'" + value(literal).replace("'", "''") + "'");
    }
}
