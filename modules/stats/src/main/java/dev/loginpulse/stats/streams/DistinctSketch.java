package dev.loginpulse.stats.streams;

import com.dynatrace.hash4j.distinctcount.HyperLogLog;
import com.dynatrace.hash4j.hashing.Hasher64;
import com.dynatrace.hash4j.hashing.Hashing;

/**
 * A distinct count that stays small whatever the input: a HyperLogLog sketch (hash4j, precision {@value #PRECISION},
 * i.e. 2^12 = 4,096 six-bit registers, {@value #BYTES} bytes) over 64-bit komihash 5.0 hashes of the values. Its
 * estimate has a relative standard error of {@link #RELATIVE_STANDARD_ERROR} (1.04 / √4096 ≈ 1.6 %), from a handful to
 * billions of distinct values. Sketches merge exactly: the merge of two sketches is the sketch of the union.
 */
public final class DistinctSketch {

    /** log2 of the number of registers. */
    public static final int PRECISION = 12;
    /** Size of the serialized sketch. */
    public static final int BYTES = (1 << PRECISION) * 6 / 8;
    /** Relative standard error of {@link #estimate()}: 1.04 / √(2^{@value #PRECISION}). */
    public static final double RELATIVE_STANDARD_ERROR = 1.04 / Math.sqrt(1 << PRECISION);

    private static final Hasher64 HASHER = Hashing.komihash5_0();

    private final HyperLogLog sketch;

    private DistinctSketch(HyperLogLog sketch) {
        this.sketch = sketch;
    }

    /** An empty sketch. */
    public static DistinctSketch create() {
        return new DistinctSketch(HyperLogLog.create(PRECISION));
    }

    /** A sketch from {@link #toBytes()}; the bytes are copied. */
    public static DistinctSketch fromBytes(byte[] bytes) {
        if (bytes == null || bytes.length != BYTES) {
            throw new IllegalArgumentException("A distinct sketch has " + BYTES + " bytes, got "
                    + (bytes == null ? "none" : bytes.length));
        }
        return new DistinctSketch(HyperLogLog.wrap(bytes.clone()));
    }

    /**
     * Adds a value.
     *
     * @return whether the sketch changed (most additions of an already-seen value, and ever more of the new ones as
     *         the sketch fills, change nothing)
     */
    public boolean add(String value) {
        boolean[] changed = { false };
        sketch.add(HASHER.hashCharsToLong(value), probability -> changed[0] = true);
        return changed[0];
    }

    /** Adds everything another sketch has seen. */
    public DistinctSketch merge(DistinctSketch other) {
        sketch.add(other.sketch);
        return this;
    }

    /** The estimated number of distinct values added, rounded. */
    public long estimate() {
        return Math.round(sketch.getDistinctCountEstimate());
    }

    /** The registers, {@value #BYTES} bytes; a copy. */
    public byte[] toBytes() {
        return sketch.getState().clone();
    }
}
