package io.weir.sql.parser;

import org.apache.calcite.sql.SqlBasicTypeNameSpec;
import org.apache.calcite.sql.SqlCollectionTypeNameSpec;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlRowTypeNameSpec;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.util.SqlShuttle;
import org.apache.calcite.util.Litmus;
import java.util.List;
import org.junit.jupiter.api.Test;

import io.weir.sql.parser.ddl.ObjectKind;
import io.weir.sql.parser.ddl.ShowKind;
import io.weir.sql.parser.ddl.SqlAlterUser;
import io.weir.sql.parser.ddl.SqlColumnDeclaration;
import io.weir.sql.parser.ddl.SqlCreateToken;
import io.weir.sql.parser.ddl.SqlCreateUser;
import io.weir.sql.parser.ddl.SqlDropToken;
import io.weir.sql.parser.ddl.SqlDropUser;
import io.weir.sql.parser.ddl.SqlComputedColumn;
import io.weir.sql.parser.ddl.SqlCreateMaterializedView;
import io.weir.sql.parser.ddl.SqlCreateReferenceTable;
import io.weir.sql.parser.ddl.SqlCreateStream;
import io.weir.sql.parser.ddl.SqlCreateWeirView;
import io.weir.sql.parser.ddl.SqlDescribeConnector;
import io.weir.sql.parser.ddl.SqlDescribeObject;
import io.weir.sql.parser.ddl.SqlDropObject;
import io.weir.sql.parser.ddl.SqlMetadataColumn;
import io.weir.sql.parser.ddl.SqlOption;
import io.weir.sql.parser.ddl.SqlResetProperty;
import io.weir.sql.parser.ddl.SqlSetProperty;
import io.weir.sql.parser.ddl.SqlShowObjects;
import io.weir.sql.parser.ddl.SqlStopQuery;

import static io.weir.sql.parser.WeirSqlParser.parseStatement;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** What the planner reads from the statement nodes. */
class DdlAstTest {
    private static final String ORDERS = "CREATE OR REPLACE STREAM IF NOT EXISTS Orders (\n"
            + "  Id BIGINT NOT NULL COMMENT 'the id',\n"
            + "  price DECIMAL(10, 2),\n"
            + "  WATERMARK FOR ts AS ts - INTERVAL '5' SECOND,\n"
            + "  total AS price * qty,\n"
            + "  ts TIMESTAMP(3),\n"
            + "  kts TIMESTAMP_LTZ(3) METADATA FROM 'timestamp' VIRTUAL,\n"
            + "  part INT METADATA,\n"
            + "  PRIMARY KEY (Id) NOT ENFORCED\n"
            + ") WITH ('connector' = 'kafka',\n  'topic' = 'orders')";

    @Test
    void createStream() {
        SqlCreateStream stream = (SqlCreateStream) parseStatement(ORDERS);
        assertThat(stream.getKind()).isEqualTo(SqlKind.OTHER_DDL);
        assertThat(stream.objectKind()).isEqualTo(ObjectKind.STREAM);
        assertThat(stream.name().getSimple()).isEqualTo("Orders");
        assertThat(stream.replace()).isTrue();
        assertThat(stream.ifNotExists()).isTrue();
        assertThat(stream.elements()).hasSize(8);
        assertThat(stream.columns()).extracting(c -> c.name().getSimple())
                .containsExactly("Id", "price", "total", "ts", "kts", "part");

        SqlColumnDeclaration id = (SqlColumnDeclaration) stream.columns().get(0);
        assertThat(id.notNull()).isTrue();
        assertThat(id.comment()).contains("the id");
        assertThat(id.type().getTypeName().getSimple()).isEqualTo("BIGINT");
        SqlColumnDeclaration price = (SqlColumnDeclaration) stream.columns().get(1);
        assertThat(price.notNull()).isFalse();
        assertThat(price.comment()).isEmpty();

        SqlComputedColumn total = (SqlComputedColumn) stream.columns().get(2);
        assertThat(total.expression().getKind()).isEqualTo(SqlKind.TIMES);

        SqlMetadataColumn kts = (SqlMetadataColumn) stream.columns().get(4);
        assertThat(kts.metadataKey()).contains("timestamp");
        assertThat(kts.virtual()).isTrue();
        assertThat(((SqlBasicTypeNameSpec) kts.type().getTypeNameSpec()).getTypeName().getSimple())
                .isEqualTo(SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE.getName());
        SqlMetadataColumn part = (SqlMetadataColumn) stream.columns().get(5);
        assertThat(part.metadataKey()).isEmpty();
        assertThat(part.virtual()).isFalse();

        assertThat(stream.watermark()).hasValueSatisfying(w -> {
            assertThat(w.column().getSimple()).isEqualTo("ts");
            assertThat(w.expression().getKind()).isEqualTo(SqlKind.MINUS);
            assertThat(w.getParserPosition().getLineNum()).isEqualTo(4);
        });
        assertThat(stream.primaryKey()).hasValueSatisfying(pk -> {
            assertThat(pk.columns()).extracting(SqlIdentifier::getSimple).containsExactly("Id");
            assertThat(pk.enforced()).isFalse();
        });
        assertThat(stream.options()).extracting(SqlOption::key, SqlOption::value)
                .containsExactly(tuple("connector", "kafka"), tuple("topic", "orders"));
        SqlParserPos topic = stream.options().get(1).keyPosition();
        assertThat(topic.getLineNum()).isEqualTo(11);
        assertThat(topic.getColumnNum()).isEqualTo(3);
        assertThat(stream.options().get(1).valuePosition().getColumnNum()).isEqualTo(13);
    }

    @Test
    void createStreamDefaults() {
        SqlCreateStream stream = (SqlCreateStream) parseStatement("CREATE STREAM s (a INT)");
        assertThat(stream.replace()).isFalse();
        assertThat(stream.ifNotExists()).isFalse();
        assertThat(stream.watermark()).isEmpty();
        assertThat(stream.primaryKey()).isEmpty();
        assertThat(stream.options()).isEmpty();
    }

    @Test
    void createReferenceTable() {
        SqlCreateReferenceTable table = (SqlCreateReferenceTable) parseStatement(
                "CREATE TABLE rates (c STRING, r DOUBLE, PRIMARY KEY (c)) WITH ('k' = 'v')");
        assertThat(table.objectKind()).isEqualTo(ObjectKind.TABLE);
        assertThat(table.columns()).hasSize(2);
        assertThat(table.primaryKey()).hasValueSatisfying(pk -> assertThat(pk.enforced()).isTrue());
        assertThat(table.options()).extracting(SqlOption::key).containsExactly("k");
    }

    @Test
    void typeAliases() {
        SqlCreateStream stream = (SqlCreateStream) parseStatement(
                "CREATE STREAM s (a STRING, b BYTES, c ARRAY<INT>, d ROW<x INT, y INT NOT NULL>)");
        SqlColumnDeclaration a = (SqlColumnDeclaration) stream.columns().get(0);
        assertThat(a.type().getTypeName().getSimple()).isEqualTo("VARCHAR");
        SqlColumnDeclaration b = (SqlColumnDeclaration) stream.columns().get(1);
        assertThat(b.type().getTypeName().getSimple()).isEqualTo("VARBINARY");
        SqlColumnDeclaration c = (SqlColumnDeclaration) stream.columns().get(2);
        assertThat(c.type().getTypeNameSpec()).isInstanceOf(SqlCollectionTypeNameSpec.class);
        SqlColumnDeclaration d = (SqlColumnDeclaration) stream.columns().get(3);
        SqlRowTypeNameSpec row = (SqlRowTypeNameSpec) d.type().getTypeNameSpec();
        assertThat(row.getFieldTypes()).extracting(t -> t.getNullable())
                .containsExactly(true, false);
    }

    @Test
    void views() {
        SqlCreateWeirView view = (SqlCreateWeirView) parseStatement(
                "CREATE VIEW v (a, b) AS SELECT x, y FROM s");
        assertThat(view.name().getSimple()).isEqualTo("v");
        assertThat(view.columnNames()).extracting(SqlIdentifier::getSimple)
                .containsExactly("a", "b");
        assertThat(view.query().getKind()).isEqualTo(SqlKind.SELECT);
        assertThat(((SqlCreateWeirView) parseStatement("CREATE VIEW v AS SELECT 1")).columnNames())
                .isEmpty();

        SqlCreateMaterializedView mv = (SqlCreateMaterializedView) parseStatement(
                "CREATE MATERIALIZED VIEW IF NOT EXISTS mv WITH ('a' = 'b') AS SELECT 1");
        assertThat(mv.ifNotExists()).isTrue();
        assertThat(mv.replace()).isFalse();
        assertThat(mv.options()).extracting(SqlOption::value).containsExactly("b");
        assertThat(mv.query().getKind()).isEqualTo(SqlKind.SELECT);
    }

    @Test
    void drop() {
        SqlDropObject drop = (SqlDropObject) parseStatement("DROP MATERIALIZED VIEW IF EXISTS mv");
        assertThat(drop.kind()).isEqualTo(ObjectKind.MATERIALIZED_VIEW);
        assertThat(drop.ifExists()).isTrue();
        assertThat(drop.name().getSimple()).isEqualTo("mv");
        assertThat(drop.getKind()).isEqualTo(SqlKind.OTHER_DDL);
        assertThat(drop.cascade()).isFalse();
        assertThat(((SqlDropObject) parseStatement("DROP STREAM s CASCADE")).cascade()).isTrue();
        assertThat(((SqlDropObject) parseStatement("DROP VIEW IF EXISTS v RESTRICT")).cascade()).isFalse();
        assertThat(parseStatement("DROP TABLE t CASCADE").toString()).isEqualTo("DROP TABLE `t` CASCADE");
    }

    @Test
    void showDescribeSetResetStop() {
        SqlShowObjects show = (SqlShowObjects) parseStatement("SHOW MATERIALIZED VIEWS LIKE 'a%'");
        assertThat(show.kind()).isEqualTo(ShowKind.MATERIALIZED_VIEWS);
        assertThat(show.likePattern()).contains("a%");
        assertThat(((SqlShowObjects) parseStatement("SHOW QUERIES")).likePattern()).isEmpty();

        SqlDescribeObject describe = (SqlDescribeObject) parseStatement("DESC s");
        assertThat(describe.kind()).isEmpty();
        assertThat(describe.name().getSimple()).isEqualTo("s");
        assertThat(((SqlDescribeObject) parseStatement("DESCRIBE VIEW v")).kind())
                .contains(ObjectKind.VIEW);
        assertThat(((SqlDescribeConnector) parseStatement("DESCRIBE CONNECTOR 'kafka'"))
                .connector()).isEqualTo("kafka");

        SqlSetProperty set = (SqlSetProperty) parseStatement("SET 'a.b' = 3");
        assertThat(set.key()).contains("a.b");
        assertThat(set.value()).contains("3");
        assertThat(set.keyPosition().getColumnNum()).isEqualTo(5);
        SqlSetProperty list = (SqlSetProperty) parseStatement("SET");
        assertThat(list.key()).isEmpty();
        assertThat(list.value()).isEmpty();

        assertThat(((SqlResetProperty) parseStatement("RESET 'a.b'")).key()).contains("a.b");
        assertThat(((SqlResetProperty) parseStatement("RESET")).key()).isEmpty();

        assertThat(((SqlStopQuery) parseStatement("STOP QUERY 'q-1'")).queryId()).isEqualTo("q-1");
        assertThat(((SqlStopQuery) parseStatement("STOP QUERY Q1")).queryId()).isEqualTo("Q1");
        // generated ids are 8 hex digits: unquoted, they are lexed as numbers, names and keywords
        for (String id : List.of("30456560", "304e6560", "30ab12cd", "0e000001", "12add345", "1234abcd", "00000000")) {
            assertThat(((SqlStopQuery) parseStatement("STOP QUERY " + id)).queryId()).as(id).isEqualTo(id);
        }
    }

    @Test
    void shuttlesAndClonesKeepTheNodeClasses() {
        SqlNode stream = parseStatement(ORDERS);
        // Renames every identifier: the rewritten statement must still be a SqlCreateStream.
        SqlNode renamed = stream.accept(new SqlShuttle() {
            @Override
            public SqlNode visit(SqlIdentifier id) {
                return new SqlIdentifier(id.getSimple() + "_x", id.getParserPosition());
            }
        });
        assertThat(renamed).isInstanceOf(SqlCreateStream.class);
        SqlCreateStream renamedStream = (SqlCreateStream) renamed;
        assertThat(renamedStream.name().getSimple()).isEqualTo("Orders_x");
        assertThat(renamedStream.watermark().orElseThrow().column().getSimple()).isEqualTo("ts_x");
        assertThat(renamedStream.options()).hasSize(2);

        SqlNode clone = stream.clone(SqlParserPos.ZERO);
        assertThat(clone).isInstanceOf(SqlCreateStream.class);
        assertThat(clone.equalsDeep(stream, Litmus.THROW)).isTrue();
        for (String sql : new String[] {"SHOW STREAMS LIKE 'x'", "DESCRIBE STREAM s",
                "DESCRIBE CONNECTOR 'k'", "SET 'a' = 'b'", "SET", "RESET 'a'", "RESET",
                "STOP QUERY 'q'", "DROP VIEW IF EXISTS v", "DROP STREAM s CASCADE", "CREATE VIEW v (a) AS SELECT 1",
                "CREATE MATERIALIZED VIEW v WITH ('a' = 'b') AS SELECT 1",
                "CREATE TABLE t (a INT, PRIMARY KEY (a))", "CREATE OR REPLACE FUNCTION f AS 'a.F' USING JAR 'f.jar'",
                "DROP FUNCTION IF EXISTS f", "SHOW FUNCTIONS"}) {
            SqlNode node = parseStatement(sql);
            SqlNode copy = node.clone(SqlParserPos.ZERO);
            assertThat(copy).as(sql).isInstanceOf(node.getClass());
            assertThat(copy.equalsDeep(node, Litmus.THROW)).as(sql).isTrue();
        }
    }

    @Test
    void equalsDeepSeesEveryDifference() {
        String[][] different = {
            {"CREATE STREAM s (a INT)", "CREATE OR REPLACE STREAM s (a INT)"},
            {"CREATE STREAM s (a INT)", "CREATE STREAM IF NOT EXISTS s (a INT)"},
            {"CREATE STREAM s (a INT)", "CREATE TABLE s (a INT)"},
            {"CREATE STREAM s (a INT)", "CREATE STREAM s (a INT NOT NULL)"},
            {"CREATE STREAM s (a INT)", "CREATE STREAM s (a INT COMMENT 'c')"},
            {"CREATE STREAM s (a INT METADATA)", "CREATE STREAM s (a INT METADATA VIRTUAL)"},
            {"CREATE STREAM s (a INT METADATA)", "CREATE STREAM s (a INT METADATA FROM 'a')"},
            {"CREATE STREAM s (a INT, PRIMARY KEY (a))",
                "CREATE STREAM s (a INT, PRIMARY KEY (a) NOT ENFORCED)"},
            {"CREATE STREAM s (a INT) WITH ('k' = 'v')",
                "CREATE STREAM s (a INT) WITH ('k' = 'w')"},
            {"DROP STREAM s", "DROP TABLE s"},
            {"DROP STREAM s", "DROP STREAM IF EXISTS s"},
            {"DROP STREAM s", "DROP STREAM s CASCADE"},
            {"SHOW STREAMS", "SHOW TABLES"},
            {"SHOW STREAMS", "SHOW STREAMS LIKE 'a'"},
            {"DESCRIBE s", "DESCRIBE STREAM s"},
            {"SET", "SET 'a' = 'b'"},
            {"RESET", "RESET 'a'"},
            {"STOP QUERY 'a'", "STOP QUERY 'b'"},
        };
        for (String[] pair : different) {
            SqlNode left = parseStatement(pair[0]);
            SqlNode right = parseStatement(pair[1]);
            assertThat(left.equalsDeep(right, Litmus.IGNORE)).as(pair[0] + " vs " + pair[1])
                    .isFalse();
        }
    }

    @Test
    void userStatementsHoldTheirOptionsAndNeverPrintThePassword() {
        SqlCreateUser create = (SqlCreateUser) parseStatement("CREATE USER IF NOT EXISTS Bob WITH PASSWORD 'it''s secret' ADMIN");
        assertThat(create.name().getSimple()).isEqualTo("Bob");
        assertThat(create.ifNotExists()).isTrue();
        assertThat(create.password()).contains("it's secret");
        assertThat(create.admin()).isTrue();
        assertThat(create.toString()).isEqualTo("CREATE USER IF NOT EXISTS `Bob` WITH PASSWORD '********' ADMIN")
                .doesNotContain("secret");
        assertThat(((SqlCreateUser) create.clone(SqlParserPos.ZERO)).password()).contains("it's secret");

        SqlCreateUser plain = (SqlCreateUser) parseStatement("create user carol password 'x'");
        assertThat(plain.admin()).isFalse();
        assertThat(plain.ifNotExists()).isFalse();
        assertThat(((SqlCreateUser) parseStatement("create user dave")).password()).isEmpty();

        SqlAlterUser alter = (SqlAlterUser) parseStatement("ALTER USER bob NOADMIN PASSWORD 'new one'");
        assertThat(alter.name().getSimple()).isEqualTo("bob");
        assertThat(alter.password()).contains("new one");
        assertThat(alter.admin()).contains(false);
        assertThat(alter.toString()).doesNotContain("new one");
        assertThat(((SqlAlterUser) parseStatement("alter user bob with admin")).password()).isEmpty();

        SqlDropUser drop = (SqlDropUser) parseStatement("DROP USER IF EXISTS bob");
        assertThat(drop.ifExists()).isTrue();
        assertThat(drop.name().getSimple()).isEqualTo("bob");

        SqlCreateToken token = (SqlCreateToken) parseStatement("CREATE TOKEN sensors FOR USER bob");
        assertThat(token.name().getSimple()).isEqualTo("sensors");
        assertThat(token.user().getSimple()).isEqualTo("bob");
        SqlDropToken dropToken = (SqlDropToken) parseStatement("DROP TOKEN sensors");
        assertThat(dropToken.ifExists()).isFalse();
        assertThat(((SqlShowObjects) parseStatement("SHOW USERS")).kind()).isEqualTo(ShowKind.USERS);
        assertThat(((SqlShowObjects) parseStatement("SHOW TOKENS")).kind()).isEqualTo(ShowKind.TOKENS);
    }
}
