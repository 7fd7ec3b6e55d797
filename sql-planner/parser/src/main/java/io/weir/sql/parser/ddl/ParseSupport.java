package io.weir.sql.parser.ddl;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import org.apache.calcite.runtime.CalciteContextException;
import org.apache.calcite.sql.SqlCharStringLiteral;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.validate.SqlValidatorException;

/**
 * Checks the generated parser (io.weir.sql.parser.impl) runs while building Weir's statements, and
 * the errors they raise. The errors are {@link CalciteContextException}s because Calcite's parser
 * turns exactly those into a {@code SqlParseException} at the given position.
 */
public final class ParseSupport {
    private ParseSupport() {
    }

    /** Reduces a parsed string literal (possibly continued: 'a' 'b') to one character literal. */
    public static SqlCharStringLiteral toCharString(SqlNode node) {
        SqlLiteral literal = SqlLiteral.unchain(node);
        if (!(literal instanceof SqlCharStringLiteral)) {
            throw error(node.getParserPosition(),
                    "Expected a character string in single quotes, such as 'text'");
        }
        return SqlLiteral.createCharString(
                SqlStrings.value((SqlCharStringLiteral) literal), node.getParserPosition());
    }

    /** Returns {@code option} unless an earlier option of the same WITH clause has its key. */
    public static SqlOption checkNewOption(List<SqlNode> earlier, SqlOption option) {
        for (SqlNode node : earlier) {
            if (((SqlOption) node).key().equals(option.key())) {
                throw error(option.keyPosition(), "Option '" + option.key()
                        + "' is given more than once; remove all but one");
            }
        }
        return option;
    }

    /** Returns {@code element} unless it is a second WATERMARK or a second PRIMARY KEY. */
    public static SqlTableElement checkNewElement(List<SqlNode> earlier, SqlTableElement element) {
        for (SqlNode node : earlier) {
            if (node instanceof SqlWatermark && element instanceof SqlWatermark) {
                throw error(element.getParserPosition(),
                        "Only one WATERMARK is allowed per stream; remove all but one");
            }
            if (node instanceof SqlPrimaryKey && element instanceof SqlPrimaryKey) {
                throw error(element.getParserPosition(),
                        "Only one PRIMARY KEY is allowed;"
                                + " list all key columns in one PRIMARY KEY (...)");
            }
        }
        return element;
    }

    /** The error for SHOW followed by something it cannot list. */
    public static CalciteContextException unknownShowKind(String image, SqlParserPos position) {
        String what = image == null || image.isEmpty()
                ? "SHOW must be followed by"
                : "Cannot SHOW '" + image + "'; use";
        return error(position, what + " one of: " + Arrays.stream(ShowKind.values())
                .map(ShowKind::sql)
                .collect(Collectors.joining(", ")));
    }

    /** A user option (PASSWORD, ADMIN, NOADMIN) given twice, or both ADMIN and NOADMIN. */
    public static CalciteContextException repeatedUserOption(String option, SqlParserPos position) {
        return error(position, option + " is given twice, or ADMIN with NOADMIN; give each option once");
    }

    public static CalciteContextException error(SqlParserPos position, String message) {
        return new CalciteContextException(message, new SqlValidatorException(message, null),
                position.getLineNum(), position.getColumnNum(),
                position.getEndLineNum(), position.getEndColumnNum());
    }
}
