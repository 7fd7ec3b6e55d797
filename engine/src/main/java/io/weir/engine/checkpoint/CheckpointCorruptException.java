package io.weir.engine.checkpoint;

import java.io.IOException;

/** A checkpoint file that cannot be read back as written: cut short, bytes changed, or of another format. */
public final class CheckpointCorruptException extends IOException {
    private static final long serialVersionUID = 1L;

    public CheckpointCorruptException(String message) {
        super(message);
    }
}
