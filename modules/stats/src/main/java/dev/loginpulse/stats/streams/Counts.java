package dev.loginpulse.stats.streams;

import java.nio.ByteBuffer;
import java.util.function.BiFunction;
import java.util.function.ToLongFunction;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/** The stats topology's internal store values: pairs of longs, stored as 16 bytes. */
final class Counts {

    private Counts() {
    }

    /**
     * Per source partition of {@code user-login}: the highest raw offset counted (-1 for records without a source
     * header) and the largest event time accepted, from which the watermark is restored after a restart.
     */
    record SourcePosition(long offset, long maxEventMillis) {
        static final Serde<SourcePosition> SERDE = pairSerde(SourcePosition::new, SourcePosition::offset,
                SourcePosition::maxEventMillis);
    }

    private static <T> Serde<T> pairSerde(BiFunction<Long, Long, T> create, ToLongFunction<T> first,
            ToLongFunction<T> second) {
        Serializer<T> serializer = (topic, value) -> value == null ? null
                : ByteBuffer.allocate(16).putLong(first.applyAsLong(value)).putLong(second.applyAsLong(value)).array();
        Deserializer<T> deserializer = (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            if (bytes.length != 16) {
                throw new SerializationException("Expected 16 bytes, got " + bytes.length);
            }
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            return create.apply(buffer.getLong(), buffer.getLong());
        };
        return Serdes.serdeFrom(serializer, deserializer);
    }
}
