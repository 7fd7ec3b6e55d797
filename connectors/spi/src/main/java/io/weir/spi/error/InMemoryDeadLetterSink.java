package io.weir.spi.error;

import java.util.ArrayList;
import java.util.List;

/** Keeps dead letters in memory, for tests and embedded use. Thread-safe. */
public final class InMemoryDeadLetterSink implements DeadLetterSink {
    private final List<DeadLetter> letters = new ArrayList<>();

    @Override
    public synchronized void accept(DeadLetter letter) {
        letters.add(letter);
    }

    /** A snapshot of the letters received so far, oldest first. */
    public synchronized List<DeadLetter> letters() {
        return List.copyOf(letters);
    }

    public synchronized void clear() {
        letters.clear();
    }
}
