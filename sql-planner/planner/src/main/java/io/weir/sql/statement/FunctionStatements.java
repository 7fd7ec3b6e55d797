package io.weir.sql.statement;

import io.weir.engine.exec.RunningQueries;
import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.type.DataType;
import io.weir.sql.catalog.Catalog;
import io.weir.sql.catalog.CatalogObject;
import io.weir.sql.catalog.ObjectType;
import io.weir.sql.ddl.DdlExecutor;
import io.weir.sql.parser.WeirSqlParser;
import io.weir.sql.parser.ddl.SqlCreateFunction;
import io.weir.sql.parser.ddl.SqlDropObject;
import io.weir.sql.parser.ddl.SqlEmit;
import io.weir.sql.udf.UserFunctions;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlFunction;
import org.apache.calcite.sql.util.SqlBasicVisitor;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * CREATE FUNCTION, DROP FUNCTION and SHOW FUNCTIONS. A function that views, materialized views or running
 * queries call is neither dropped nor replaced (SQLSTATE 2BP01, naming them), as catalog objects with
 * dependants are not: what calls it is found in their SQL, so that a view created before the function
 * was replaced never silently calls other code.
 */
final class FunctionStatements {
    private static final DataType TEXT = DataType.varchar();
    private static final DataType TEXT_NOT_NULL = DataType.varchar().withNullable(false);
    /** What SHOW FUNCTIONS answers. */
    static final List<ResultColumn> SHOW_COLUMNS = List.of(new ResultColumn("name", TEXT_NOT_NULL),
            new ResultColumn("kind", TEXT_NOT_NULL), new ResultColumn("signatures", TEXT),
            new ResultColumn("class_name", TEXT), new ResultColumn("jar", TEXT), new ResultColumn("error", TEXT));

    private final UserFunctions functions;
    private final Catalog catalog;
    private final RunningQueries runningQueries;

    FunctionStatements(UserFunctions functions, Catalog catalog, RunningQueries runningQueries) {
        this.functions = requireNonNull(functions, "functions is null");
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.runningQueries = requireNonNull(runningQueries, "runningQueries is null");
    }

    StatementResult create(SqlCreateFunction create, String sql) {
        String name = DdlExecutor.objectName(create.name());
        try {
            boolean created = catalog.exclusive(() -> {
                if (create.replace() && !create.ifNotExists() && functions.get(name).isPresent()) {
                    refuseIfCalled(name, "replace");
                }
                return functions.create(name, create.className(), create.jar(), sql.strip(), create.replace(),
                        create.ifNotExists());
            });
            return new StatementResult.UpdateCount(0, "Function '" + name + (created ? "' created" : "' already exists"));
        } catch (WeirException e) {
            if (e.position().isPresent()) {
                throw e;
            }
            var position = e.rawMessage().contains(create.className()) ? create.classNamePosition()
                    : e.errorCode() == ErrorCode.INVALID_FUNCTION || e.errorCode() == ErrorCode.INSUFFICIENT_PRIVILEGE
                    ? create.jarPosition() : create.name().getParserPosition();
            throw new WeirException(e.errorCode(), SqlErrors.position(position), e.rawMessage(), e);
        }
    }

    StatementResult drop(SqlDropObject drop) {
        String name = DdlExecutor.objectName(drop.name());
        try {
            boolean dropped = catalog.exclusive(() -> {
                if (functions.get(name).isPresent()) {
                    refuseIfCalled(name, "drop");
                }
                return functions.drop(name, drop.ifExists());
            });
            return new StatementResult.UpdateCount(0, dropped ? "Dropped function '" + name + "'"
                    : "Function '" + name + "' does not exist");
        } catch (WeirException e) {
            throw new WeirException(e.errorCode(), SqlErrors.position(drop.name().getParserPosition()), e.rawMessage(), e);
        }
    }

    /** Refuses to drop or replace function {@code name} while views or running queries call it. */
    private void refuseIfCalled(String name, String verb) {
        List<String> callers = new ArrayList<>();
        for (CatalogObject object : catalog.list()) {
            if ((object.type() == ObjectType.VIEW || object.type() == ObjectType.MATERIALIZED_VIEW) && calls(object.ddl(), name)) {
                callers.add(object.type().displayName() + " '" + object.name() + "'");
            }
        }
        for (RunningQueries.QueryInfo query : runningQueries.list()) {
            if (!query.id().startsWith(StatementExecutor.viewQueryId("")) && calls(query.sql(), name)) {
                callers.add(Dependants.describe(query));
            }
        }
        if (!callers.isEmpty()) {
            throw new WeirException(ErrorCode.DEPENDENT_OBJECTS_EXIST, "Cannot " + verb + " function '" + name + "': "
                    + String.join(", ", callers) + (callers.size() == 1 ? " calls" : " call") + " it. Drop or stop "
                    + (callers.size() == 1 ? "it" : "them") + " first (DROP VIEW, DROP MATERIALIZED VIEW, STOP QUERY 'id')"
                    + (verb.equals("replace") ? ", then replace the function and create them again" : ""));
        }
    }

    /** Whether statement {@code sql} calls a function named {@code name} (ignoring case). */
    static boolean calls(String sql, String name) {
        if (!sql.toLowerCase(Locale.ROOT).contains(name.toLowerCase(Locale.ROOT))) {
            return false;
        }
        try {
            boolean[] found = {false};
            SqlEmit.unwrap(WeirSqlParser.parseStatement(sql)).accept(new SqlBasicVisitor<Void>() {
                @Override
                public Void visit(SqlCall call) {
                    if (call.getOperator() instanceof SqlFunction function && function.getName().equalsIgnoreCase(name)) {
                        found[0] = true;
                    }
                    return super.visit(call);
                }
            });
            return found[0];
        } catch (RuntimeException e) {
            return true; // cannot tell: the safe answer keeps the function
        }
    }

    /** The built-in functions, then the user-defined ones; with a LIKE pattern, those whose names match. */
    StatementResult show(String likePattern) {
        Pattern like = likePattern == null ? null : CatalogListing.likeToRegex(likePattern);
        List<Object[]> rows = new ArrayList<>();
        for (String builtIn : UserFunctions.builtInNames()) {
            if (like == null || like.matcher(builtIn).matches()) {
                rows.add(new Object[] {builtIn, "BUILT-IN", null, null, null, null});
            }
        }
        for (UserFunctions.Registered function : functions.list()) {
            if (like == null || like.matcher(function.definition().name()).matches()) {
                rows.add(new Object[] {function.definition().name(), function.kind(),
                        function.loaded() ? String.join("; ", function.signatures()) : null,
                        function.definition().className(), function.definition().jar(), function.error().orElse(null)});
            }
        }
        return StatementResult.Rows.of(SHOW_COLUMNS, rows);
    }
}
