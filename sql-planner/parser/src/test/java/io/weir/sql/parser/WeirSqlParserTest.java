package io.weir.sql.parser;

import java.util.List;

import org.apache.calcite.avatica.util.Casing;
import org.apache.calcite.avatica.util.Quoting;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlInsert;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.util.Litmus;
import org.junit.jupiter.api.Test;

import io.weir.spi.ErrorCode;
import io.weir.spi.SqlPosition;
import io.weir.spi.WeirException;
import io.weir.sql.parser.ddl.SqlCreateStream;
import io.weir.sql.parser.ddl.SqlSetProperty;
import io.weir.sql.parser.ddl.SqlShowObjects;
import io.weir.sql.parser.impl.WeirSqlParserImpl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The entry point: its configuration, statement lists, and how parse errors reach users. */
class WeirSqlParserTest {
    @Test
    void configUsesWeirGrammarAndLexicalRules() {
        SqlParser.Config config = WeirSqlParser.config();
        // Weir's grammar, read from statements that may end with an EMIT clause
        assertThat(config.parserFactory().getParser(new java.io.StringReader("SELECT 1"))).isInstanceOf(WeirSqlParserImpl.class);
        assertThat(config.quoting()).isEqualTo(Quoting.DOUBLE_QUOTE);
        assertThat(config.unquotedCasing()).isEqualTo(Casing.UNCHANGED);
        assertThat(config.quotedCasing()).isEqualTo(Casing.UNCHANGED);
        assertThat(config.caseSensitive()).isFalse();
        assertThat(config.identifierMaxLength()).isEqualTo(256);
    }

    @Test
    void namesKeepTheCaseWritten() {
        SqlSelect select = (SqlSelect) WeirSqlParser.parseStatement(
                "SELECT Price, \"Qty\" FROM Orders");
        assertThat(select.getSelectList()).map(n -> ((SqlIdentifier) n).getSimple())
                .containsExactly("Price", "Qty");
        assertThat(((SqlIdentifier) select.getFrom()).getSimple()).isEqualTo("Orders");
    }

    @Test
    void identifiersLongerThan256CharactersAreRejected() {
        String name = "a".repeat(257);
        WeirException e = catchThrowableOfType(WeirException.class,
                () -> WeirSqlParser.parseStatement("select " + name + " from s"));
        assertThat(e.errorCode()).isEqualTo(ErrorCode.SYNTAX_ERROR);
        assertThat(e.rawMessage()).endsWith("must be less than or equal to 256 characters");
        assertThat(WeirSqlParser.parseStatement("select " + "a".repeat(256) + " from s"))
                .isInstanceOf(SqlSelect.class);
    }

    @Test
    void parsesAScriptOfStatements() {
        List<SqlNode> statements = WeirSqlParser.parseStatements(
                "CREATE STREAM s (a INT) WITH ('connector' = 'datagen');\n"
                        + "SET 'parallelism' = '2';\n"
                        + "INSERT INTO sink SELECT a FROM s;\n"
                        + "SHOW STREAMS;");
        assertThat(statements).hasExactlyElementsOfTypes(SqlCreateStream.class,
                SqlSetProperty.class, SqlInsert.class, SqlShowObjects.class);
        assertThat(WeirSqlParser.parseStatements("  ")).isEmpty();
        assertThat(WeirSqlParser.parseStatements("SET;RESET")).hasSize(2);
    }

    @Test
    void scriptErrorsPointIntoTheRightLine() {
        WeirException e = catchThrowableOfType(WeirException.class,
                () -> WeirSqlParser.parseStatements("SHOW STREAMS;\nSHOW TABLES;\nSHOW TABLE"));
        assertThat(e.position()).contains(new SqlPosition(3, 6));
        assertThat(e.rawMessage()).startsWith("Cannot SHOW 'TABLE'; use one of: STREAMS, TABLES");
    }

    @Test
    void misspelledStatementFailsAtLineOneColumnOne() {
        WeirException e = catchThrowableOfType(WeirException.class,
                () -> WeirSqlParser.parseStatement("CREAT STREAM x"));
        assertThat(e.errorCode()).isEqualTo(ErrorCode.SYNTAX_ERROR);
        assertThat(e.errorCode().sqlState()).isEqualTo("42000");
        assertThat(e.position()).contains(new SqlPosition(1, 1));
        assertThat(e.rawMessage()).isEqualTo("Unknown statement \"CREAT\". Expected a statement:"
                + " SELECT, INSERT, CREATE, DROP, SHOW, DESCRIBE, EXPLAIN, SET, RESET,"
                + " STOP QUERY or ALTER USER");
        assertThat(e.getMessage()).startsWith("At line 1, column 1: Unknown statement");
        assertThat(e.getCause()).isInstanceOf(SqlParseException.class);
    }

    @Test
    void missingClosingParenthesisIsReportedAtTheEnd() {
        WeirException e = catchThrowableOfType(WeirException.class,
                () -> WeirSqlParser.parseStatement("CREATE STREAM s (\n  a INT,\n  b STRING"));
        assertThat(e.position()).contains(new SqlPosition(3, 10));
        assertThat(e.rawMessage()).isEqualTo("Encountered the end of the statement."
                + " Was expecting one of: \")\", \",\", \"ARRAY\", \"COMMENT\", \"METADATA\","
                + " \"MULTISET\", \"NOT\", \"NULL\"");
    }

    @Test
    void longExpectedTokenListsAreCut() {
        WeirException e = catchThrowableOfType(WeirException.class,
                () -> WeirSqlParser.parseStatement("SELECT * FROM s WHERE"));
        assertThat(e.position()).contains(new SqlPosition(1, 21));
        String message = e.rawMessage();
        assertThat(message)
                .startsWith("Encountered the end of the statement. Was expecting one of:")
                .doesNotContain("\n")
                .doesNotContain("line 1")
                .containsPattern("\\(and [0-9]+ more\\)$");
        String list = message.substring(message.indexOf(':') + 1, message.indexOf(" (and"));
        assertThat(list.split(", ")).hasSize(SyntaxErrors.MAX_EXPECTED);
    }

    @Test
    void tokenClassesAreNamedForUsers() {
        WeirException e = catchThrowableOfType(WeirException.class,
                () -> WeirSqlParser.parseStatement("CREATE STREAM s (a INT) WITH (k = 'v')"));
        assertThat(e.position()).contains(new SqlPosition(1, 31));
        assertThat(e.rawMessage())
                .isEqualTo("Encountered \"k\". Was expecting one of: a string literal");
    }

    @Test
    void reservedWordAsANameSaysToQuoteIt() {
        WeirException e = catchThrowableOfType(WeirException.class,
                () -> WeirSqlParser.parseStatement("SELECT sql, state FROM sys.queries"));
        assertThat(e.position()).contains(new SqlPosition(1, 8));
        assertThat(e.rawMessage()).isEqualTo("Encountered \"sql\". SQL is a reserved word: to use it as a name,"
                + " quote it with double quotes (\"sql\")");
        assertThat(WeirSqlParser.parseStatement("SELECT \"sql\", state FROM sys.queries")).isNotNull();

        WeirException column = catchThrowableOfType(WeirException.class,
                () -> WeirSqlParser.parseStatement("CREATE STREAM s (value INT, dateTime TIMESTAMP(3))"));
        assertThat(column.position()).contains(new SqlPosition(1, 18));
        assertThat(column.rawMessage()).contains("VALUE is a reserved word").contains("(\"value\")");

        WeirException upper = catchThrowableOfType(WeirException.class,
                () -> WeirSqlParser.parseStatement("SELECT a FROM t WHERE DATETIME > 0"));
        assertThat(upper.rawMessage()).contains("DATETIME is a reserved word").contains("(\"DATETIME\")");
    }

    @Test
    void nonReservedKeywordsAndOtherErrorsGetNoQuotingAdvice() {
        WeirException e = catchThrowableOfType(WeirException.class,
                () -> WeirSqlParser.parseStatement("SELECT a FROM t WHERE a = ,"));
        assertThat(e.rawMessage()).doesNotContain("reserved");
        WeirException literal = catchThrowableOfType(WeirException.class,
                () -> WeirSqlParser.parseStatement("CREATE STREAM s (a INT) WITH (k = 'v')"));
        assertThat(literal.rawMessage()).doesNotContain("reserved");
    }

    @Test
    void keywordErrorsDropCalcitesPositionText() {
        WeirException e = catchThrowableOfType(WeirException.class,
                () -> WeirSqlParser.parseStatement("SELECT a FROM FROM s"));
        assertThat(e.position()).contains(new SqlPosition(1, 15));
        assertThat(e.rawMessage()).doesNotContain("line").doesNotContain("column")
                .contains("FROM");
    }

    @Test
    void grammarChecksKeepTheirPosition() {
        WeirException e = catchThrowableOfType(WeirException.class,
                () -> WeirSqlParser.parseStatement(
                        "CREATE STREAM s (a INT)\nWITH ('k' = 'v', 'k' = 'w')"));
        assertThat(e.position()).contains(new SqlPosition(2, 18));
        assertThat(e.rawMessage())
                .isEqualTo("Option 'k' is given more than once; remove all but one");
    }

    @Test
    void lexicalErrorsHaveAPosition() {
        WeirException e = catchThrowableOfType(WeirException.class,
                () -> WeirSqlParser.parseStatement("SELECT # FROM s"));
        assertThat(e.errorCode()).isEqualTo(ErrorCode.SYNTAX_ERROR);
        assertThat(e.position()).contains(new SqlPosition(1, 8));
        assertThat(e.rawMessage()).doesNotContain("line 1");
    }

    @Test
    void statementMustBeSingle() {
        assertThatThrownBy(() -> WeirSqlParser.parseStatement("SHOW STREAMS; SHOW TABLES"))
                .isInstanceOf(WeirException.class)
                .hasMessageStartingWith("At line 1, column 13:");
    }

    @Test
    void expressionsRoundTripThroughToSql() {
        SqlNode expression = WeirSqlParser.parseExpression(
                "\"Price\" * qty + CAST(x AS STRING) - INTERVAL '5' SECOND");
        String stored = WeirSqlParser.toSql(expression);
        assertThat(stored).isEqualTo(
                "\"Price\" * \"qty\" + CAST(\"x\" AS VARCHAR) - INTERVAL '5' SECOND");
        assertThat(WeirSqlParser.parseExpression(stored).equalsDeep(expression, Litmus.THROW))
                .isTrue();
    }

    @Test
    void expressionErrorsAreWeirExceptions() {
        WeirException e = catchThrowableOfType(WeirException.class,
                () -> WeirSqlParser.parseExpression("a +"));
        assertThat(e.errorCode()).isEqualTo(ErrorCode.SYNTAX_ERROR);
        assertThat(e.position()).isPresent();
    }

    @Test
    void aStatementMayEndWithAnEmitClause() {
        SqlNode every = WeirSqlParser.parseStatement("SELECT STREAM k, COUNT(*) FROM s GROUP BY k EMIT EVERY INTERVAL '5' SECOND");
        assertThat(every).isInstanceOfSatisfying(io.weir.sql.parser.ddl.SqlEmit.class, emit -> {
            assertThat(emit.every()).contains(java.time.Duration.ofSeconds(5));
            assertThat(emit.statement()).isInstanceOf(org.apache.calcite.sql.SqlSelect.class);
        });
        assertThat(WeirSqlParser.toSql(every)).endsWith("EMIT EVERY INTERVAL '5' SECOND");
        SqlNode after = WeirSqlParser.parseStatement("INSERT INTO t SELECT STREAM * FROM s EMIT AFTER WATERMARK");
        assertThat(after).isInstanceOfSatisfying(io.weir.sql.parser.ddl.SqlEmit.class, emit -> {
            assertThat(emit.every()).isEmpty();
            assertThat(emit.statement()).isInstanceOf(org.apache.calcite.sql.SqlInsert.class);
        });
        assertThat(WeirSqlParser.parseStatement("CREATE MATERIALIZED VIEW v AS SELECT k FROM s EMIT EVERY INTERVAL '1' MINUTE"))
                .isInstanceOf(io.weir.sql.parser.ddl.SqlEmit.class);
        assertThat(WeirSqlParser.parseStatements("SELECT 1 EMIT AFTER WATERMARK; SELECT \"emit\" FROM t")).hasSize(2);
        // reserved, as in ksqlDB: a column named emit is quoted
        assertThatThrownBy(() -> WeirSqlParser.parseStatement("SELECT emit FROM t")).isInstanceOf(io.weir.spi.WeirException.class);
        assertThatThrownBy(() -> WeirSqlParser.parseStatement("SELECT STREAM * FROM s EMIT SOON"))
                .isInstanceOf(io.weir.spi.WeirException.class).hasMessageContaining("SOON");
    }
}
