package io.weir.sql.parser;

import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.parser.SqlParserFixture;
import org.apache.calcite.sql.parser.SqlParserTest;
import org.apache.calcite.util.Litmus;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Weir's grammar additions, in the style of Calcite's SqlParserTest: {@code ok} checks the unparsed
 * statement (ANSI dialect, back-ticks, full parentheses) and, through Calcite's unparsing tester,
 * that unparsing and parsing again gives the same statement and that a deep copy unparses alike.
 * Each {@code ok} also checks that {@link WeirSqlParser#toSql} re-parses to an equal tree.
 */
class WeirGrammarTest {
    private static final SqlParserFixture FIXTURE = SqlParserFixture.DEFAULT
            .withConfig(c -> WeirSqlParser.config());
    /** Also unparses, parses again and deep-copies; it does not check failures. */
    private static final SqlParserFixture UNPARSING_FIXTURE =
            FIXTURE.withTester(new SqlParserTest.UnparsingTesterImpl());

    private static Checked sql(String sql) {
        return new Checked(sql);
    }

    /** A fixture whose {@code ok} also round-trips through {@link WeirSqlParser#toSql}. */
    private record Checked(String sql) {
        void ok(String expected) {
            FIXTURE.sql(sql).ok(expected);
            UNPARSING_FIXTURE.sql(sql).ok(expected);
            SqlNode parsed = WeirSqlParser.parseStatement(FIXTURE.sql(sql).sap.sql);
            String stored = WeirSqlParser.toSql(parsed);
            SqlNode reparsed = WeirSqlParser.parseStatement(stored);
            assertThat(parsed.equalsDeep(reparsed, Litmus.IGNORE))
                    .as("%s re-parses to an equal tree", stored)
                    .isTrue();
            assertThat(reparsed.getClass()).isEqualTo(parsed.getClass());
        }

        void fails(String expectedMessagePattern) {
            FIXTURE.sql(sql).fails(expectedMessagePattern);
        }
    }

    // CREATE STREAM

    @Test
    void createStreamWithEveryElementKind() {
        sql("create or replace stream if not exists orders (\n"
                + "  order_id bigint not null comment 'the id',\n"
                + "  price decimal(10, 2),\n"
                + "  qty int,\n"
                + "  total as price * qty comment 'derived',\n"
                + "  pt as proctime(),\n"
                + "  ts timestamp(3),\n"
                + "  kafka_ts timestamp_ltz(3) metadata from 'timestamp' virtual,\n"
                + "  part int metadata virtual,\n"
                + "  headers map<string, bytes> metadata comment 'all headers',\n"
                + "  watermark for ts as ts - interval '5' second,\n"
                + "  primary key (order_id) not enforced\n"
                + ") with ('connector' = 'kafka', 'topic' = 'orders')")
                .ok("CREATE OR REPLACE STREAM IF NOT EXISTS `orders` ("
                        + "`order_id` BIGINT NOT NULL COMMENT 'the id', "
                        + "`price` DECIMAL(10, 2), "
                        + "`qty` INTEGER, "
                        + "`total` AS (`price` * `qty`) COMMENT 'derived', "
                        + "`pt` AS `proctime`(), "
                        + "`ts` TIMESTAMP(3), "
                        + "`kafka_ts` TIMESTAMP(3) WITH LOCAL TIME ZONE "
                        + "METADATA FROM 'timestamp' VIRTUAL, "
                        + "`part` INTEGER METADATA VIRTUAL, "
                        + "`headers` MAP< VARCHAR, VARBINARY > METADATA COMMENT 'all headers', "
                        + "WATERMARK FOR `ts` AS (`ts` - INTERVAL '5' SECOND), "
                        + "PRIMARY KEY (`order_id`) NOT ENFORCED) "
                        + "WITH ('connector' = 'kafka', 'topic' = 'orders')");
    }

    @Test
    void createStreamElementsInAnyOrder() {
        sql("create stream s (watermark for ts as ts, primary key (a, b), a int, ts timestamp,"
                + " b int)")
                .ok("CREATE STREAM `s` (WATERMARK FOR `ts` AS `ts`, PRIMARY KEY (`a`, `b`), "
                        + "`a` INTEGER, `ts` TIMESTAMP, `b` INTEGER)");
    }

    @Test
    void createStreamWithoutOptions() {
        sql("create stream s (a int null, \"Mixed Case\" varchar(10))")
                .ok("CREATE STREAM `s` (`a` INTEGER, `Mixed Case` VARCHAR(10))");
    }

    @Test
    void createStreamKeepsNameCaseAndAllowsQualifiedNames() {
        sql("create stream Sales.Orders (Id int)")
                .ok("CREATE STREAM `Sales`.`Orders` (`Id` INTEGER)");
    }

    @Test
    void newKeywordsAreNotReserved() {
        sql("create stream queries (watermark timestamp(3), metadata string, virtual boolean,"
                + " queries int, comment string, connector string, \"if\" int, string string,"
                + " bytes bytes, query int, stop int, enforced int, materialized int, views int,"
                + " tables int, streams int, formats int, connectors int, timestamp_ltz int)")
                .ok("CREATE STREAM `queries` (`watermark` TIMESTAMP(3), `metadata` VARCHAR, "
                        + "`virtual` BOOLEAN, `queries` INTEGER, `comment` VARCHAR, "
                        + "`connector` VARCHAR, `if` INTEGER, `string` VARCHAR, `bytes` VARBINARY, "
                        + "`query` INTEGER, `stop` INTEGER, `enforced` INTEGER, "
                        + "`materialized` INTEGER, `views` INTEGER, `tables` INTEGER, "
                        + "`streams` INTEGER, `formats` INTEGER, `connectors` INTEGER, "
                        + "`timestamp_ltz` INTEGER)");
        sql("select watermark, metadata, virtual, queries, comment, query, stop, if from s")
                .ok("SELECT `watermark`, `metadata`, `virtual`, `queries`, `comment`, `query`, "
                        + "`stop`, `if`\nFROM `s`");
    }

    @Test
    void ifAloneIsAName() {
        sql("create stream if (a int)").ok("CREATE STREAM `if` (`a` INTEGER)");
        sql("create stream if not exists if (a int)")
                .ok("CREATE STREAM IF NOT EXISTS `if` (`a` INTEGER)");
    }

    @Test
    void watermarkOverAnyExpression() {
        sql("create stream s (ts timestamp(3), watermark for ts as"
                + " ts - interval '1' minute - interval '5' second)")
                .ok("CREATE STREAM `s` (`ts` TIMESTAMP(3), WATERMARK FOR `ts` AS "
                        + "((`ts` - INTERVAL '1' MINUTE) - INTERVAL '5' SECOND))");
    }

    @Test
    void metadataColumnForms() {
        sql("create stream s (k bytes metadata from 'key', p int metadata,"
                + " o bigint metadata from 'offset' virtual comment 'c')")
                .ok("CREATE STREAM `s` (`k` VARBINARY METADATA FROM 'key', `p` INTEGER METADATA, "
                        + "`o` BIGINT METADATA FROM 'offset' VIRTUAL COMMENT 'c')");
    }

    @Test
    void optionValuesMayBeNumbersOrBooleans() {
        sql("create stream s (a int) with ('rows-per-second' = 10, 'ratio' = 0.5,"
                + " 'fail' = false, 'continued' = 'a' 'b')")
                .ok("CREATE STREAM `s` (`a` INTEGER) WITH ('rows-per-second' = '10', "
                        + "'ratio' = '0.5', 'fail' = 'false', 'continued' = 'ab')");
    }

    @Test
    void stringsKeepTheirText() {
        sql("create stream s (a int comment 'it''s naïve') with ('path' = '/tmp/é')")
                .ok("CREATE STREAM `s` (`a` INTEGER COMMENT 'it''s naïve') "
                        + "WITH ('path' = '/tmp/é')");
    }

    @Test
    void createStreamErrors() {
        sql("create stream s (a int, watermark for a as a, ^watermark for a as a^)")
                .fails("Only one WATERMARK is allowed per stream; remove all but one");
        sql("create stream s (a int, primary key (a), ^primary key (a)^)")
                .fails("Only one PRIMARY KEY is allowed;.*");
        sql("create stream s (a int) with ('k' = 'v', ^'k'^ = 'w')")
                .fails("Option 'k' is given more than once; remove all but one");
        sql("create stream s (a int) with ('k' = ^x'00'^)")
                .fails("Expected a character string in single quotes, such as 'text'");
        sql("create stream s (a int) with (^)^")
                .fails("(?s)Encountered \"\\)\" at line 1, column 31.*");
        sql("create stream s (a int) with (^k^ = 'v')")
                .fails("(?s)Encountered \"k\" at line 1, column 31.*");
        sql("create stream s (a int metadata ^not^ null)")
                .fails("(?s).*Encountered \"not\" at line 1, column 33.*");
        sql("create stream s (^)^")
                .fails("(?s).*Encountered \"\\)\" at line 1, column 18.*");
        sql("^creat^ stream x")
                .fails("Non-query expression encountered in illegal context");
        sql("create stream s (a int, b ^)^")
                .fails("(?s).*Encountered \"\\)\" at line 1, column 27.*");
    }

    // Column types

    @Test
    void columnTypes() {
        sql("create stream t (a boolean, b tinyint, c smallint, d int, e integer, f bigint,"
                + " g real, h float, i double, j double precision, k decimal(10, 2),"
                + " l numeric(5), m char(3), n varchar, o varchar(20), p string, q date,"
                + " r time, s time(3), u timestamp, v timestamp(3), w timestamp_ltz(3),"
                + " x bytes, y varbinary, z binary(4), af timestamp_ltz,"
                + " ag timestamp with local time zone)")
                .ok("CREATE STREAM `t` (`a` BOOLEAN, `b` TINYINT, `c` SMALLINT, `d` INTEGER, "
                        + "`e` INTEGER, `f` BIGINT, `g` REAL, `h` FLOAT, `i` DOUBLE, `j` DOUBLE, "
                        + "`k` DECIMAL(10, 2), `l` DECIMAL(5), `m` CHAR(3), `n` VARCHAR, "
                        + "`o` VARCHAR(20), `p` VARCHAR, `q` DATE, `r` TIME, `s` TIME(3), "
                        + "`u` TIMESTAMP, `v` TIMESTAMP(3), "
                        + "`w` TIMESTAMP(3) WITH LOCAL TIME ZONE, `x` VARBINARY, `y` VARBINARY, "
                        + "`z` BINARY(4), `af` TIMESTAMP WITH LOCAL TIME ZONE, "
                        + "`ag` TIMESTAMP WITH LOCAL TIME ZONE)");
    }

    @Test
    void nestedTypes() {
        sql("create stream t (z array<int>, aa int array, ab map<string, int>,"
                + " ac row<x int, y string not null>, ad row(x int, y string),"
                + " ae array<row<x int, y map<string, array<bigint>>>>,"
                + " af array<array<string>>, ag map<int, row(a int)> array)")
                .ok("CREATE STREAM `t` (`z` INTEGER ARRAY, `aa` INTEGER ARRAY, "
                        + "`ab` MAP< VARCHAR, INTEGER >, "
                        + "`ac` ROW(`x` INTEGER NULL, `y` VARCHAR), "
                        + "`ad` ROW(`x` INTEGER, `y` VARCHAR), "
                        + "`ae` ROW(`x` INTEGER NULL, `y` MAP< VARCHAR, BIGINT ARRAY > NULL) "
                        + "ARRAY, "
                        + "`af` VARCHAR ARRAY ARRAY, "
                        + "`ag` MAP< INTEGER, ROW(`a` INTEGER) > ARRAY)");
    }

    @Test
    void typeNamesWorkInCast() {
        sql("select cast(a as string), cast(b as array<int>), cast(c as bytes) from s")
                .ok("SELECT CAST(`a` AS VARCHAR), CAST(`b` AS INTEGER ARRAY), "
                        + "CAST(`c` AS VARBINARY)\nFROM `s`");
    }

    // CREATE TABLE, VIEW, MATERIALIZED VIEW

    @Test
    void createReferenceTable() {
        sql("create or replace table if not exists rates (currency string not null, rate double,"
                + " primary key (currency) not enforced) with ('connector' = 'file')")
                .ok("CREATE OR REPLACE TABLE IF NOT EXISTS `rates` (`currency` VARCHAR NOT NULL, "
                        + "`rate` DOUBLE, PRIMARY KEY (`currency`) NOT ENFORCED) "
                        + "WITH ('connector' = 'file')");
        sql("create table t (a int, primary key (a))")
                .ok("CREATE TABLE `t` (`a` INTEGER, PRIMARY KEY (`a`))");
    }

    @Test
    void createView() {
        sql("create view v (a, b) as select x, y from s")
                .ok("CREATE VIEW `v` (`a`, `b`) AS\nSELECT `x`, `y`\nFROM `s`");
        sql("create or replace view if not exists v as select * from s where x > 1")
                .ok("CREATE OR REPLACE VIEW IF NOT EXISTS `v` AS\nSELECT *\nFROM `s`\n"
                        + "WHERE (`x` > 1)");
        sql("create view v ^select^ 1")
                .fails("(?s).*Encountered \"select\" at line 1, column 15.*");
    }

    @Test
    void createMaterializedView() {
        sql("create materialized view mv with ('retention' = '1h') as"
                + " select a, count(*) from s group by a")
                .ok("CREATE MATERIALIZED VIEW `mv` WITH ('retention' = '1h') AS\n"
                        + "SELECT `a`, COUNT(*)\nFROM `s`\nGROUP BY `a`");
        sql("create or replace materialized view if not exists mv as"
                + " with t as (select 1 as x) select x from t")
                .ok("CREATE OR REPLACE MATERIALIZED VIEW IF NOT EXISTS `mv` AS\n"
                        + "WITH `t` AS (SELECT 1 AS `x`) SELECT `x`\nFROM `t`");
    }

    // DROP

    @Test
    void dropObjects() {
        sql("drop stream s").ok("DROP STREAM `s`");
        sql("drop table if exists t").ok("DROP TABLE IF EXISTS `t`");
        sql("drop view if").ok("DROP VIEW `if`");
        sql("drop materialized view if exists mv").ok("DROP MATERIALIZED VIEW IF EXISTS `mv`");
        sql("drop ^connector^ c").fails("(?s).*Encountered \"connector\" at line 1, column 6.*");
    }

    // SHOW

    @Test
    void showObjects() {
        sql("show streams").ok("SHOW STREAMS");
        sql("show tables like 'a%'").ok("SHOW TABLES LIKE 'a%'");
        sql("show views").ok("SHOW VIEWS");
        sql("show materialized views like '%_mv'").ok("SHOW MATERIALIZED VIEWS LIKE '%_mv'");
        sql("show queries").ok("SHOW QUERIES");
        sql("show connectors").ok("SHOW CONNECTORS");
        sql("show formats").ok("SHOW FORMATS");
        sql("show users").ok("SHOW USERS");
        sql("show tokens like 'ingest%'").ok("SHOW TOKENS LIKE 'ingest%'");
    }

    // Users and tokens

    @Test
    void tokenStatements() {
        sql("create token t1 for user bob").ok("CREATE TOKEN `t1` FOR USER `bob`");
        sql("drop token t1").ok("DROP TOKEN `t1`");
        sql("drop token if exists t1").ok("DROP TOKEN IF EXISTS `t1`");
        sql("drop user bob").ok("DROP USER `bob`");
        sql("drop user if exists \"Bob\"").ok("DROP USER IF EXISTS `Bob`");
        sql("create token t1 for ^bob^").fails("(?s)Encountered \"bob\" at line 1, column 21.*\"USER\".*");
    }

    // User-defined functions

    @Test
    void functionStatements() {
        sql("create function twice as 'acme.Twice' using jar 'file:/f/acme.jar'")
                .ok("CREATE FUNCTION `twice` AS 'acme.Twice' USING JAR 'file:/f/acme.jar'");
        sql("create or replace function if not exists weir.twice as 'acme.Twice' using jar '/f/acme.jar'")
                .ok("CREATE OR REPLACE FUNCTION IF NOT EXISTS `weir`.`twice` AS 'acme.Twice' USING JAR '/f/acme.jar'");
        sql("drop function twice").ok("DROP FUNCTION `twice`");
        sql("drop function if exists twice").ok("DROP FUNCTION IF EXISTS `twice`");
        sql("show functions like 'tw%'").ok("SHOW FUNCTIONS LIKE 'tw%'");
        sql("create function twice as 'acme.Twice' using ^'f.jar'^").fails("(?s)Encountered .* at line 1, column 45.*\"JAR\".*");
        sql("select jar, functions from t").ok("SELECT `jar`, `functions`\nFROM `t`");
    }

    @Test
    void grantAndRevoke() {
        sql("grant select on stream bids to bob").ok("GRANT SELECT ON STREAM `bids` TO `bob`");
        sql("grant select, insert on table t to bob").ok("GRANT SELECT, INSERT ON TABLE `t` TO `bob`");
        sql("grant all privileges on materialized view mv to bob").ok("GRANT ALL ON MATERIALIZED VIEW `mv` TO `bob`");
        sql("grant all on stream s to bob").ok("GRANT ALL ON STREAM `s` TO `bob`");
        sql("grant create to bob").ok("GRANT CREATE TO `bob`");
        sql("grant usage on connector file to bob").ok("GRANT USAGE ON CONNECTOR `file` TO `bob`");
        sql("grant usage on connector 'jdbc' to bob").ok("GRANT USAGE ON CONNECTOR `jdbc` TO `bob`");
        sql("revoke insert on stream s from bob").ok("REVOKE INSERT ON STREAM `s` FROM `bob`");
        sql("revoke create from bob").ok("REVOKE CREATE FROM `bob`");
        sql("show grants").ok("SHOW GRANTS");
        sql("show grants for bob").ok("SHOW GRANTS FOR `bob`");
        sql("grant select on stream s ^from^ bob").fails("(?s)Encountered \"from\" at line 1, column 26.*");
        sql("select grants from t").ok("SELECT `grants`\nFROM `t`");
    }

    @Test
    void userAndTokenWordsAreNotReserved() {
        sql("select password, token, tokens, users, noadmin, admin from t")
                .ok("SELECT `password`, `token`, `tokens`, `users`, `noadmin`, `admin`\nFROM `t`");
    }

    @Test
    void userOptionsAreGivenOnce() {
        sql("create user bob with password 'a' ^password^ 'b'")
                .fails("PASSWORD is given twice, or ADMIN with NOADMIN; give each option once");
        sql("alter user bob admin ^noadmin^")
                .fails("NOADMIN is given twice, or ADMIN with NOADMIN; give each option once");
        sql("^create^ or replace user bob password 'x'")
                .fails("CREATE OR REPLACE USER is not supported: ALTER USER changes a user");
    }

    @Test
    void showErrorsNameWhatCanBeShown() {
        sql("show ^foo^").fails("Cannot SHOW 'foo'; use one of: STREAMS, TABLES, VIEWS, "
                + "MATERIALIZED VIEWS, QUERIES, CONNECTORS, FORMATS, USERS, TOKENS, FUNCTIONS, GRANTS");
        sql("show materialized ^foo^").fails("(?s)Encountered \"foo\" at line 1, column 19.*");
        sql("show streams like ^x^").fails("(?s)Encountered \"x\" at line 1, column 19.*");
    }

    // DESCRIBE

    @Test
    void describeObjects() {
        sql("describe s").ok("DESCRIBE `s`");
        sql("desc s").ok("DESCRIBE `s`");
        sql("describe stream s").ok("DESCRIBE STREAM `s`");
        sql("describe table t").ok("DESCRIBE TABLE `t`");
        sql("describe view v").ok("DESCRIBE VIEW `v`");
        sql("describe materialized view mv").ok("DESCRIBE MATERIALIZED VIEW `mv`");
        sql("describe connector 'kafka'").ok("DESCRIBE CONNECTOR 'kafka'");
    }

    @Test
    void describeKeywordsAloneAreNames() {
        sql("describe view").ok("DESCRIBE `view`");
        sql("describe connector").ok("DESCRIBE `connector`");
        sql("describe materialized").ok("DESCRIBE `materialized`");
    }

    @Test
    void calciteDescribeFormsKeepTheirMeaning() {
        sql("describe schema x").ok("DESCRIBE SCHEMA `x`");
        sql("describe database x").ok("DESCRIBE SCHEMA `x`");
        sql("describe t col").ok("DESCRIBE TABLE `t` `col`");
        sql("describe table t col").ok("DESCRIBE TABLE `t` `col`");
        sql("describe statement select 1")
                .ok("EXPLAIN PLAN INCLUDING ATTRIBUTES WITH IMPLEMENTATION FOR\nSELECT 1");
        sql("describe select 1")
                .ok("EXPLAIN PLAN INCLUDING ATTRIBUTES WITH IMPLEMENTATION FOR\nSELECT 1");
    }

    // SET, RESET, STOP QUERY

    @Test
    void setProperty() {
        sql("set 'a.b' = 'c'").ok("SET 'a.b' = 'c'");
        sql("set 'parallelism' = 4").ok("SET 'parallelism' = '4'");
        sql("set 'x' = true").ok("SET 'x' = 'true'");
        sql("set").ok("SET");
        sql("set 'a' = ^b^").fails("(?s).*Encountered \"b\" at line 1, column 11.*");
    }

    @Test
    void resetProperty() {
        sql("reset 'k'").ok("RESET 'k'");
        sql("reset").ok("RESET");
    }

    @Test
    void calciteSetOptionKeepsItsMeaning() {
        sql("set x = 1").ok("SET `x` = 1");
        sql("alter session set x = 1").ok("ALTER SESSION SET `x` = 1");
        sql("reset all").ok("RESET `ALL`");
        sql("reset x").ok("RESET `x`");
    }

    @Test
    void stopQuery() {
        sql("stop query 'q-1'").ok("STOP QUERY 'q-1'");
        sql("stop query q1").ok("STOP QUERY 'q1'");
        sql("stop query 42").ok("STOP QUERY '42'");
    }

    // Calcite's streaming syntax, with Weir's lexical settings

    @Test
    void streamingQueriesStillParse() {
        sql("select stream * from s").ok("SELECT STREAM *\nFROM `s`");
        sql("select * from table(tumble(table s, descriptor(ts), interval '1' minute))")
                .ok("SELECT *\nFROM TABLE(TUMBLE((TABLE `s`), DESCRIPTOR(`ts`), "
                        + "INTERVAL '1' MINUTE))");
        sql("select * from table(hop(table s, descriptor(ts), interval '1' minute,"
                + " interval '5' minute))")
                .ok("SELECT *\nFROM TABLE(HOP((TABLE `s`), DESCRIPTOR(`ts`), "
                        + "INTERVAL '1' MINUTE, INTERVAL '5' MINUTE))");
        sql("select * from table(session(table s partition by k, descriptor(ts),"
                + " interval '1' minute))")
                .ok("SELECT *\nFROM TABLE(SESSION((TABLE `s`) PARTITION BY `k`, "
                        + "DESCRIPTOR(`ts`), INTERVAL '1' MINUTE))");
        sql("select * from table(cumulate(table s, descriptor(ts), interval '1' minute,"
                + " interval '1' hour))")
                .ok("SELECT *\nFROM TABLE(`cumulate`((TABLE `s`), DESCRIPTOR(`ts`), "
                        + "INTERVAL '1' MINUTE, INTERVAL '1' HOUR))");
        sql("insert into sink select * from s").ok("INSERT INTO `sink`\nSELECT *\nFROM `s`");
        sql("explain plan for select * from s")
                .ok("EXPLAIN PLAN INCLUDING ATTRIBUTES WITH IMPLEMENTATION FOR\nSELECT *\n"
                        + "FROM `s`");
    }

    @Test
    void streamStaysReservedAsInCalcite() {
        sql("select \"stream\" from s").ok("SELECT `stream`\nFROM `s`");
        sql("create stream s (^stream^ int)")
                .fails("(?s).*Encountered \"stream\" at line 1, column 18.*");
    }
}
