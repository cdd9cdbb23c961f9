package dev.loginpulse.e2e;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import com.fasterxml.jackson.databind.JsonNode;

import dev.loginpulse.broker.Pipeline;
import dev.loginpulse.broker.Service;
import dev.loginpulse.events.Insight;
import dev.loginpulse.events.Json;
import dev.loginpulse.events.JsonSerde;
import dev.loginpulse.events.StateStats;
import dev.loginpulse.events.Topics;

/** What the end-to-end tests share: how they start the pipeline and how they look at topics and the dashboard. */
final class PipelineSupport {

    static final Duration PROCESSING_TIMEOUT = Duration.ofSeconds(90);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private PipelineSupport() {
    }

    /**
     * Options for a pipeline of packaged services (JVM, or native with {@code -Dpulse.mode=native}) on free ports, the
     * generator paused, a fresh stats state directory, logs under {@code modules/e2e/target/<name>-logs}.
     */
    static Pipeline.Options options(String name) {
        Path home = Path.of(System.getProperty("pulse.home", "../..")).toAbsolutePath().normalize();
        Path target = home.resolve("modules/e2e/target");
        Pipeline.Options options = new Pipeline.Options()
                .home(home)
                .logDir(target.resolve(name + "-logs"))
                .version(System.getProperty("pulse.version", "1.0.0-SNAPSHOT"))
                .mode(Pipeline.Mode.valueOf(System.getProperty("pulse.mode", "jvm").toUpperCase(Locale.ROOT)))
                .kafkaPort(0)
                .env("PULSE_GENERATOR_RATE", "0")
                .env("PULSE_STATS_STATE_DIR", target.resolve("stats-state-" + UUID.randomUUID()).toString());
        for (Service service : Service.values()) {
            options.port(service, 0);
        }
        return options;
    }

    /** Records in a topic: the sum of its partitions' end offsets (exact for non-transactional topics). */
    static long endOffsets(Pipeline pipeline, String topic) throws Exception {
        try (Admin admin = pipeline.broker().admin()) {
            int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS)
                    .get(topic).partitions().size();
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            for (int p = 0; p < partitions; p++) {
                request.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            return admin.listOffsets(request).all().get(30, TimeUnit.SECONDS).values().stream()
                    .mapToLong(info -> info.offset()).sum();
        }
    }

    /** {@code GET /api/stats} of the dashboard. */
    static JsonNode stats(Pipeline pipeline) throws Exception {
        return Json.MAPPER.readTree(get(pipeline.url(Service.DASHBOARD).resolve("/api/stats")).body());
    }

    /** Per-state exact totals served by the dashboard. */
    static Map<String, Long> stateTotals(Pipeline pipeline) throws Exception {
        Map<String, Long> totals = new HashMap<>();
        for (JsonNode state : stats(pipeline).get("states")) {
            totals.put(state.get("state").asText(), state.get("total_logins").asLong());
        }
        return totals;
    }

    static HttpResponse<String> get(URI uri) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static int status(Pipeline pipeline, Service service, String path) throws Exception {
        return get(pipeline.url(service).resolve(path)).statusCode();
    }

    /** A producer of raw bytes that can send the largest record the raw topic takes. */
    static KafkaProducer<byte[], byte[]> producer(Pipeline pipeline) {
        Map<String, Object> config = new HashMap<>(pipeline.broker().clientConfig());
        config.putAll(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, pipeline.bootstrapServers(),
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.RAW_MAX_MESSAGE_BYTES + 1024,
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 300_000));
        return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** A producer of {@link StateStats} records, for feeding the dashboard directly. */
    static KafkaProducer<String, StateStats> statsProducer(Pipeline pipeline) {
        Map<String, Object> config = new HashMap<>(pipeline.broker().clientConfig());
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, pipeline.bootstrapServers());
        return new KafkaProducer<>(config, new StringSerializer(), JsonSerde.stateStats());
    }

    /** A producer of {@link Insight} records, for feeding the dashboard's insight panels directly. */
    static KafkaProducer<String, Insight> insightsProducer(Pipeline pipeline) {
        Map<String, Object> config = new HashMap<>(pipeline.broker().clientConfig());
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, pipeline.bootstrapServers());
        return new KafkaProducer<>(config, new StringSerializer(), JsonSerde.insight());
    }

    /** Reads a whole topic from the start until {@code expected} records arrived, or the timeout. */
    static List<ConsumerRecord<String, byte[]>> readAll(Pipeline pipeline, String topic, long expected) {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        forEachRecord(pipeline, topic, expected, records::add);
        return records;
    }

    /** Hands every record of a topic, from the start, to {@code action} until {@code expected} were seen. */
    static void forEachRecord(Pipeline pipeline, String topic, long expected,
            Consumer<ConsumerRecord<String, byte[]>> action) {
        Map<String, Object> config = new HashMap<>(pipeline.broker().clientConfig());
        config.putAll(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, pipeline.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "e2e-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000));
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long seen = 0;
            Instant deadline = Instant.now().plus(PROCESSING_TIMEOUT);
            while (seen < expected && Instant.now().isBefore(deadline)) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    action.accept(record);
                    seen++;
                }
            }
        }
    }
}
