package io.weir.sql.parser.impl;

import java.io.Reader;

import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.parser.SqlAbstractParserImpl;
import org.apache.calcite.sql.parser.SqlParserImplFactory;
import org.apache.calcite.util.SourceStringReader;


/**
 * Weir's generated parser reading statements the way Weir takes them: each may end with an EMIT
 * clause ({@link io.weir.sql.parser.ddl.SqlEmit}). Calcite's statement rule stays as it is (the stock
 * parser tests run against it); only the entry points of whole statements and scripts differ.
 */
public final class WeirStatementParserImpl extends WeirSqlParserImpl {
    public static final SqlParserImplFactory FACTORY = new SqlParserImplFactory() {
        @Override
        public SqlAbstractParserImpl getParser(Reader reader) {
            WeirStatementParserImpl parser = new WeirStatementParserImpl(reader);
            if (reader instanceof SourceStringReader source) {
                String sql = source.getSourceString();
                parser.setOriginalSql(sql);
                parser.jj_input_stream.ReInit(reader, 1, 1, sql.length());
            }
            return parser;
        }
    };

    private WeirStatementParserImpl(Reader reader) {
        super(reader);
    }

    @Override
    public SqlNode parseSqlStmtEof() throws Exception {
        return WeirStatementEof();
    }

    @Override
    public SqlNodeList parseSqlStmtList() throws Exception {
        return WeirStatementList();
    }
}
