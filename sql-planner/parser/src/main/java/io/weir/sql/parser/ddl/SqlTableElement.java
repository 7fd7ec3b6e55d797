package io.weir.sql.parser.ddl;

import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.parser.SqlParserPos;

/**
 * An element between the parentheses of CREATE STREAM or CREATE TABLE: a column, the WATERMARK or
 * the PRIMARY KEY.
 */
public abstract sealed class SqlTableElement extends SqlCall
        permits SqlTableColumn, SqlWatermark, SqlPrimaryKey {
    SqlTableElement(SqlParserPos pos) {
        super(pos);
    }
}
