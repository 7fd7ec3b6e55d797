package io.weir.engine.aggregate;

/**
 * A user-defined aggregate function as the engine runs it: its accumulators are objects the function
 * makes, adds values to, merges and reads its result from, and that it turns into bytes and back for
 * checkpoints. The planner provides it (from the function's jar); what the function throws comes out of
 * these methods as the query's error.
 */
public interface UserAggregate {
    /** The function's name, for messages. */
    String name();

    /** A new, empty accumulator. */
    Object create();

    /** Adds a non-null argument value (as the engine holds it: Long, Double, Boolean, String, BigDecimal). */
    void add(Object accumulator, Object value);

    /**
     * Adds one row's arguments of a function of several arguments, none of them null (as the engine holds them).
     * A function of one argument takes {@link #add(Object, Object)}.
     */
    default void add(Object accumulator, Object[] values) {
        throw new UnsupportedOperationException(name() + " takes one argument");
    }

    /** Adds {@code from}'s values into {@code into} (session windows merging). */
    void merge(Object into, Object from);

    /** The result: a Number, Boolean, String or BigDecimal, or null. */
    Object result(Object accumulator);

    /** The accumulator's state, for a checkpoint. */
    byte[] serialize(Object accumulator);

    /** An accumulator from what {@link #serialize} wrote. */
    Object deserialize(byte[] state);

    /** What the serialized state is, for a snapshot's layout check: the function and its accumulator class. */
    String stateLayout();
}
