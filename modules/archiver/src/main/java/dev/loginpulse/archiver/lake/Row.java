package dev.loginpulse.archiver.lake;

import java.util.Arrays;

import org.apache.iceberg.StructLike;

/**
 * A row as Iceberg holds it internally (timestamps as microseconds since the epoch, strings, binaries as
 * {@link java.nio.ByteBuffer}), so that Parquet's writer and the partition key take its values without converting
 * them; {@link LakeTables} builds them.
 */
public final class Row implements StructLike {

    private final Object[] values;

    Row(int size) {
        this.values = new Object[size];
    }

    @Override
    public int size() {
        return values.length;
    }

    @Override
    public <T> T get(int pos, Class<T> javaClass) {
        return javaClass.cast(values[pos]);
    }

    @Override
    public <T> void set(int pos, T value) {
        values[pos] = value;
    }

    @Override
    public String toString() {
        return Arrays.toString(values);
    }
}
