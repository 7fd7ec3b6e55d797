package io.weir.connector.jdbc;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.batch.BatchBuilder;
import io.weir.spi.connector.ConnectorContext;
import io.weir.spi.connector.SourceReader;
import io.weir.spi.connector.Split;
import io.weir.spi.type.ConversionException;
import io.weir.spi.type.DataType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * Reads the table in bounded steps: the first poll connects and runs the query, each poll then
 * takes at most {@code maxRows} rows from the cursor, which the driver fetches {@code 'scan.fetch-size'}
 * rows at a time (so a poll waits for at most one round trip). One split, the table.
 */
final class JdbcSourceReader implements SourceReader {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcSourceReader.class);
    private static final int SPLIT = 0;

    private final ConnectorContext context;
    private final JdbcSettings settings;
    private final List<DataType.Field> schema;
    private Connection connection;
    private PreparedStatement statement;
    private ResultSet result;
    private boolean[] zoned;
    private long rowNumber;
    private boolean finished;
    private boolean closed;

    JdbcSourceReader(ConnectorContext context, JdbcSettings settings) {
        this.context = requireNonNull(context, "context is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.schema = context.schema();
    }

    @Override
    public int poll(BatchBuilder out, int maxRows) {
        if (finished || closed || maxRows <= 0) {
            return 0;
        }
        out.setSplit(SPLIT);
        int added = 0;
        try {
            if (result == null) {
                open();
            }
            while (added < maxRows) {
                if (!result.next()) {
                    LOG.debug("{}: read {} rows from table {}", context.describe(), rowNumber, settings.table());
                    finish();
                    break;
                }
                rowNumber++;
                if (readRow(out)) {
                    out.commitRow();
                    added++;
                }
            }
        } catch (SQLException e) {
            close();
            throw new WeirException(ErrorCode.SOURCE_ERROR, context.describe() + ": cannot read table '" + settings.table()
                    + "' from " + settings.dialect().displayName() + " at '" + settings.displayUrl() + "': "
                    + JdbcConnections.message(e), e);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        context.errorHandler().recordsRead(added);
        return added;
    }

    private void open() throws SQLException {
        try {
            connection = JdbcConnections.open(settings, "weir-read-" + context.objectName());
        } catch (SQLException e) {
            throw JdbcConnections.connectionError(context.describe(), settings, e, ErrorCode.SOURCE_ERROR);
        }
        // PostgreSQL streams with a cursor only inside a transaction; elsewhere this is harmless.
        connection.setAutoCommit(false);
        connection.setReadOnly(true);
        TableColumns columns = TableColumns.resolve(context, settings, connection);
        statement = connection.prepareStatement(settings.dialect().selectStatement(settings.table(), columns.columns()),
                ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
        statement.setFetchSize(settings.fetchSize());
        result = statement.executeQuery();
        ResultSetMetaData metadata = result.getMetaData();
        zoned = new boolean[schema.size()];
        for (int i = 0; i < zoned.length; i++) {
            zoned[i] = JdbcValues.isZonedTimestamp(metadata, i + 1);
        }
    }

    /** Reads the current row; false when a value did not convert and the error policy skipped the row. */
    private boolean readRow(BatchBuilder out) throws SQLException {
        for (int column = 0; column < schema.size(); column++) {
            try {
                JdbcValues.read(result, column + 1, zoned[column], schema.get(column).type(), out, column);
            } catch (ConversionException | ClassCastException e) {
                out.abortRow();
                String reason = "column '" + schema.get(column).name() + "': " + e.getMessage();
                context.errorHandler().handle("table " + settings.table() + " row " + rowNumber,
                        String.valueOf(result.getObject(column + 1)), reason);
                return false;
            }
        }
        return true;
    }

    private void finish() {
        finished = true;
        release();
    }

    @Override
    public List<Split> splits() {
        return List.of(new Split(SPLIT, settings.table(), finished));
    }

    @Override
    public boolean isFinished() {
        return finished;
    }

    @Override
    public void close() {
        closed = true;
        release();
    }

    private void release() {
        ResultSet r = result;
        PreparedStatement s = statement;
        Connection c = connection;
        result = null;
        statement = null;
        connection = null;
        if (c != null) {
            try {
                JdbcConnections.closeQuietly(r, null);
                JdbcConnections.closeQuietly(s, null);
                // a read-only transaction: ending it is all there is to do
                c.rollback();
            } catch (SQLException e) {
                LOG.debug("{}: ending the read transaction failed: {}", context.describe(), e.getMessage());
            } finally {
                try {
                    c.close();
                } catch (SQLException e) {
                    LOG.debug("{}: closing the connection failed: {}", context.describe(), e.getMessage());
                }
            }
        }
    }
}
