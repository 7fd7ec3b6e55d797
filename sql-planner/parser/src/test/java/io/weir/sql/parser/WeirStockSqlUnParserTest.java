package io.weir.sql.parser;

import org.apache.calcite.sql.parser.SqlParserFixture;

/**
 * Calcite's parser suite again, with Calcite's unparsing tester: every statement it parses must
 * unparse, parse again and unparse to the same text on Weir's grammar (the planner stores views
 * and computed columns as unparsed SQL). Calcite runs its own grammar the same way in
 * SqlUnParserTest.
 */
class WeirStockSqlUnParserTest extends WeirStockSqlParserTest {
    @Override
    public SqlParserFixture fixture() {
        return super.fixture().withTester(new UnparsingTesterImpl());
    }
}
