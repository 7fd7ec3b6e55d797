package io.weir.sql.parser.ddl;

import java.util.List;

import org.apache.calcite.sql.SqlCharStringLiteral;
import org.apache.calcite.sql.SqlCreate;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;

import static java.util.Objects.requireNonNull;

/**
 * {@code CREATE [OR REPLACE] FUNCTION [IF NOT EXISTS] name AS 'com.acme.Fn' USING JAR 'file:...'}: a
 * user-defined function, the public {@code eval} methods of a class in a jar.
 */
public final class SqlCreateFunction extends SqlCreate {
    private static final SqlOperator OPERATOR = new DdlOperator("CREATE FUNCTION", SqlKind.CREATE_FUNCTION,
            (pos, o) -> new SqlCreateFunction(pos, o.bool(3), o.bool(4), o.identifier(0),
                    (SqlCharStringLiteral) o.node(1), (SqlCharStringLiteral) o.node(2)));

    private final SqlIdentifier name;
    private final SqlCharStringLiteral className;
    private final SqlCharStringLiteral jar;

    public SqlCreateFunction(SqlParserPos pos, boolean replace, boolean ifNotExists, SqlIdentifier name,
                             SqlCharStringLiteral className, SqlCharStringLiteral jar) {
        super(OPERATOR, pos, replace, ifNotExists);
        this.name = requireNonNull(name, "name is null");
        this.className = requireNonNull(className, "className is null");
        this.jar = requireNonNull(jar, "jar is null");
    }

    public SqlIdentifier name() {
        return name;
    }

    /** The class's binary name, as written. */
    public String className() {
        return className.getValueAs(String.class);
    }

    public SqlParserPos classNamePosition() {
        return className.getParserPosition();
    }

    /** The jar's location, as written: a {@code file:} URI or a path. */
    public String jar() {
        return jar.getValueAs(String.class);
    }

    public SqlParserPos jarPosition() {
        return jar.getParserPosition();
    }

    public boolean replace() {
        return getReplace();
    }

    public boolean ifNotExists() {
        return ifNotExists;
    }

    @Override
    public List<SqlNode> getOperandList() {
        return List.of(name, className, jar, DdlOperator.bool(getReplace()), DdlOperator.bool(ifNotExists));
    }

    @Override
    public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
        writer.keyword(getReplace() ? "CREATE OR REPLACE FUNCTION" : "CREATE FUNCTION");
        if (ifNotExists) {
            writer.keyword("IF NOT EXISTS");
        }
        name.unparse(writer, 0, 0);
        writer.keyword("AS");
        className.unparse(writer, 0, 0);
        writer.keyword("USING JAR");
        jar.unparse(writer, 0, 0);
    }
}
