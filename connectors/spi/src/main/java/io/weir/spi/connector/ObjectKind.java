package io.weir.spi.connector;

/** What a connector backs: an unbounded-by-nature STREAM or a TABLE read as a whole. */
public enum ObjectKind {
    STREAM("Stream"),
    TABLE("Table");

    private final String displayName;

    ObjectKind(String displayName) {
        this.displayName = displayName;
    }

    /** Capitalised, for the start of messages: {@code Stream 'clicks': ...}. */
    public String displayName() {
        return displayName;
    }
}
