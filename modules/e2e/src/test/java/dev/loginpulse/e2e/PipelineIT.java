package dev.loginpulse.e2e;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.fasterxml.jackson.databind.JsonNode;

import dev.loginpulse.broker.Pipeline;
import dev.loginpulse.broker.Service;
import dev.loginpulse.events.CleanLogin;
import dev.loginpulse.events.Json;
import dev.loginpulse.events.JsonSerde;
import dev.loginpulse.events.Topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole pipeline as a user runs it: a real KRaft broker, the four packaged services as separate processes (the
 * generator paused), raw records written with a real Kafka producer, and the results read back with real consumers and
 * over HTTP.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PipelineIT {

    private static final Duration PROCESSING_TIMEOUT = Duration.ofSeconds(90);

    private Pipeline pipeline;
    private Pipeline.Options options;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void startPipeline() {
        Path home = Path.of(System.getProperty("pulse.home", "../..")).toAbsolutePath().normalize();
        options = new Pipeline.Options()
                .home(home)
                .logDir(home.resolve("modules/e2e/target/pipeline-logs"))
                .version(System.getProperty("pulse.version", "1.0.0-SNAPSHOT"))
                .mode(Pipeline.Mode.valueOf(System.getProperty("pulse.mode", "jvm").toUpperCase()))
                .kafkaPort(0)
                .env("PULSE_GENERATOR_RATE", "0")
                .env("PULSE_STATS_STATE_DIR", home.resolve("modules/e2e/target/stats-state-" + UUID.randomUUID())
                        .toString());
        for (Service service : Service.values()) {
            options.port(service, 0);
        }
        pipeline = Pipeline.start(options);
    }

    @AfterAll
    void stopPipeline() {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    @Test
    void handMadeRawRecordsYieldExactlyTheContractsCleanRecordsDeadLettersAndTotals() throws Exception {
        HandMadeLogins logins = HandMadeLogins.create(300);
        Map<String, Long> totalsBefore = stateTotals();

        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            for (HandMadeLogins.Case login : logins.cases()) {
                producer.send(new ProducerRecord<>(Topics.USER_LOGIN, login.raw())).get(30, TimeUnit.SECONDS);
            }
        }

        List<ConsumerRecord<String, byte[]>> clean = readUntil(Topics.USER_LOGIN_CLEAN,
                record -> logins.isOurs(JsonSerde.cleanLogin().deserialize(null, record.value()).userId()),
                logins.expectedClean().size());
        assertThat(clean).extracting(r -> JsonSerde.cleanLogin().deserialize(null, r.value()))
                .containsExactlyInAnyOrderElementsOf(logins.expectedClean());
        assertThat(clean).allSatisfy(record -> {
            CleanLogin login = JsonSerde.cleanLogin().deserialize(null, record.value());
            assertThat(record.key()).isEqualTo(login.locale());
            assertThat(header(record, Topics.SOURCE_OFFSET)).matches("\\d+:\\d+");
            JsonNode json = Json.MAPPER.readTree(record.value());
            assertThat(json.properties()).extracting(Map.Entry::getKey).containsExactly("timestamp", "locale",
                    "device_type", "user_id", "app_version", "ip", "device_id");
        });

        List<ConsumerRecord<String, byte[]>> deadLetters = readUntil(Topics.USER_LOGIN_DLQ,
                record -> logins.isOurs(new String(record.value(), StandardCharsets.UTF_8)),
                logins.expectedDeadLetters().size());
        Map<String, String> reasonByPayload = new HashMap<>();
        for (ConsumerRecord<String, byte[]> record : deadLetters) {
            reasonByPayload.put(new String(record.value(), StandardCharsets.UTF_8), header(record, "dead-letter-reason"));
        }
        assertThat(reasonByPayload).hasSize(logins.expectedDeadLetters().size());
        logins.expectedDeadLetters().forEach((payload, reason) -> assertThat(reasonByPayload.get(payload))
                .as("dead-letter reason of %s", payload).startsWith(reason + ": "));

        Map<String, Long> expectedTotals = new HashMap<>(totalsBefore);
        logins.expectedCountsByState().forEach((state, count) -> expectedTotals.merge(state, count, Long::sum));
        await().atMost(PROCESSING_TIMEOUT).pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> assertThat(stateTotals()).isEqualTo(expectedTotals));
    }

    @Test
    void generatedTrafficEndsUpCleanOrDeadLetteredAndTheDashboardTotalEqualsTheCleanCount() throws Exception {
        options.env(Service.GENERATOR, "PULSE_GENERATOR_RATE", "400");
        options.env(Service.GENERATOR, "PULSE_GENERATOR_DIRTY_RATIO", "0.2");
        pipeline.stopService(Service.GENERATOR);
        pipeline.startService(Service.GENERATOR);
        long rawBefore = endOffsets(Topics.USER_LOGIN);
        await().atMost(PROCESSING_TIMEOUT).until(() -> endOffsets(Topics.USER_LOGIN) >= rawBefore + 1_000);
        pipeline.stopService(Service.GENERATOR);
        options.unsetEnv(Service.GENERATOR, "PULSE_GENERATOR_RATE");

        await().atMost(PROCESSING_TIMEOUT).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            long raw = endOffsets(Topics.USER_LOGIN);
            long clean = endOffsets(Topics.USER_LOGIN_CLEAN);
            long deadLetters = endOffsets(Topics.USER_LOGIN_DLQ);
            assertThat(clean + deadLetters).as("clean + dead-lettered").isEqualTo(raw);
            assertThat(deadLetters).isPositive();
            assertThat(dashboardTotal()).as("dashboard total").isEqualTo(clean);
        });
        for (Service service : List.of(Service.CLEANER, Service.STATS, Service.DASHBOARD)) {
            assertThat(get(pipeline.url(service).resolve("/q/health/ready")).statusCode()).isEqualTo(200);
        }
    }

    private Map<String, Long> stateTotals() throws Exception {
        JsonNode stats = Json.MAPPER.readTree(get(pipeline.url(Service.DASHBOARD).resolve("/api/stats")).body());
        Map<String, Long> totals = new HashMap<>();
        for (JsonNode state : stats.get("states")) {
            totals.put(state.get("state").asText(), state.get("total_logins").asLong());
        }
        return totals;
    }

    private long dashboardTotal() throws Exception {
        return Json.MAPPER.readTree(get(pipeline.url(Service.DASHBOARD).resolve("/api/stats")).body())
                .get("total_logins").asLong();
    }

    private HttpResponse<String> get(URI uri) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private long endOffsets(String topic) throws Exception {
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

    private KafkaProducer<byte[], byte[]> producer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, pipeline.bootstrapServers()),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    private List<ConsumerRecord<String, byte[]>> readUntil(String topic,
            Predicate<ConsumerRecord<String, byte[]>> ours, int expected) {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, pipeline.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "e2e-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            Instant deadline = Instant.now().plus(PROCESSING_TIMEOUT);
            while (records.size() < expected && Instant.now().isBefore(deadline)) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (ours.test(record)) {
                        records.add(record);
                    }
                }
            }
            // Anything beyond the expected records would be a duplicate: read a little longer to catch it.
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofSeconds(2))) {
                if (ours.test(record)) {
                    records.add(record);
                }
            }
        }
        return records;
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
