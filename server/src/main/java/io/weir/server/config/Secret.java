package io.weir.server.config;

import static java.util.Objects.requireNonNull;

/** A setting that must never be printed (a password): {@link #toString()} hides it. */
public record Secret(String value) {
    public Secret {
        requireNonNull(value, "value is null");
    }

    @Override
    public String toString() {
        return "******";
    }
}
