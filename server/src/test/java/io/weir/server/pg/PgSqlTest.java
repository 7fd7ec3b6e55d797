package io.weir.server.pg;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

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
