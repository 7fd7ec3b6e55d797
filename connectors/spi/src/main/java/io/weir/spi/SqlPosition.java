package io.weir.spi;

/** A one-based line and column in the SQL text a user sent. */
public record SqlPosition(int line, int column) {
    public SqlPosition {
        if (line < 1 || column < 1) {
            throw new IllegalArgumentException("line and column are one-based: " + line + ":" + column);
        }
    }

    @Override
    public String toString() {
        return "line " + line + ", column " + column;
    }
}
