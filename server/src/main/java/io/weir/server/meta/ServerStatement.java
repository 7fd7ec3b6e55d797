package io.weir.server.meta;

import io.weir.sql.statement.PreparedPlan;
import org.apache.calcite.avatica.Meta;

import static java.util.Objects.requireNonNull;

/** A statement of a client session: what was prepared on it and the result being fetched. */
final class ServerStatement {
    private final Meta.StatementHandle handle;
    private PreparedPlan plan;
    private ResultCursor result;

    ServerStatement(Meta.StatementHandle handle) {
        this.handle = requireNonNull(handle, "handle is null");
    }

    Meta.StatementHandle handle() {
        return handle;
    }

    synchronized PreparedPlan plan() {
        return plan;
    }

    synchronized void prepared(PreparedPlan newPlan, Meta.Signature signature) {
        closeResult();
        this.plan = newPlan;
        handle.signature = signature;
    }

    synchronized ResultCursor result() {
        return result;
    }

    synchronized void open(ResultCursor newResult) {
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

    synchronized void close() {
        closeResult();
        plan = null;
    }
}
