package io.weir.connector.jdbc;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.connector.ConnectorContext;
import io.weir.spi.type.DataType;
import io.weir.spi.type.TypeKind;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * The database's names for the declared columns. Declared names match the table's columns ignoring
 * case (as other connectors match field names), and the database's spelling is what goes, quoted,
 * into SQL, so {@code id} declared in Weir finds {@code id} in PostgreSQL and {@code ID} in MySQL.
 *
 * @param columns the table's name of each declared column, in declared order
 * @param keyColumns the table's name of each declared primary-key column
 */
record TableColumns(List<String> columns, List<String> keyColumns) {
    TableColumns {
        columns = List.copyOf(requireNonNull(columns, "columns is null"));
        keyColumns = List.copyOf(requireNonNull(keyColumns, "keyColumns is null"));
    }

    /** The CREATE-time check: connects once, checks the table and every declared column exist. */
    static void check(ConnectorContext context, JdbcSettings settings) {
        checkTypes(context);
        Connection connection;
        try {
            connection = JdbcConnections.open(settings, "weir-validate");
        } catch (SQLException e) {
            throw JdbcConnections.connectionError(context.describe(), settings, e, ErrorCode.CONNECTION_ERROR);
        }
        try (connection) {
            resolve(context, settings, connection);
        } catch (SQLException e) {
            throw new WeirException(ErrorCode.VALIDATION_ERROR, context.describe() + ": cannot check table '"
                    + settings.table() + "': " + JdbcConnections.message(e), e);
        }
    }

    /** Rejects column types that have no column type in the databases. */
    static void checkTypes(ConnectorContext context) {
        for (DataType.Field field : context.schema()) {
            TypeKind kind = field.type().kind();
            if (kind == TypeKind.ARRAY || kind == TypeKind.MAP || kind == TypeKind.ROW) {
                throw new WeirException(ErrorCode.NOT_SUPPORTED, context.describe() + ": column '" + field.name()
                        + "' has type " + field.type() + ", which connector 'jdbc' cannot read or write; declare it as "
                        + "VARCHAR (e.g. holding JSON) or leave it out");
            }
        }
    }

    /** Looks the declared columns up in the table. */
    static TableColumns resolve(ConnectorContext context, JdbcSettings settings, Connection connection) throws SQLException {
        List<String> actual = new ArrayList<>();
        try (Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT * FROM " + settings.table() + " WHERE 1 = 0")) {
            ResultSetMetaData metadata = result.getMetaData();
            for (int i = 1; i <= metadata.getColumnCount(); i++) {
                actual.add(metadata.getColumnName(i));
            }
        } catch (SQLException e) {
            if (isUnknownTable(e)) {
                throw new WeirException(ErrorCode.VALIDATION_ERROR, context.describe() + ": table '" + settings.table()
                        + "' does not exist in " + settings.dialect().displayName() + " at '" + settings.displayUrl()
                        + "' (" + JdbcConnections.message(e) + "); create it there first, or fix option 'table-name'", e);
            }
            throw e;
        }
        List<String> columns = new ArrayList<>();
        for (DataType.Field field : context.schema()) {
            columns.add(find(actual, field.name()).orElseThrow(() -> new WeirException(ErrorCode.UNKNOWN_COLUMN,
                    context.describe() + ": column '" + field.name() + "' does not exist in table '" + settings.table()
                            + "'; the table has columns " + actual.stream().map(c -> "'" + c + "'")
                            .collect(Collectors.joining(", ")))));
        }
        List<String> keyColumns = new ArrayList<>();
        for (String key : context.primaryKey()) {
            keyColumns.add(find(actual, key).orElseThrow(() -> new WeirException(ErrorCode.UNKNOWN_COLUMN,
                    context.describe() + ": PRIMARY KEY column '" + key + "' does not exist in table '"
                            + settings.table() + "'")));
        }
        return new TableColumns(columns, keyColumns);
    }

    private static java.util.Optional<String> find(List<String> actual, String declared) {
        return actual.stream().filter(declared::equals).findFirst()
                .or(() -> actual.stream().filter(declared::equalsIgnoreCase).findFirst());
    }

    /** PostgreSQL 42P01 undefined_table, MySQL 42S02 table doesn't exist. */
    static boolean isUnknownTable(SQLException e) {
        return "42P01".equals(e.getSQLState()) || "42S02".equals(e.getSQLState()) || "3F000".equals(e.getSQLState());
    }
}
