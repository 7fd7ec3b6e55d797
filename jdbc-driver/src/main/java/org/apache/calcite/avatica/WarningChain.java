package org.apache.calcite.avatica;

import java.sql.SQLWarning;
import java.util.List;

/**
 * The warnings of a JDBC object (connection or statement), as {@code getWarnings()} returns them:
 * the first {@link SQLWarning}, with the others chained to it. Thread-safe.
 */
public final class WarningChain {
    private SQLWarning first;

    /** A JDBC object that has warnings. */
    public interface Holder {
        WarningChain warnings();
    }

    /** The first warning (the others are chained to it), or null when there is none. */
    public synchronized SQLWarning first() {
        return first;
    }

    public synchronized void add(SQLWarning warning) {
        if (first == null) {
            first = warning;
        } else {
            first.setNextWarning(warning);
        }
    }

    public synchronized void clear() {
        first = null;
    }

    /** Replaces the warnings, as a statement's are when it runs again. */
    public synchronized void replace(List<SQLWarning> warnings) {
        first = null;
        warnings.forEach(this::add);
    }
}
