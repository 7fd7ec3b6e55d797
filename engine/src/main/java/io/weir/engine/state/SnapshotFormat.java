package io.weir.engine.state;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;

import static java.util.Objects.requireNonNull;

/**
 * The frame every operator snapshot shares: a magic number, the format version, the operator kind
 * (e.g. {@code "window aggregate"}) and its state layout (key types, accumulators, window spec...),
 * then the operator's body. A restore checks all four before it reads anything, so a snapshot of
 * another operator or plan is rejected instead of misread, and a damaged one fails clearly.
 */
public final class SnapshotFormat {
    /** "WSt1": tells a snapshot from other bytes. */
    static final int MAGIC = 0x57537431;
    /** Version 1 was the first window and join format (no magic, a stream per entry). */
    public static final int VERSION = 2;

    /** Writes an operator's body after the header. */
    @FunctionalInterface
    public interface Body {
        void write(StateWriter out);
    }

    /** Reads an operator's body after the header. */
    @FunctionalInterface
    public interface Reader {
        void read(StateReader in);
    }

    /** Thrown by readers of state that ends early or holds impossible values. */
    public static final class CorruptSnapshotException extends RuntimeException {
        public CorruptSnapshotException(String message) {
            super(message);
        }
    }

    private SnapshotFormat() {
    }

    /** A snapshot: header, then {@code body}; {@code expectedBytes} sizes the buffer (a guess is fine). */
    public static byte[] write(String kind, String layout, int expectedBytes, Body body) {
        StateWriter out = header(kind, layout, expectedBytes);
        body.write(out);
        return out.toByteArray();
    }

    /** A writer holding a snapshot's header, for a body written after it (in parts, see {@link StateBytes}). */
    public static StateWriter header(String kind, String layout, int expectedBytes) {
        StateWriter out = new StateWriter(expectedBytes);
        out.writeInt(MAGIC);
        out.writeInt(VERSION);
        out.writeString(kind);
        out.writeString(layout);
        return out;
    }

    /**
     * Checks a snapshot's header as {@link #read} does and returns a reader at the start of its body,
     * for combining snapshots of instances ({@link SnapshottableState#combine}).
     *
     * @throws WeirException ({@link ErrorCode#INTERNAL_ERROR}) as {@link #read} does
     */
    public static StateReader body(byte[] snapshot, String kind, String layout) {
        StateReader[] body = new StateReader[1];
        read(snapshot, kind, layout, in -> {
            body[0] = new StateReader(snapshot);
            body[0].skip(in.position());
            in.skip(in.remaining());
        });
        return body[0];
    }

    /** The operator kind of a keyed snapshot ({@link KeyedSnapshot}), which this format does not read. */
    private static java.util.Optional<String> otherKind(byte[] snapshot) {
        if (!KeyedSnapshot.isKeyed(snapshot)) {
            return java.util.Optional.empty();
        }
        try {
            StateReader in = new StateReader(snapshot);
            in.skip(9);
            return java.util.Optional.of(in.readString());
        } catch (CorruptSnapshotException e) {
            return java.util.Optional.empty();
        }
    }

    /** The operator kind of a snapshot in this format, if it is one. */
    static java.util.Optional<String> kindOf(byte[] snapshot) {
        try {
            StateReader in = new StateReader(snapshot);
            if (snapshot.length < 8 || in.readInt() != MAGIC) {
                return java.util.Optional.empty();
            }
            in.readInt();
            return java.util.Optional.of(in.readString());
        } catch (CorruptSnapshotException e) {
            return java.util.Optional.empty();
        }
    }

    /**
     * Checks the header against the operator's kind and layout, then reads the body, which must use
     * up the snapshot exactly.
     *
     * @throws WeirException ({@link ErrorCode#INTERNAL_ERROR}) for a snapshot of another kind, layout or
     *         version, or a damaged one
     */
    public static void read(byte[] snapshot, String kind, String layout, Reader body) {
        requireNonNull(snapshot, "snapshot is null");
        StateReader in = new StateReader(snapshot);
        try {
            otherKind(snapshot).ifPresent(other -> {
                throw new WeirException(ErrorCode.INTERNAL_ERROR, "Cannot restore " + kind + " state from a snapshot of a "
                        + other + " operator");
            });
            if (snapshot.length < 8 || in.readInt() != MAGIC) {
                throw new WeirException(ErrorCode.INTERNAL_ERROR, "Cannot restore " + kind + " state: the "
                        + snapshot.length + " bytes given are not an operator snapshot");
            }
            int version = in.readInt();
            if (version != VERSION) {
                throw new WeirException(ErrorCode.INTERNAL_ERROR, "Cannot restore " + kind + " state: snapshot format version "
                        + version + ", this server reads version " + VERSION);
            }
            readKindAndLayout(in, kind, layout);
            body.read(in);
            if (in.remaining() != 0) {
                throw new CorruptSnapshotException(in.remaining() + " bytes left over");
            }
        } catch (CorruptSnapshotException | IllegalArgumentException | ClassCastException e) {
            throw new WeirException(ErrorCode.INTERNAL_ERROR, "Cannot restore " + kind + " state: the snapshot is damaged ("
                    + e.getMessage() + ")", e);
        }
    }

    /**
     * Reads the operator kind and state layout a snapshot was written with, and rejects a snapshot of
     * another kind or layout with a message saying which.
     */
    static void readKindAndLayout(StateReader in, String kind, String layout) {
        String writtenKind = in.readString();
        if (!writtenKind.equals(kind)) {
            throw new WeirException(ErrorCode.INTERNAL_ERROR, "Cannot restore " + kind + " state from a snapshot of a "
                    + writtenKind + " operator");
        }
        String writtenLayout = in.readString();
        if (!writtenLayout.equals(layout)) {
            throw new WeirException(ErrorCode.INTERNAL_ERROR, "Cannot restore " + kind + " state: the snapshot's state layout "
                    + writtenLayout + " differs from the operator's " + layout + " (was the query changed?)");
        }
    }
}
