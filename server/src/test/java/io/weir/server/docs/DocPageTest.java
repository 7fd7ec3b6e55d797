package io.weir.server.docs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How the docs test reads pages, markers and SQL blocks. */
class DocPageTest {
    @TempDir
    Path temp;

    private DocPage read(String markdown) throws IOException {
        Path file = temp.resolve("page.md");
        Files.writeString(file, markdown);
        return DocPage.read(file);
    }

    @Test
    void blocksKeepTheirMarkersAndSetupStepsStandWhereTheyAre() throws IOException {
        DocPage page = read("""
                # Title

                <!-- docs-test: setup sql
                CREATE STREAM s (a INT) WITH ('connector' = 'datagen');
                -->
                Text.

                <!-- docs-test: replace x with ${port:a} -->
                <!-- docs-test: expect
                1: rows 2
                2: error 42S02 does not exist
                -->
                ```sql
                SELECT 1;
                ```

                - a list item:

                  <!-- docs-test: skip needs a broker -->
                  ```bash
                  echo hi
                  ```
                """);
        assertThat(page.steps()).hasSize(3);
        DocPage.Setup setup = (DocPage.Setup) page.steps().get(0);
        assertThat(setup.kind()).isEqualTo("sql");
        assertThat(setup.body()).contains("CREATE STREAM s");
        DocPage.Block sql = page.blocks().get(0);
        assertThat(sql.language()).isEqualTo("sql");
        assertThat(sql.line()).isEqualTo(13);
        assertThat(sql.text()).isEqualTo("SELECT 1;\n");
        assertThat(sql.markers("replace").get(0).argument()).isEqualTo("x with ${port:a}");
        DocExpectations expectations = DocExpectations.parse(sql.markers("expect").get(0).content());
        assertThat(expectations.of(1)).containsExactly(new DocExpectations.RowCount(2, false));
        assertThat(expectations.of(2)).containsExactly(new DocExpectations.Error("42S02", "does not exist"));
        DocPage.Block indented = page.blocks().get(1);
        assertThat(indented.text()).isEqualTo("echo hi\n");
        assertThat(indented.markers("skip").get(0).argument()).isEqualTo("needs a broker");
    }

    @Test
    void anExpectationFitsOnTheMarkersLine() throws IOException {
        DocPage page = read("""
                <!-- docs-test: expect 1: rows >= 1 -->
                ```sql
                SELECT STREAM * FROM s;
                ```
                """);
        assertThat(DocExpectations.parse(page.blocks().get(0).markers("expect").get(0).content()).of(1))
                .containsExactly(new DocExpectations.RowCount(1, true));
    }

    @Test
    void aMarkerMustStandRightBeforeItsBlock() {
        assertThatThrownBy(() -> read("""
                <!-- docs-test: skip reason -->
                Some text in between.

                ```sql
                SELECT 1;
                ```
                """)).hasMessageContaining("right before a code block");
        assertThatThrownBy(() -> read("""
                ```sql
                SELECT 1;
                ```
                <!-- docs-test: skip reason -->
                """)).hasMessageContaining("after the last code block");
        assertThatThrownBy(() -> read("""
                ```sql
                SELECT 1;
                """)).hasMessageContaining("without its closing");
        assertThatThrownBy(() -> read("""
                <!-- docs-test: expekt 1: rows 2 -->
                ```sql
                SELECT 1;
                ```
                """)).hasMessageContaining("unknown docs-test marker 'expekt'");
    }

    @Test
    void expectationsNeedAKnownKind() {
        assertThatThrownBy(() -> DocExpectations.parse("1: maybe something")).hasMessageContaining("unknown expectation");
        assertThatThrownBy(() -> DocExpectations.parse("rows 2")).hasMessageContaining("N: kind argument");
        DocExpectations parsed = DocExpectations.parse("1: rows >= 3\n1: row a | null\n1: contains x\n1: columns a, b");
        assertThat(parsed.rowsNeeded(1)).isEqualTo(3);
        assertThat(parsed.metBy(1, List.of(List.of("a", "null"), List.of("x1", "b"), List.of("c", "d")))).isTrue();
        assertThat(parsed.metBy(1, List.of(List.of("a", "null"), List.of("x1", "b")))).isFalse();
    }

    @Test
    void sqlSplitsAtSemicolonsOutsideQuotesAndComments() {
        List<SqlScript.Statement> statements = SqlScript.split("""
                -- a comment; not a statement
                SELECT 'a;b' AS "x;y";   -- trailing; comment

                /* block; comment */ SELECT
                  2;
                SELECT STREAM * FROM s
                """);
        assertThat(statements).extracting(SqlScript.Statement::sql).containsExactly(
                "SELECT 'a;b' AS \"x;y\"", "SELECT\n  2", "SELECT STREAM * FROM s");
        assertThat(statements).extracting(SqlScript.Statement::line).containsExactly(2, 4, 6);
        assertThat(statements).extracting(SqlScript.Statement::continuous).containsExactly(false, false, true);
        assertThat(SqlScript.split("SELECT 'it''s; fine' FROM t")).extracting(SqlScript.Statement::sql)
                .containsExactly("SELECT 'it''s; fine' FROM t");
    }
}
