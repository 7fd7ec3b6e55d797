package io.weir.sql.parser;

import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.dialect.AnsiSqlDialect;
import org.apache.calcite.sql.pretty.SqlPrettyWriter;
import org.junit.jupiter.api.Test;

class ScratchTest {
    @Test
    void print() throws Exception {
        String[] sqls = java.nio.file.Files.readString(java.nio.file.Path.of("/tmp/scratch/in.sql")).split(";;\n");
        StringBuilder out = new StringBuilder();
        for (String sql : sqls) {
            out.append("== ").append(sql.strip()).append('\n');
            try {
                SqlNode node = WeirSqlParser.parseStatement(sql.strip());
                out.append(node.getClass().getSimpleName()).append('\n');
                out.append(node.toSqlString(c -> c.withDialect(AnsiSqlDialect.DEFAULT).withAlwaysUseParentheses(true).withSelectListItemsOnSeparateLines(false).withUpdateSetListNewline(false).withIndentation(0)).getSql()).append('\n');
                String weir = WeirSqlParser.toSql(node);
                out.append("toSql: ").append(weir).append('\n');
                SqlNode again = WeirSqlParser.parseStatement(weir);
                out.append("equalsDeep: ").append(node.equalsDeep(again, org.apache.calcite.util.Litmus.IGNORE)).append('\n');
            } catch (io.weir.spi.WeirException e) {
                out.append("ERROR ").append(e.getMessage()).append('\n');
            }
        }
        java.nio.file.Files.writeString(java.nio.file.Path.of("/tmp/scratch/out.txt"), out);
    }
}
