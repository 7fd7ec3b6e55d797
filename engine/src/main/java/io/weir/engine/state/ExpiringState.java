package io.weir.engine.state;

import java.time.Duration;

/** Keyed state whose keys can be dropped when not updated for a while ({@code 'state.ttl'}). */
public interface ExpiringState {
    /** Drops the keys not updated for {@code ttl} of processing time, from the next micro-batch on. */
    void expireAfter(Duration ttl);
}
