package dev.loginpulse.events;

import java.io.IOException;
import java.util.Map;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;

/**
 * Kafka serde for a contract record as UTF-8 JSON. {@code null} maps to {@code null} both ways (tombstones).
 *
 * @param <T> the record type
 */
public class JsonSerde<T> implements Serde<T>, Serializer<T>, Deserializer<T> {

    private final Class<T> type;
    private final ObjectWriter writer;
    private final ObjectReader reader;

    public JsonSerde(Class<T> type) {
        this.type = type;
        this.writer = Json.MAPPER.writerFor(type);
        this.reader = Json.MAPPER.readerFor(type);
    }

    /** Serde of {@link CleanLogin}. */
    public static JsonSerde<CleanLogin> cleanLogin() {
        return new JsonSerde<>(CleanLogin.class);
    }

    /** Serde of {@link StateStats}. */
    public static JsonSerde<StateStats> stateStats() {
        return new JsonSerde<>(StateStats.class);
    }

    /** Serde of {@link StateInsights}. */
    public static JsonSerde<StateInsights> stateInsights() {
        return new JsonSerde<>(StateInsights.class);
    }

    /** Serde of every {@link Insight} record; the {@code "kind"} field selects the type. */
    public static JsonSerde<Insight> insight() {
        return new JsonSerde<>(Insight.class);
    }

    /** Serde of {@link SourceIntegrity}. */
    public static JsonSerde<SourceIntegrity> sourceIntegrity() {
        return new JsonSerde<>(SourceIntegrity.class);
    }

    /** Serde of {@link RawLogin}. */
    public static JsonSerde<RawLogin> rawLogin() {
        return new JsonSerde<>(RawLogin.class);
    }

    @Override
    public byte[] serialize(String topic, T data) {
        if (data == null) {
            return null;
        }
        try {
            return writer.writeValueAsBytes(data);
        } catch (IOException e) {
            throw new SerializationException("Cannot write " + type.getSimpleName() + " as JSON for topic " + topic, e);
        }
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        try {
            return reader.readValue(data);
        } catch (IOException e) {
            throw new SerializationException(
                    "Record on topic " + topic + " is not a valid " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Serializer<T> serializer() {
        return this;
    }

    @Override
    public Deserializer<T> deserializer() {
        return this;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        // nothing to configure: the contract fixes the JSON shape
    }

    @Override
    public void close() {
        // nothing to release
    }

    /** Kafka-configurable (no-arg) serializer of {@link CleanLogin}. */
    public static final class CleanLoginSerializer extends JsonSerde<CleanLogin> {
        public CleanLoginSerializer() {
            super(CleanLogin.class);
        }
    }

    /** Kafka-configurable (no-arg) deserializer of {@link StateStats}. */
    public static final class StateStatsDeserializer extends JsonSerde<StateStats> {
        public StateStatsDeserializer() {
            super(StateStats.class);
        }
    }

    /** Kafka-configurable (no-arg) serializer of {@link StateStats}. */
    public static final class StateStatsSerializer extends JsonSerde<StateStats> {
        public StateStatsSerializer() {
            super(StateStats.class);
        }
    }

    /** Kafka-configurable (no-arg) deserializer of {@link CleanLogin}. */
    public static final class CleanLoginDeserializer extends JsonSerde<CleanLogin> {
        public CleanLoginDeserializer() {
            super(CleanLogin.class);
        }
    }

    /** Kafka-configurable (no-arg) deserializer of {@link Insight}. */
    public static final class InsightDeserializer extends JsonSerde<Insight> {
        public InsightDeserializer() {
            super(Insight.class);
        }
    }

    /** Kafka-configurable (no-arg) serializer of {@link Insight}. */
    public static final class InsightSerializer extends JsonSerde<Insight> {
        public InsightSerializer() {
            super(Insight.class);
        }
    }

    /** Kafka-configurable (no-arg) deserializer of {@link SourceIntegrity}. */
    public static final class SourceIntegrityDeserializer extends JsonSerde<SourceIntegrity> {
        public SourceIntegrityDeserializer() {
            super(SourceIntegrity.class);
        }
    }

    /** Kafka-configurable (no-arg) deserializer of {@link StateInsights}. */
    public static final class StateInsightsDeserializer extends JsonSerde<StateInsights> {
        public StateInsightsDeserializer() {
            super(StateInsights.class);
        }
    }
}
