package io.weir.spi.type;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * {@link Temporals#parseSimpleTimestamp} for one reader's records, remembering the minute of the last
 * timestamp: the timestamps of a stream mostly share their date, hour and minute with the one before,
 * so the first 16 bytes ({@code yyyy-MM-dd HH:mm}) are compared as two words and only the seconds are
 * parsed. A measured part of decoding JSON records (JsonDecodeBenchmark). Not thread-safe.
 */
public final class TimestampParser {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private long firstWord;
    private long secondWord;
    /** Epoch milliseconds of the remembered minute, or {@link Temporals#NOT_SIMPLE} when there is none. */
    private long minuteMillis = Temporals.NOT_SIMPLE;

    /** As {@link Temporals#parseSimpleTimestamp(byte[], int, int)}. */
    public long parse(byte[] text, int from, int to) {
        if (to - from < 19) {
            return Temporals.NOT_SIMPLE;
        }
        long first = (long) LONGS.get(text, from);
        long second = (long) LONGS.get(text, from + 8);
        if (first == firstWord && second == secondWord && minuteMillis != Temporals.NOT_SIMPLE) {
            long withinMinute = Temporals.simpleSecondsOfMinute(text, from + 16, to);
            return withinMinute == Temporals.NOT_SIMPLE ? Temporals.NOT_SIMPLE : minuteMillis + withinMinute;
        }
        long millis = Temporals.parseSimpleTimestamp(text, from, to);
        if (millis != Temporals.NOT_SIMPLE) {
            firstWord = first;
            secondWord = second;
            minuteMillis = millis - Temporals.simpleSecondsOfMinute(text, from + 16, to);
        }
        return millis;
    }
}
