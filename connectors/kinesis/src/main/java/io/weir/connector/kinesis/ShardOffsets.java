package io.weir.connector.kinesis;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;

import java.math.BigInteger;
import java.util.Locale;

/**
 * A shard position as the engine's {@code long} split offset (checkpoints, consumers' positions, shared
 * readers compare them).
 *
 * <p>Kinesis sequence numbers are 56-digit decimals; in the layout Kinesis has used since 2014 (version 2,
 * the number's last hex digit) the hex digits 11 to 27 are a 63-bit index that grows with every record of
 * the shard's stream, ahead of the arrival time and the shard index, so within a shard it orders the records
 * as their sequence numbers do. A record's offset is that index; the position after it is the index plus one.
 * Reading again from a position asks for the first record {@code AT_SEQUENCE_NUMBER} a number made from the
 * shard's starting sequence number with that index (the smallest number with it in that shard).
 *
 * <p>Before a shard's first record is read its position is where reading starts, below every record offset:
 * {@link #TRIM_HORIZON}, or {@link #atTimestamp} a time (so a checkpoint taken before a record arrived
 * starts again at the same time, and loses nothing). {@link #FINISHED} is a closed shard read to its end.
 */
final class ShardOffsets {
    static final long TRIM_HORIZON = Long.MIN_VALUE;
    static final long FINISHED = Long.MAX_VALUE;
    private static final int LAYOUT_DIGITS = 47;
    private static final int INDEX_FROM = 11;
    private static final int INDEX_TO = 27;

    private ShardOffsets() {
    }

    /** The position of the first record that arrived at or after {@code epochMillis}. */
    static long atTimestamp(long epochMillis) {
        if (epochMillis < 0) {
            throw new IllegalArgumentException("timestamps before 1970 are not positions: " + epochMillis);
        }
        return Long.MIN_VALUE + 1 + epochMillis;
    }

    static boolean isTimestamp(long offset) {
        return offset > Long.MIN_VALUE && offset < 0;
    }

    static long timestampOf(long offset) {
        if (!isTimestamp(offset)) {
            throw new IllegalArgumentException("not a timestamp position: " + offset);
        }
        return offset - Long.MIN_VALUE - 1;
    }

    /** Whether the offset is at or after a record (not a start position, not finished). */
    static boolean isRecordPosition(long offset) {
        return offset >= 0 && offset != FINISHED;
    }

    /** The record's offset: the index in its sequence number. */
    static long recordOffset(String sequenceNumber) {
        String hex = hex(sequenceNumber);
        return Long.parseLong(hex.substring(INDEX_FROM, INDEX_TO), 16);
    }

    /**
     * The smallest sequence number of {@code startingSequenceNumber}'s shard whose index is {@code offset}:
     * the shard's creation time, index and shard number from the starting number, then the index, the
     * lowest flags byte and the shard's creation time as arrival time (no record arrives before it).
     */
    static String sequenceAt(String startingSequenceNumber, long offset) {
        if (offset < 0) {
            throw new IllegalArgumentException("not a record position: " + offset);
        }
        String hex = hex(startingSequenceNumber);
        String index = String.format(Locale.ROOT, "%016x", offset);
        String arrival = hex.substring(1, 10);
        String made = hex.substring(0, INDEX_FROM) + index + "00" + arrival + hex.substring(38);
        return new BigInteger(made, 16).toString();
    }

    private static String hex(String sequenceNumber) {
        String hex;
        try {
            hex = new BigInteger(sequenceNumber.trim()).toString(16);
        } catch (NumberFormatException e) {
            throw notLayout(sequenceNumber);
        }
        if (hex.length() != LAYOUT_DIGITS || hex.charAt(0) != '2' || hex.charAt(LAYOUT_DIGITS - 1) != '2'
                || Character.digit(hex.charAt(INDEX_FROM), 16) > 7) {
            throw notLayout(sequenceNumber);
        }
        return hex;
    }

    private static WeirException notLayout(String sequenceNumber) {
        return new WeirException(ErrorCode.SOURCE_ERROR, "Kinesis sequence number '" + sequenceNumber + "' is not in the layout"
                + " Amazon Kinesis uses (version 2): the kinesis connector tracks shard positions by it and cannot read this"
                + " service's records; use Amazon Kinesis or an emulator of it");
    }

    /** For logs: a position as users know it. */
    static String describe(long offset) {
        if (offset == TRIM_HORIZON) {
            return "TRIM_HORIZON";
        }
        if (offset == FINISHED) {
            return "finished";
        }
        if (isTimestamp(offset)) {
            return "AT_TIMESTAMP " + java.time.Instant.ofEpochMilli(timestampOf(offset));
        }
        return "record index " + offset;
    }
}
