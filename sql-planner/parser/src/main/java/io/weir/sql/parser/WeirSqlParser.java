package io.weir.sql.parser;

import java.util.List;

import io.weir.sql.parser.impl.WeirStatementParserImpl;

import org.apache.calcite.avatica.util.Casing;
import org.apache.calcite.avatica.util.Quoting;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.dialect.CalciteSqlDialect;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;

import static java.util.Objects.requireNonNull;

/**
 * Entry point to Weir's SQL grammar: Calcite's grammar plus Weir's DDL and commands
 * (io.weir.sql.parser.ddl). Parse errors become {@link WeirException}s with
 * {@link io.weir.spi.ErrorCode#SYNTAX_ERROR} and the position of the offending token.
 *
 * <p>Identifiers: double quotes quote; names keep the case written, quoted or not, and are meant
 * to be matched case-insensitively ({@link SqlParser.Config#caseSensitive()} is false).
 */
public final class WeirSqlParser {
    /** The longest identifier accepted, in characters. */
    public static final int IDENTIFIER_MAX_LENGTH = 256;

    private static final SqlParser.Config CONFIG = SqlParser.config()
            .withParserFactory(WeirStatementParserImpl.FACTORY)
            .withQuoting(Quoting.DOUBLE_QUOTE)
            .withUnquotedCasing(Casing.UNCHANGED)
            .withQuotedCasing(Casing.UNCHANGED)
            .withCaseSensitive(false)
            .withIdentifierMaxLength(IDENTIFIER_MAX_LENGTH);

    private WeirSqlParser() {
    }

    /** Whether {@code word} is reserved in Weir's SQL (a name spelled so must be quoted). */
    public static boolean isReservedWord(String word) {
        return SyntaxErrors.metadata().isReservedWord(word.toUpperCase(java.util.Locale.ROOT));
    }

    /** The parser configuration for Weir's SQL; the planner passes it to Calcite. */
    public static SqlParser.Config config() {
        return CONFIG;
    }

    /** Parses one statement; a trailing semicolon is not allowed. */
    public static SqlNode parseStatement(String sql) {
        if (sql.isBlank()) {
            // Calcite's parser fails on text without a single token with an index out of bounds
            throw new WeirException(ErrorCode.SYNTAX_ERROR, "The statement is empty. " + SyntaxErrors.STATEMENTS);
        }
        try {
            return parser(sql).parseStmt();
        } catch (SqlParseException e) {
            throw SyntaxErrors.toWeirException(sql, e);
        }
    }

    /**
     * Parses a script of statements separated by semicolons (a trailing semicolon is allowed).
     * Returns them in order; an empty script gives an empty list.
     */
    public static List<SqlNode> parseStatements(String sql) {
        try {
            return List.copyOf(parser(sql).parseStmtList());
        } catch (SqlParseException e) {
            throw SyntaxErrors.toWeirException(sql, e);
        }
    }

    /**
     * Parses a scalar expression, such as a computed column or watermark expression stored with
     * {@link #toSql(SqlNode)}.
     */
    public static SqlNode parseExpression(String sql) {
        try {
            return parser(sql).parseExpression();
        } catch (SqlParseException e) {
            throw SyntaxErrors.toWeirException(sql, e);
        }
    }

    /**
     * Writes a parsed statement or expression back as SQL that this parser reads to an equal tree
     * (identifiers double-quoted, so their case survives). Used to store DDL and expressions.
     */
    public static String toSql(SqlNode node) {
        requireNonNull(node, "node is null");
        return node.toSqlString(c -> c.withDialect(CalciteSqlDialect.DEFAULT)
                .withAlwaysUseParentheses(false)
                .withSelectListItemsOnSeparateLines(false)
                .withUpdateSetListNewline(false)
                .withIndentation(0))
                .getSql();
    }

    private static SqlParser parser(String sql) {
        return SqlParser.create(requireNonNull(sql, "sql is null"), CONFIG);
    }
}
