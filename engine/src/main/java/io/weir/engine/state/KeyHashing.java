package io.weir.engine.state;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * 64-bit hashes of key values in Weir's representation that are the same in every JVM (so key groups
 * survive a restart), and that spread well enough for open-addressing tables.
 */
public final class KeyHashing {
    private static final long NULL_HASH = 0x9E3779B97F4A7C15L;

    private KeyHashing() {
    }

    /** Murmur3's 64-bit finalizer. */
    public static long mix(long value) {
        long h = value;
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }

    public static long hashLong(long value) {
        return mix(value);
    }

    /** Doubles equal in SQL (0.0 and -0.0) hash alike. */
    public static long hashDouble(double value) {
        return mix(Double.doubleToLongBits(value == 0.0 ? 0.0 : value));
    }

    public static long hashBoolean(boolean value) {
        return mix(value ? 1 : 2);
    }

    public static long hashNull() {
        return NULL_HASH;
    }

    /** Hash of a representation object (null for NULL). */
    public static long hashObject(Object value) {
        if (value == null) {
            return NULL_HASH;
        }
        if (value instanceof Long l) {
            return hashLong(l);
        }
        if (value instanceof Double d) {
            return hashDouble(d);
        }
        if (value instanceof Boolean b) {
            return hashBoolean(b);
        }
        if (value instanceof String s) {
            return hashString(s);
        }
        if (value instanceof BigDecimal decimal) {
            // equal values of one DECIMAL column share a scale; stripping makes 1.0 and 1.00 agree anyway
            BigDecimal stripped = decimal.signum() == 0 ? BigDecimal.ZERO : decimal.stripTrailingZeros();
            return mix(stripped.unscaledValue().hashCode() * 31L + stripped.scale());
        }
        if (value instanceof byte[] bytes) {
            return mix(Arrays.hashCode(bytes));
        }
        if (value instanceof Object[] fields) {
            long h = 17;
            for (Object field : fields) {
                h = combine(h, hashObject(field));
            }
            return h;
        }
        if (value instanceof List<?> list) {
            long h = 19;
            for (Object element : list) {
                h = combine(h, hashObject(element));
            }
            return h;
        }
        if (value instanceof Map<?, ?> map) {
            long h = 23;
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                h += combine(hashObject(entry.getKey()), hashObject(entry.getValue())); // order-independent
            }
            return mix(h);
        }
        return mix(value.hashCode());
    }

    /** FNV-1a over UTF-16 units, finalized: stable and 64 bits wide (String.hashCode is only 32). */
    public static long hashString(String value) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < value.length(); i++) {
            h ^= value.charAt(i);
            h *= 0x100000001b3L;
        }
        return mix(h);
    }

    public static long combine(long hash, long next) {
        return mix(hash * 31 + next);
    }
}
