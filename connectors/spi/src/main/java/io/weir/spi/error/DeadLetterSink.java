package io.weir.spi.error;

/**
 * Where dead letters go. The server provides a persistent, queryable implementation; tests use
 * {@link InMemoryDeadLetterSink}. Must be thread-safe; must not throw for a well-formed letter
 * (a sink that cannot store a letter should log and count the loss itself).
 */
@FunctionalInterface
public interface DeadLetterSink {
    void accept(DeadLetter letter);
}
