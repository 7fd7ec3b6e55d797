package io.weir.server.pg;

import io.weir.spi.ErrorCode;
import io.weir.spi.SqlPosition;
import io.weir.spi.WeirException;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** PostgreSQL's lexical forms that the endpoint translates before Weir parses a statement. */
class PgSqlTest {
    @Test
    void splitsScriptsOutsideQuotesAndComments() {
        List<PgSql.Piece> pieces = PgSql.split("SELECT ';' AS a; -- c;\n SELECT \"x;y\" FROM t /* ; */ ;; ");
        assertThat(pieces).extracting(PgSql.Piece::text).containsExactly("SELECT ';' AS a", "-- c;\n SELECT \"x;y\" FROM t /* ; */");
        assertThat(pieces.get(1).offset()).isEqualTo(17);
        assertThat(PgSql.split(" ; -- nothing\n")).isEmpty();
    }

    @Test
    void translatesParametersWithAndWithoutTheirTypes() {
        PgSql.Translation translation = PgSql.translate("SELECT $2, x FROM t WHERE y = $1 AND z = '$1'", Arrays.asList("INTEGER", null));
        assertThat(translation.sql()).isEqualTo("SELECT ?, x FROM t WHERE y = CAST(? AS INTEGER) AND z = '$1'");
        assertThat(translation.parameters()).containsExactly(2, 1);
    }

    @Test
    void translatesCastsAndRegularExpressionOperators() {
        assertThat(PgSql.translate("SELECT '1'::int4 + a.b::pg_catalog.text, f(x)::varchar(10), 'pg_class'::regclass", List.of()).sql())
                .isEqualTo("SELECT CAST('1' AS INTEGER) + CAST(a.b AS VARCHAR), CAST(f(x) AS VARCHAR(10)),"
                        + " pg_catalog.regclass_oid(CAST('pg_class' AS VARCHAR))");
        assertThat(PgSql.translate("WHERE n.nspname !~ '^pg_' AND c.relname OPERATOR(pg_catalog.~) '^(t)$' COLLATE pg_catalog.default",
                List.of()).sql())
                .isEqualTo("WHERE NOT pg_catalog.regexp_match_op(n.nspname , '^pg_', '') AND"
                        + " pg_catalog.regexp_match_op(c.relname , '^(t)$', '')  ");
        assertThat(PgSql.translate("SELECT E'a\\nb', current_user, current_schema()", List.of(), "bob").sql())
                .isEqualTo("SELECT 'a\nb', 'bob', pg_catalog.pg_current_schema()");
    }

    @Test
    void translatesPostgresSpellingsWeirsGrammarLacks() {
        // != for <>; reserved words as aliases (quoted, folded to lower case), but not as CAST's types or before a query
        assertThat(PgSql.translate("SELECT ts AS Time, CAST(x AS TIME) AS t, d AS DEFAULT FROM v WHERE a != 'b!=c'", List.of()).sql())
                .isEqualTo("SELECT ts AS \"time\", CAST(x AS TIME) AS t, d AS \"default\" FROM v WHERE a <> 'b!=c'");
        assertThat(PgSql.translate("CREATE VIEW v AS SELECT 1", List.of()).sql()).isEqualTo("CREATE VIEW v AS SELECT 1");
        // pg_catalog's relations are found without their schema, as on PostgreSQL's search path
        assertThat(PgSql.translate("SELECT t.oid FROM pg_type t, pg_namespace n JOIN pg_class c ON true WHERE pg_type.x = 1", List.of()).sql())
                .isEqualTo("SELECT t.oid FROM pg_catalog.pg_type t, pg_catalog.pg_namespace n JOIN pg_catalog.pg_class c ON true"
                        + " WHERE pg_type.x = 1");
    }

    @Test
    void translatesPostgresqlsIntervalLiteralsAndCasts() {
        assertThat(PgSql.translate("SELECT now() - '5 minutes'::interval, interval '1 day 02:00:00', '@ 90 mins ago'::INTERVAL,"
                + " INTERVAL '1 year 2 months', '-PT0.5S'::pg_catalog.interval, x::interval, $1::interval, INTERVAL '5' MINUTE,"
                + " interval '2' day", List.of()).sql())
                .isEqualTo("SELECT now() - INTERVAL '0 00:05:00.000' DAY(9) TO SECOND(3), INTERVAL '1 02:00:00.000' DAY(9) TO SECOND(3),"
                        + " INTERVAL '-0 01:30:00.000' DAY(9) TO SECOND(3), INTERVAL '1-02' YEAR(9) TO MONTH,"
                        + " INTERVAL '-0 00:00:00.500' DAY(9) TO SECOND(3), CAST(x AS INTERVAL DAY(9) TO SECOND(3)),"
                        + " CAST(? AS INTERVAL DAY(9) TO SECOND(3)), INTERVAL '5' MINUTE, interval '2' day");
        assertThat(PgSql.translate("SELECT interval '5 minutes'::interval, TIMESTAMP '2024-05-01 10:00:00'::timestamp,"
                + " '2024-05-01T10:00:00Z'::timestamp - '1h'::interval, DATE '2024-05-01'::text", List.of()).sql())
                .isEqualTo("SELECT INTERVAL '0 00:05:00.000' DAY(9) TO SECOND(3), CAST(TIMESTAMP '2024-05-01 10:00:00' AS TIMESTAMP),"
                        + " CAST(TIMESTAMP '2024-05-01 10:00:00' AS TIMESTAMP) - INTERVAL '0 01:00:00.000' DAY(9) TO SECOND(3),"
                        + " CAST(DATE '2024-05-01' AS VARCHAR)");
        assertThat(PgSql.translate("SELECT CAST('1 day' AS interval), CAST(x AS INTERVAL), cast( $1 as interval )", List.of()).sql())
                .isEqualTo("SELECT INTERVAL '1 00:00:00.000' DAY(9) TO SECOND(3), CAST(x AS INTERVAL DAY(9) TO SECOND(3)),"
                        + " cast( ? as INTERVAL DAY(9) TO SECOND(3) )");
        // Grafana's $__interval, as it writes it into a query
        assertThat(PgSql.translate("SELECT ts > now() - '5m'::interval AND ts > now() - '1h'::interval AND d < '100ms'::interval"
                + " AND d < '1d'::interval", List.of()).sql())
                .isEqualTo("SELECT ts > now() - INTERVAL '0 00:05:00.000' DAY(9) TO SECOND(3) AND ts > now() - INTERVAL"
                        + " '0 01:00:00.000' DAY(9) TO SECOND(3) AND d < INTERVAL '0 00:00:00.100' DAY(9) TO SECOND(3)"
                        + " AND d < INTERVAL '1 00:00:00.000' DAY(9) TO SECOND(3)");
        assertThatThrownBy(() -> PgSql.translate("SELECT 1,\n  '1 mon 2 days'::interval", List.of()))
                .isInstanceOfSatisfying(WeirException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_INTERVAL);
                    assertThat(e.position()).contains(new SqlPosition(2, 3));
                    assertThat(e.getMessage()).contains("'1 mon 2 days' mixes months with days or time");
                });
    }

    @Test
    void pgjdbcsKeyAndIndexQueriesAreAnsweredFromWhatWeirHas() {
        String primaryKeys = "SELECT result.TABLE_CAT FROM (SELECT (information_schema._pg_expandarray(con.conkey)).n AS KEY_SEQ"
                + " FROM pg_catalog.pg_constraint con JOIN pg_catalog.pg_class ct ON (con.conrelid = ct.oid) WHERE con.contype = 'p'"
                + " AND n.nspname = $1 AND ct.relname = $2 ) result";
        assertThat(PgDriverQueries.rewrite(primaryKeys)).contains("FROM information_schema.key_column_usage k")
                .contains("AND k.table_schema = $1 AND k.table_name = $2");
        assertThat(PgDriverQueries.rewrite("SELECT 1 AS \"FKTABLE_CAT\" FROM pg_catalog.pg_constraint con WHERE x = $1"))
                .startsWith("SELECT CAST(NULL AS VARCHAR) AS \"PKTABLE_CAT\"").endsWith("AND CAST($1 AS VARCHAR) IS NOT NULL");
        // a scalar subquery over a relation Weir does not have is NULL; a top-level read of one has no rows
        assertThat(PgDriverQueries.rewrite("SELECT a, (SELECT s.x FROM pg_catalog.pg_sequence s JOIN c ON true) AS i FROM t"))
                .isEqualTo("SELECT a, NULL AS i FROM t");
        assertThat(PgAbsentCatalog.readsNothing("SELECT a FROM pg_class t join pg_index ix on t.oid = ix.indrelid")).isTrue();
        assertThat(PgAbsentCatalog.readsNothing("SELECT a FROM pg_class t left outer join pg_index ix on true")).isFalse();
        assertThat(PgAbsentCatalog.readsNothing("SELECT a FROM (SELECT 1 FROM pg_index) x")).isFalse();
    }

    @Test
    void sessionSettingsAndLiteralIdentifiersAreFoldedIn() {
        java.util.function.Function<String, String> settings = Map.of("search_path", "\"$user\", weir", "session_authorization", "ann",
                "server_version_num", "150000")::get;
        assertThat(PgDriverQueries.rewrite("SELECT current_setting('server_version_num')::int / 100, current_setting('nope')", settings))
                .isEqualTo("SELECT '150000'::int / 100, current_setting('nope')");
        assertThat(PgDriverQueries.rewrite("WHERE array_length(parse_ident('a.\"B c\"'),1) = 2 AND x = (parse_ident('A.b'))[1]"
                + " AND y = (parse_ident('a'))[2]", settings)).isEqualTo("WHERE 2 = 2 AND x = 'a' AND y = NULL");
        assertThat(PgDriverQueries.rewrite("s IN (SELECT CASE WHEN trim(s[i]) = '\"$user\"' THEN user ELSE trim(s[i]) END FROM"
                + " generate_series(1, 2) as i, string_to_array(current_setting('search_path'),',') s)", settings))
                .isEqualTo("s IN ('ann', 'weir')");
    }

    @Test
    void isoInstantsAreUtcTimestamps() {
        assertThat(PgSql.translate("WHERE \"time\" BETWEEN '2024-05-01T09:00:00Z' AND '2024-05-01T11:00:00.5Z'", List.of()).sql())
                .isEqualTo("WHERE \"time\" BETWEEN TIMESTAMP '2024-05-01 09:00:00' AND TIMESTAMP '2024-05-01 11:00:00.5'");
    }

    @Test
    void mapsPositionsBackToTheClientsText() {
        PgSql.Translation translation = PgSql.translate("SELECT $1 FROM nowhere", List.of("INTEGER"));
        int index = translation.sql().indexOf("nowhere");
        assertThat(translation.source(index)).isEqualTo("SELECT $1 FROM nowhere".indexOf("nowhere"));
    }
}
