package dev.loginpulse.devbroker;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Predicate;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import dev.loginpulse.events.Topics;

/**
 * Real Kafka clients for tests and tools that feed a topic or read one back: producers that can send the largest raw
 * record, and a reader that sees only committed records (stats writes in transactions).
 */
public final class TopicClient {

    private final String bootstrapServers;
    private final Map<String, Object> clientConfig;

    public TopicClient(String bootstrapServers, Map<String, Object> clientConfig) {
        this.bootstrapServers = bootstrapServers;
        this.clientConfig = Map.copyOf(clientConfig);
    }

    /** A client of this broker, with its security settings ({@link KafkaBroker#clientConfig()}). */
    public static TopicClient of(KafkaBroker broker) {
        return new TopicClient(broker.bootstrapServers(), broker.clientConfig());
    }

    /** A producer of raw bytes that can send the largest record the raw topic takes. */
    public KafkaProducer<byte[], byte[]> rawProducer() {
        return producer(new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** A producer with the given serializers, able to send the largest record the raw topic takes. */
    public <K, V> KafkaProducer<K, V> producer(Serializer<K> keySerializer, Serializer<V> valueSerializer) {
        Map<String, Object> config = new HashMap<>(clientConfig);
        config.putAll(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.RAW_MAX_MESSAGE_BYTES + 1024,
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 300_000));
        return new KafkaProducer<>(config, keySerializer, valueSerializer);
    }

    /**
     * The sum of a topic's end offsets: how many records were ever written to it (transaction markers included, for a
     * topic written in transactions).
     */
    public static long endOffsets(Admin admin, String topic) {
        try {
            int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS)
                    .get(topic).partitions().size();
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            for (int p = 0; p < partitions; p++) {
                request.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            return admin.listOffsets(request).all().get(30, TimeUnit.SECONDS).values().stream()
                    .mapToLong(ListOffsetsResultInfo::offset).sum();
        } catch (ExecutionException e) {
            throw new IllegalStateException("Cannot read the end offsets of " + topic, e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Cannot read the end offsets of " + topic + " within 30 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }

    /** Reads a topic from the start until {@code expected} committed records arrived or the timeout passed. */
    public List<ConsumerRecord<String, byte[]>> readAll(String topic, long expected, Duration timeout) {
        return readUntil(topic, records -> records.size() >= expected, timeout);
    }

    /**
     * Reads a topic from the start until the committed records read so far satisfy {@code done}, or the timeout passed;
     * returns what was read either way.
     */
    public List<ConsumerRecord<String, byte[]>> readUntil(String topic, Predicate<List<ConsumerRecord<String, byte[]>>> done,
            Duration timeout) {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        List<ConsumerRecord<String, byte[]>> view = Collections.unmodifiableList(records);
        consume(topic, timeout, batch -> {
            batch.forEach(records::add);
            return done.test(view);
        });
        return records;
    }

    /**
     * Hands every committed record of a topic, from the start, to {@code action} until {@code expected} were seen or
     * the timeout passed; returns how many were seen.
     */
    public long forEachRecord(String topic, long expected, Duration timeout,
            Consumer<ConsumerRecord<String, byte[]>> action) {
        long[] seen = { 0 };
        consume(topic, timeout, batch -> {
            for (ConsumerRecord<String, byte[]> record : batch) {
                action.accept(record);
                seen[0]++;
            }
            return seen[0] >= expected;
        });
        return seen[0];
    }

    /** Polls a topic from the start, handing each batch to {@code batchDone} until it returns true or time is up. */
    private void consume(String topic, Duration timeout,
            Predicate<Iterable<ConsumerRecord<String, byte[]>>> batchDone) {
        Map<String, Object> config = new HashMap<>(clientConfig);
        config.putAll(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000,
                ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 2 * Topics.RAW_MAX_MESSAGE_BYTES,
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 2 * Topics.RAW_MAX_MESSAGE_BYTES));
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            Instant deadline = Instant.now().plus(timeout);
            boolean done = batchDone.test(List.of());
            while (!done && Instant.now().isBefore(deadline)) {
                done = batchDone.test(consumer.poll(Duration.ofMillis(200)));
            }
        }
    }
}
