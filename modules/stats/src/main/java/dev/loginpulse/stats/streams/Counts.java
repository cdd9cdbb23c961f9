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

    /** Logins and distinct users of one state in one window. */
    record WindowCount(long logins, long uniqueUsers) {
        static final Serde<WindowCount> SERDE = pairSerde(WindowCount::new, WindowCount::logins,
                WindowCount::uniqueUsers);
    }

    /**
     * All logins of one state since the start, its latest event time, and how many of its logins came too late for
     * every window (counted in the total only).
     */
    record StateTotal(long total, long lastEventMillis, long late) {
        static final Serde<StateTotal> SERDE = Serdes.serdeFrom(StateTotal::serialize, StateTotal::deserialize);

        private static byte[] serialize(String topic, StateTotal value) {
            return value == null ? null
                    : ByteBuffer.allocate(24).putLong(value.total).putLong(value.lastEventMillis).putLong(value.late)
                            .array();
        }

        private static StateTotal deserialize(String topic, byte[] bytes) {
            if (bytes == null) {
                return null;
            }
            if (bytes.length != 24) {
                throw new SerializationException("Expected 24 bytes, got " + bytes.length);
            }
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            return new StateTotal(buffer.getLong(), buffer.getLong(), buffer.getLong());
        }
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
