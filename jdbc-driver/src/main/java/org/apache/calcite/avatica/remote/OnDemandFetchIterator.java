package org.apache.calcite.avatica.remote;

import org.apache.calcite.avatica.AvaticaConnection;
import org.apache.calcite.avatica.AvaticaStatement;
import org.apache.calcite.avatica.Meta;
import org.apache.calcite.avatica.MissingResultsException;
import org.apache.calcite.avatica.NoSuchStatementException;

import java.sql.SQLException;
import java.util.Collections;
import java.util.Iterator;
import java.util.NoSuchElementException;

import static java.util.Objects.requireNonNull;

/**
 * Iterates over the rows of a result set that arrives in frames, asking the server for the next
 * frame only from {@link #hasNext()} and only when every row received so far has been returned.
 * {@link #next()} never fetches, so a row is handed to the caller as soon as it has arrived.
 *
 * <p>Failures surface as {@link SQLException}s thrown from {@code ResultSet.next()} (which declares
 * them) although they pass through {@link Iterator#hasNext()}, which cannot declare them.
 *
 * <p>A statement the server no longer knows is reported, not re-executed as Avatica's own iterator
 * does: re-running a continuous query would silently restart it.
 */
final class OnDemandFetchIterator implements Iterator<Object>, AutoCloseable {
    private static final String SQLSTATE_INVALID_CURSOR = "24000";

    private final Meta meta;
    private final AvaticaStatement statement;
    private Iterator<Object> rows;
    private boolean done;
    /** Rows returned so far; the server indexes frames by it. */
    private long offset;

    OnDemandFetchIterator(Meta meta, AvaticaStatement statement, Meta.Frame firstFrame) {
        this.meta = requireNonNull(meta, "meta is null");
        this.statement = requireNonNull(statement, "statement is null");
        if (firstFrame == null) {
            this.rows = Collections.emptyIterator();
            this.done = false;
        } else {
            this.rows = firstFrame.rows.iterator();
            this.done = firstFrame.done;
        }
    }

    @Override
    public boolean hasNext() {
        // An empty frame that is not done is legal (the server's long-poll ended without rows): ask again.
        while (!rows.hasNext()) {
            if (done) {
                return false;
            }
            Meta.Frame frame = fetch();
            if (frame == null) {
                done = true;
                rows = Collections.emptyIterator();
                return false;
            }
            rows = frame.rows.iterator();
            done = frame.done;
        }
        return true;
    }

    /**
     * Called when the ResultSet closes. The Avatica protocol sends nothing then, so a continuous
     * query would run on until its Statement closed; a result the server has not finished is closed
     * on the server here, which stops its query. (The server re-creates the statement if the client
     * executes on it again.)
     */
    @Override
    public void close() {
        if (done) {
            return;
        }
        done = true;
        rows = Collections.emptyIterator();
        if (statement.handle != null) {
            meta.closeStatement(statement.handle);
        }
    }

    @Override
    public Object next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        Object row = rows.next();
        offset++;
        return row;
    }

    private Meta.Frame fetch() {
        try {
            return meta.fetch(statement.handle, offset, statement.getFetchSize());
        } catch (NoSuchStatementException | MissingResultsException e) {
            throw uncheckedThrow(new SQLException("The server no longer has the results of statement "
                    + statement.handle.id + " (it was closed or timed out, or the server restarted); "
                    + "run the query again", SQLSTATE_INVALID_CURSOR, e));
        } catch (SQLException e) {
            throw uncheckedThrow(e);
        } catch (RuntimeException e) {
            throw uncheckedThrow(AvaticaConnection.HELPER.createException(
                    "Error while fetching rows: " + e.getMessage(), null, e));
        }
    }

    /**
     * Throws a checked exception without declaring it. Used where JDBC declares {@link SQLException}
     * (ResultSet.next, ResultSet creation) but Avatica's call path (Iterator, Meta.createIterable) does not.
     */
    static RuntimeException uncheckedThrow(SQLException e) {
        throw OnDemandFetchIterator.<RuntimeException>castAndThrow(e);
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> E castAndThrow(Throwable e) throws E {
        throw (E) e;
    }
}
