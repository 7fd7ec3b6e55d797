/**
 * Keyed state building blocks: unboxed group hash tables, slot pools for struct-of-arrays state,
 * stable key hashing into {@link io.weir.engine.state.KeyGroups key groups}, and snapshots.
 */
package io.weir.engine.state;
