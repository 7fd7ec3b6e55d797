package io.weir.sql.statement;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import org.apache.calcite.util.CancelFlag;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static java.util.Objects.requireNonNull;

/**
 * Tells the work on one statement to stop: its time limit passed, its client cancelled it, or its
 * connection ended. Set from any thread; the thread doing the work checks it between the phases of
 * planning, Calcite's Volcano planner at every rule it fires (its {@link CancelFlag}), and a bounded
 * query at every row its sources read and every row it returns. Work that stops this way fails with
 * the reason given to {@link #cancel}.
 *
 * <p>{@link StatementExecutor} binds it to the planning thread for the call ({@link #bind}), so the
 * Calcite planners created beneath pick it up ({@link #current}) without it being handed through
 * every planner method; a bounded query's rows, read later on other threads, keep their own reference.
 */
public final class StatementCancel {
    private static final ThreadLocal<StatementCancel> CURRENT = new ThreadLocal<>();

    private final AtomicBoolean flag = new AtomicBoolean();
    private final AtomicReference<WeirException> reason = new AtomicReference<>();

    /** Stops the work with {@code why}, the error its client gets; the first reason given wins. */
    public void cancel(WeirException why) {
        requireNonNull(why, "why is null");
        if (reason.compareAndSet(null, why)) {
            flag.set(true);
        }
    }

    public boolean isCancelled() {
        return flag.get();
    }

    /** @throws WeirException the reason, once cancelled */
    public void check() {
        if (flag.get()) {
            throw failure();
        }
    }

    /** The error of the cancellation (a fresh one, thrown where the work stopped); only once cancelled. */
    public WeirException failure() {
        WeirException why = reason.get();
        if (why == null) {
            throw new IllegalStateException("not cancelled");
        }
        return new WeirException(why.errorCode(), why.rawMessage());
    }

    /**
     * What {@code failure}, thrown by the work, is to the client: the cancellation once cancelled (a
     * Calcite planner stopped by the flag fails with its own "preparation aborted"), else {@code failure}
     * in Weir's terms.
     */
    public WeirException translate(Throwable failure) {
        return flag.get() ? failure() : SqlErrors.translate(failure);
    }

    /** Calcite's cancel flag over the same state, for a planner's context. */
    public CancelFlag calciteFlag() {
        return new CancelFlag(flag);
    }

    /** The flag as Calcite's generated code and scans read it ({@code DataContext.Variable.CANCEL_FLAG}). */
    public AtomicBoolean flag() {
        return flag;
    }

    /** Binds this to the calling thread until the returned scope is closed (then the previous binding is back). */
    public Scope bind() {
        StatementCancel previous = CURRENT.get();
        CURRENT.set(this);
        return () -> {
            if (previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(previous);
            }
        };
    }

    /** The cancellation bound to the calling thread: the statement it plans. */
    public static Optional<StatementCancel> current() {
        return Optional.ofNullable(CURRENT.get());
    }

    /** Throws the cancellation of the statement the calling thread plans, if it was cancelled. */
    public static void checkCurrent() {
        StatementCancel current = CURRENT.get();
        if (current != null) {
            current.check();
        }
    }

    /** The error of a statement stopped because {@code why} (its client cancelled it, its connection closed). */
    public static WeirException cancelled(String why) {
        return new WeirException(ErrorCode.STATEMENT_CANCELLED, "The statement was cancelled: " + why);
    }

    /** A binding to the calling thread, ended by {@link #close()}. */
    @FunctionalInterface
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }
}
