package io.weir.spi.connector;

/**
 * A configured source for one stream or table. Created by {@link ConnectorFactory#createSource}
 * once per query (or per table scan); each {@link #createReader()} starts reading from the beginning
 * (for sources that have one) independently of other readers.
 */
public interface Source {
    /** Whether readers finish ({@link SourceReader#isFinished()}) after a finite input. */
    boolean isBounded();

    SourceReader createReader();
}
