package io.weir.sql.udf;

import io.weir.sql.schema.WeirSchema;

import java.sql.DatabaseMetaData;
import java.util.ArrayList;
import java.util.List;

/**
 * The functions as JDBC's {@code DatabaseMetaData.getFunctions} lists them (its columns, in order): the
 * built-in functions without a schema, as the SQL standard's, then the user-defined ones in schema
 * {@value WeirSchema#NAME}, one row per overload with its signature as SPECIFIC_NAME. What
 * {@code sys.functions} holds and the server's JDBC metadata answers.
 */
public final class FunctionListing {
    /** FUNCTION_CAT, FUNCTION_SCHEM, FUNCTION_NAME, REMARKS, FUNCTION_TYPE, SPECIFIC_NAME. */
    public static final List<String> COLUMNS = List.of("FUNCTION_CAT", "FUNCTION_SCHEM", "FUNCTION_NAME", "REMARKS",
            "FUNCTION_TYPE", "SPECIFIC_NAME");

    private FunctionListing() {
    }

    public static List<Object[]> rows(UserFunctions functions) {
        short type = (short) DatabaseMetaData.functionNoTable;
        List<Object[]> rows = new ArrayList<>();
        for (String builtIn : UserFunctions.builtInNames()) {
            rows.add(new Object[] {null, null, builtIn, "built-in", type, builtIn});
        }
        for (UserFunctions.Registered function : functions.list()) {
            String name = function.definition().name();
            String remarks = "user-defined " + function.kind().toLowerCase(java.util.Locale.ROOT) + " function "
                    + function.definition().className() + " from " + function.definition().jar()
                    + function.error().map(error -> " (not loaded: " + error + ")").orElse("");
            if (function.signatures().isEmpty()) {
                rows.add(new Object[] {null, WeirSchema.NAME, name, remarks, type, name});
            }
            for (String signature : function.signatures()) {
                rows.add(new Object[] {null, WeirSchema.NAME, name, remarks, type, name + signature});
            }
        }
        return rows;
    }
}
