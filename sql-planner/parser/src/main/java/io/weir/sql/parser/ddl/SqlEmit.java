package io.weir.sql.parser.ddl;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.SqlTypeFamily;

import static java.util.Objects.requireNonNull;

/**
 * A statement with an EMIT clause at its end: {@code SELECT STREAM ... EMIT EVERY INTERVAL '5' SECOND}
 * (a window's current value is sent as an update every so often of processing time while it is open,
 * then its final value) or {@code EMIT AFTER WATERMARK} (only final rows, once the watermark passes a
 * window's end: the default of continuous queries). The clause follows a query, an INSERT INTO or a
 * CREATE MATERIALIZED VIEW; the planner says where it does not apply.
 */
public final class SqlEmit extends SqlCall {
    private static final SqlOperator OPERATOR = new DdlOperator("EMIT", SqlKind.OTHER,
            (pos, o) -> new SqlEmit(pos, o.node(0), (SqlLiteral) o.node(1)));

    private final SqlNode statement;
    private final SqlLiteral interval;

    /** @param interval the interval of EMIT EVERY; null for EMIT AFTER WATERMARK */
    public SqlEmit(SqlParserPos pos, SqlNode statement, SqlLiteral interval) {
        super(pos);
        this.statement = requireNonNull(statement, "statement is null");
        this.interval = interval;
    }

    /** The statement the clause follows. */
    public SqlNode statement() {
        return statement;
    }

    /** The statement without its EMIT clause, if it has one. */
    public static SqlNode unwrap(SqlNode node) {
        return node instanceof SqlEmit emit ? emit.statement : node;
    }

    /**
     * EMIT EVERY's interval; empty for EMIT AFTER WATERMARK.
     *
     * @throws IllegalArgumentException for an interval of months or years, or of no time at all
     */
    public Optional<Duration> every() {
        if (interval == null) {
            return Optional.empty();
        }
        if (interval.getTypeName().getFamily() != SqlTypeFamily.INTERVAL_DAY_TIME) {
            throw new IllegalArgumentException("EMIT EVERY takes an interval of seconds, minutes or hours, e.g."
                    + " INTERVAL '5' SECOND; not of months or years");
        }
        long millis = requireNonNull(interval.getValueAs(Long.class), "interval");
        if (millis <= 0) {
            throw new IllegalArgumentException("EMIT EVERY takes an interval of at least 1 millisecond, not " + millis + " ms");
        }
        return Optional.of(Duration.ofMillis(millis));
    }

    /** Where the EMIT clause starts in the statement. */
    public SqlParserPos clausePosition() {
        return getParserPosition();
    }

    @Override
    public SqlOperator getOperator() {
        return OPERATOR;
    }

    @Override
    public List<SqlNode> getOperandList() {
        return Arrays.asList(statement, interval);
    }

    @Override
    public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
        statement.unparse(writer, leftPrec, rightPrec);
        writer.keyword("EMIT");
        if (interval == null) {
            writer.keyword("AFTER WATERMARK");
        } else {
            writer.keyword("EVERY");
            interval.unparse(writer, 0, 0);
        }
    }
}
