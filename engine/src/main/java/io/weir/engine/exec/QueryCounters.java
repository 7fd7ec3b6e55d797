package io.weir.engine.exec;

import java.nio.ByteBuffer;

/** The counters of a query as a whole in its checkpoints (those of operators and sources are in their own sections). */
public record QueryCounters(long batches, long rowsWritten) {
    private static final int VERSION = 1;

    public static byte[] write(long batches, long rowsWritten) {
        return ByteBuffer.allocate(4 + 8 + 8).putInt(VERSION).putLong(batches).putLong(rowsWritten).array();
    }

    public static QueryCounters read(byte[] bytes) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        int version = buffer.getInt();
        if (version != VERSION) {
            throw new IllegalArgumentException("query counters of version " + version);
        }
        return new QueryCounters(buffer.getLong(), buffer.getLong());
    }
}
