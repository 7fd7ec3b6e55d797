package io.weir.server.pg;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.nio.charset.StandardCharsets;

/**
 * Backend messages of the PostgreSQL protocol, written into one buffer that the connection sends when it
 * flushes. Used by one thread at a time (the connection's).
 */
final class PgOutput {
    private final ByteBufAllocator allocator;
    private ByteBuf buffer;
    private int messageStart = -1;

    PgOutput(ByteBufAllocator allocator) {
        this.allocator = allocator;
        this.buffer = allocator.buffer(256);
    }

    /** Starts a message of {@code type}; {@link #end()} fills in its length. */
    PgOutput begin(char type) {
        buffer.writeByte(type);
        messageStart = buffer.writerIndex();
        buffer.writeInt(0);
        return this;
    }

    PgOutput end() {
        buffer.setInt(messageStart, buffer.writerIndex() - messageStart);
        messageStart = -1;
        return this;
    }

    PgOutput int8(int value) {
        buffer.writeByte(value);
        return this;
    }

    PgOutput int16(int value) {
        buffer.writeShort(value);
        return this;
    }

    PgOutput int32(int value) {
        buffer.writeInt(value);
        return this;
    }

    PgOutput bytes(byte[] value) {
        buffer.writeBytes(value);
        return this;
    }

    /** A null-terminated UTF-8 string. */
    PgOutput string(String value) {
        buffer.writeCharSequence(value, StandardCharsets.UTF_8);
        buffer.writeByte(0);
        return this;
    }

    /** A value with its length; -1 and no bytes for NULL. */
    PgOutput value(byte[] value) {
        if (value == null) {
            buffer.writeInt(-1);
        } else {
            buffer.writeInt(value.length);
            buffer.writeBytes(value);
        }
        return this;
    }

    /** Bytes written and not yet taken. */
    int size() {
        return buffer.readableBytes();
    }

    /** What was written, to send; the output starts over empty. */
    ByteBuf take() {
        ByteBuf taken = buffer;
        buffer = allocator.buffer(256);
        return taken;
    }

    /** Frees the buffer; what is written afterwards (by a statement still finishing) goes to an unpooled one. */
    void release() {
        ByteBuf released = buffer;
        buffer = io.netty.buffer.Unpooled.buffer(0);
        released.release();
    }

    // ---- messages ----

    PgOutput parameterStatus(String name, String value) {
        return begin('S').string(name).string(value).end();
    }

    PgOutput readyForQuery(char status) {
        return begin('Z').int8(status).end();
    }

    PgOutput commandComplete(String tag) {
        return begin('C').string(tag).end();
    }

    PgOutput emptyQuery() {
        return begin('I').end();
    }

    PgOutput parseComplete() {
        return begin('1').end();
    }

    PgOutput bindComplete() {
        return begin('2').end();
    }

    PgOutput closeComplete() {
        return begin('3').end();
    }

    PgOutput noData() {
        return begin('n').end();
    }

    PgOutput portalSuspended() {
        return begin('s').end();
    }

    PgOutput authentication(int code, byte[] data) {
        begin('R').int32(code);
        if (data != null) {
            bytes(data);
        }
        return end();
    }
}
