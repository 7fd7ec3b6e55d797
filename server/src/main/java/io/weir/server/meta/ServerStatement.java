package io.weir.server.meta;

import io.weir.spi.WeirException;
import io.weir.sql.statement.PreparedPlan;
import io.weir.sql.statement.StatementCancel;
import org.apache.calcite.avatica.Meta;

import static java.util.Objects.requireNonNull;

/**
 * A statement of a client session: what was prepared on it, the result being fetched, and its current
 * execution (planning, running, fetching a bounded result), which closing the statement cancels.
 */
final class ServerStatement {
    private final Meta.StatementHandle handle;
    private PreparedPlan plan;
    private ResultCursor result;
    private StatementCancel execution;
    /** Why the statement was closed; null while it is open. */
    private WeirException closedBecause;

    ServerStatement(Meta.StatementHandle handle) {
        this.handle = requireNonNull(handle, "handle is null");
    }

    Meta.StatementHandle handle() {
        return handle;
    }

    /**
     * Starts an execution (a prepare, an execute): what it plans and runs stops once the statement is
     * closed.
     *
     * @throws WeirException why the statement was closed, when it was (a cancel that came first)
     */
    synchronized StatementCancel startExecution() {
        checkOpen();
        execution = new StatementCancel();
        return execution;
    }

    /** The current execution: the one whose bounded result is fetched; null before the first. */
    synchronized StatementCancel execution() {
        return execution;
    }

    synchronized PreparedPlan plan() {
        return plan;
    }

    synchronized void prepared(PreparedPlan newPlan, Meta.Signature signature) {
        checkOpen();
        closeResult();
        this.plan = newPlan;
        handle.signature = signature;
    }

    synchronized ResultCursor result() {
        return result;
    }

    /** Makes {@code newResult} the one fetched; on a closed statement it is closed at once (and this throws why). */
    synchronized void open(ResultCursor newResult) {
        if (closedBecause != null) {
            newResult.close();
            checkOpen();
        }
        closeResult();
        this.result = newResult;
    }

    /** Closes {@code finished} if it is still this statement's result (the statement may have run again since). */
    synchronized void closeResult(ResultCursor finished) {
        if (result == finished) {
            closeResult();
        }
    }

    synchronized void closeResult() {
        if (result != null) {
            result.close();
            result = null;
        }
    }

    /** Closes the statement: an execution in progress is cancelled with {@code reason}, the result closed. */
    void close(WeirException reason) {
        StatementCancel running;
        synchronized (this) {
            if (closedBecause == null) {
                closedBecause = requireNonNull(reason, "reason is null");
            }
            running = execution;
        }
        if (running != null) {
            running.cancel(reason); // at once, even while the result's close below waits for a query to stop
        }
        synchronized (this) {
            closeResult();
            plan = null;
        }
    }

    private void checkOpen() {
        if (closedBecause != null) {
            throw new WeirException(closedBecause.errorCode(), closedBecause.rawMessage());
        }
    }
}
