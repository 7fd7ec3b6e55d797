package io.weir.sql.parser.ddl;

import java.util.Arrays;
import java.util.List;

import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlCharStringLiteral;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.parser.SqlParserPos;

import static java.util.Objects.requireNonNull;

/**
 * The operator of one of Weir's statement nodes. {@link #createCall} rebuilds the node from its
 * operand list, so that {@code SqlNode.clone} and {@code SqlShuttle} rewrites keep the node's class
 * (Calcite's default would make a {@code SqlBasicCall} that cannot unparse).
 */
final class DdlOperator extends SqlSpecialOperator {
    /** Builds a node from the operands its {@code getOperandList()} returns. */
    @FunctionalInterface
    interface Factory {
        SqlCall create(SqlParserPos pos, Operands operands);
    }

    private final Factory factory;

    DdlOperator(String name, SqlKind kind, Factory factory) {
        super(name, kind);
        this.factory = requireNonNull(factory, "factory is null");
    }

    @Override
    public SqlCall createCall(SqlLiteral functionQuantifier, SqlParserPos pos,
            SqlNode... operands) {
        return factory.create(pos, new Operands(Arrays.asList(operands)));
    }

    /** Typed access to an operand list; the casts hold for lists the nodes themselves produce. */
    record Operands(List<SqlNode> nodes) {
        SqlIdentifier identifier(int i) {
            return (SqlIdentifier) nodes.get(i);
        }

        SqlNodeList list(int i) {
            return (SqlNodeList) nodes.get(i);
        }

        SqlDataTypeSpec type(int i) {
            return (SqlDataTypeSpec) nodes.get(i);
        }

        SqlCharStringLiteral string(int i) {
            return (SqlCharStringLiteral) nodes.get(i);
        }

        SqlNode node(int i) {
            return nodes.get(i);
        }

        boolean bool(int i) {
            return ((SqlLiteral) nodes.get(i)).booleanValue();
        }

        <E extends Enum<E>> E symbol(int i, Class<E> type) {
            SqlNode node = nodes.get(i);
            return node == null ? null : ((SqlLiteral) node).getValueAs(type);
        }
    }

    static SqlLiteral bool(boolean value) {
        return SqlLiteral.createBoolean(value, SqlParserPos.ZERO);
    }

    static SqlLiteral symbol(Enum<?> value) {
        return value == null ? null : SqlLiteral.createSymbol(value, SqlParserPos.ZERO);
    }
}
