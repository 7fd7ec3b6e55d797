package io.weir.sql.parser;

import org.apache.calcite.sql.parser.SqlParserFixture;
import org.apache.calcite.sql.parser.SqlParserTest;

import io.weir.sql.parser.impl.WeirSqlParserImpl;

/**
 * Calcite's whole parser test suite, run on Weir's grammar: everything Calcite parses must still
 * parse the same way. The stock tests run with Calcite's own lexical settings (upper-casing,
 * back-tick unparsing); only the parser factory is Weir's.
 */
class WeirStockSqlParserTest extends SqlParserTest {
    @Override
    public SqlParserFixture fixture() {
        return super.fixture().withConfig(c -> c.withParserFactory(WeirSqlParserImpl.FACTORY));
    }
}
