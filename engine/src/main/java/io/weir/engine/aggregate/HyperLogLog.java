package io.weir.engine.aggregate;

import io.weir.engine.state.StateReader;
import io.weir.engine.state.StateWriter;

import java.util.Arrays;

/**
 * A HyperLogLog sketch of 64-bit hashes with 2^12 registers (about 1.6% standard error, 4 KiB).
 * Small sets are kept exactly as a set of hashes (so small counts are exact) until they reach
 * {@link #SPARSE_LIMIT}; memory is bounded either way.
 */
final class HyperLogLog {
    static final int PRECISION = 12;
    static final int REGISTERS = 1 << PRECISION;
    static final int SPARSE_LIMIT = 256;

    private LongHashSet sparse = new LongHashSet(8);
    private byte[] registers;

    void add(long hash) {
        if (sparse != null) {
            sparse.add(hash);
            if (sparse.size() > SPARSE_LIMIT) {
                densify();
            }
            return;
        }
        addToRegisters(registers, hash);
    }

    private static void addToRegisters(byte[] registers, long hash) {
        int index = (int) (hash >>> (64 - PRECISION));
        // position of the first 1-bit in the remaining bits, counting from 1; a sentinel bounds it
        int rank = Long.numberOfLeadingZeros((hash << PRECISION) | (1L << (PRECISION - 1))) + 1;
        if (rank > registers[index]) {
            registers[index] = (byte) rank;
        }
    }

    private void densify() {
        registers = new byte[REGISTERS];
        for (long hash : sparse.toArray()) {
            addToRegisters(registers, hash);
        }
        sparse = null;
    }

    void merge(HyperLogLog other) {
        if (other.sparse != null) {
            for (long hash : other.sparse.toArray()) {
                add(hash);
            }
            return;
        }
        if (sparse != null) {
            densify();
        }
        for (int i = 0; i < REGISTERS; i++) {
            if (other.registers[i] > registers[i]) {
                registers[i] = other.registers[i];
            }
        }
    }

    long estimate() {
        if (sparse != null) {
            return sparse.size();
        }
        double sum = 0;
        int zeros = 0;
        for (byte register : registers) {
            sum += Math.scalb(1.0, -register);
            if (register == 0) {
                zeros++;
            }
        }
        double alpha = 0.7213 / (1 + 1.079 / REGISTERS);
        double estimate = alpha * REGISTERS * (double) REGISTERS / sum;
        if (estimate <= 2.5 * REGISTERS && zeros > 0) {
            estimate = REGISTERS * Math.log((double) REGISTERS / zeros); // linear counting for small ranges
        }
        return Math.round(estimate);
    }

    long bytes() {
        return sparse != null ? sparse.bytes() : REGISTERS;
    }

    void write(StateWriter out) {
        out.writeBoolean(sparse != null);
        if (sparse != null) {
            long[] hashes = sparse.toArray();
            Arrays.sort(hashes); // the same sketch always writes the same bytes
            out.writeInt(hashes.length);
            for (long hash : hashes) {
                out.writeLong(hash);
            }
        } else {
            out.write(registers);
        }
    }

    static HyperLogLog read(StateReader in) {
        HyperLogLog sketch = new HyperLogLog();
        if (in.readBoolean()) {
            int count = in.readCount();
            if (count > SPARSE_LIMIT) {
                throw new io.weir.engine.state.SnapshotFormat.CorruptSnapshotException("a sparse sketch of " + count + " hashes");
            }
            for (int i = 0; i < count; i++) {
                sketch.add(in.readLong());
            }
        } else {
            sketch.sparse = null;
            sketch.registers = new byte[REGISTERS];
            in.readFully(sketch.registers);
        }
        return sketch;
    }
}
