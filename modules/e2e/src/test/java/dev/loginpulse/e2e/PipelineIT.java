package dev.loginpulse.e2e;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.loginpulse.events.CleanLogin;
import dev.loginpulse.events.Json;
import dev.loginpulse.events.JsonSerde;
import dev.loginpulse.events.Topics;
import dev.loginpulse.launcher.PipelineOptions;
import dev.loginpulse.launcher.Service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole pipeline as a user runs it: a real KRaft broker, the four packaged services as separate processes (the
 * generator paused), raw records written with a real Kafka producer, and the results read back with real consumers and
 * over HTTP.
 */
class PipelineIT extends PipelineTest {

    private PipelineOptions options;

    @Override
    protected PipelineOptions options() {
        options = PipelineSupport.options("pipeline");
        return options;
    }

    @Test
    void handMadeRawRecordsYieldExactlyTheContractsCleanRecordsDeadLettersAndTotals() throws Exception {
        HandMadeLogins logins = HandMadeLogins.create(300);
        Map<String, Long> totalsBefore = PipelineSupport.stateTotals(pipeline);

        try (KafkaProducer<byte[], byte[]> producer = PipelineSupport.producer(pipeline)) {
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
        // Every raw record exactly once, counted as a multiset over the whole topic (a duplicated dead letter, even one
        // written after the others, fails), each with its reason.
        Map<String, Integer> copies = new HashMap<>();
        Map<String, String> reasonByPayload = new HashMap<>();
        PipelineSupport.forEachRecord(pipeline, Topics.USER_LOGIN_DLQ,
                PipelineSupport.endOffsets(pipeline, Topics.USER_LOGIN_DLQ), record -> {
                    String payload = new String(record.value(), StandardCharsets.UTF_8);
                    if (logins.isOurs(payload)) {
                        copies.merge(payload, 1, Integer::sum);
                        reasonByPayload.put(payload, header(record, "dead-letter-reason"));
                    }
                });
        assertThat(copies).as("dead letters of this test, by payload").hasSize(logins.expectedDeadLetters().size())
                .allSatisfy((payload, count) -> assertThat(count).as("copies of %s", payload).isEqualTo(1));
        assertThat(deadLetters).hasSize(logins.expectedDeadLetters().size());
        logins.expectedDeadLetters().forEach((payload, reason) -> assertThat(reasonByPayload.get(payload))
                .as("dead-letter reason of %s", payload).startsWith(reason + ": "));
        Map<String, Integer> cleanCopies = new HashMap<>();
        PipelineSupport.forEachRecord(pipeline, Topics.USER_LOGIN_CLEAN,
                PipelineSupport.endOffsets(pipeline, Topics.USER_LOGIN_CLEAN), record -> {
                    CleanLogin login = JsonSerde.cleanLogin().deserialize(null, record.value());
                    if (logins.isOurs(login.userId())) {
                        cleanCopies.merge(login.deviceId(), 1, Integer::sum);
                    }
                });
        assertThat(cleanCopies).as("clean records of this test, by device id")
                .hasSize(logins.expectedClean().size())
                .allSatisfy((device, count) -> assertThat(count).as("copies of %s", device).isEqualTo(1));

        Map<String, Long> expectedTotals = new HashMap<>(totalsBefore);
        logins.expectedCountsByState().forEach((state, count) -> expectedTotals.merge(state, count, Long::sum));
        await().atMost(PipelineSupport.PROCESSING_TIMEOUT).pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> assertThat(PipelineSupport.stateTotals(pipeline)).isEqualTo(expectedTotals));
    }

    @Test
    void generatedTrafficEndsUpCleanOrDeadLetteredAndTheDashboardTotalEqualsTheCleanCount() throws Exception {
        options.env(Service.GENERATOR, "PULSE_GENERATOR_RATE", "400");
        options.env(Service.GENERATOR, "PULSE_GENERATOR_DIRTY_RATIO", "0.2");
        pipeline.stopService(Service.GENERATOR);
        pipeline.startService(Service.GENERATOR);
        long rawBefore = PipelineSupport.endOffsets(pipeline, Topics.USER_LOGIN);
        await().atMost(PipelineSupport.PROCESSING_TIMEOUT)
                .until(() -> PipelineSupport.endOffsets(pipeline, Topics.USER_LOGIN) >= rawBefore + 1_000);
        pipeline.stopService(Service.GENERATOR);
        options.unsetEnv(Service.GENERATOR, "PULSE_GENERATOR_RATE");

        await().atMost(PipelineSupport.PROCESSING_TIMEOUT).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            long raw = PipelineSupport.endOffsets(pipeline, Topics.USER_LOGIN);
            long clean = PipelineSupport.endOffsets(pipeline, Topics.USER_LOGIN_CLEAN);
            long deadLetters = PipelineSupport.endOffsets(pipeline, Topics.USER_LOGIN_DLQ);
            assertThat(clean + deadLetters).as("clean + dead-lettered").isEqualTo(raw);
            assertThat(deadLetters).isPositive();
            assertThat(PipelineSupport.stats(pipeline).get("total_logins").asLong()).as("dashboard total").isEqualTo(clean);
            assertThat(PipelineSupport.stats(pipeline).get("dead_lettered").asLong()).as("dashboard dead letters")
                    .isEqualTo(deadLetters);
        });
        for (Service service : List.of(Service.CLEANER, Service.STATS, Service.DASHBOARD)) {
            assertThat(PipelineSupport.status(pipeline, service, "/q/health/ready")).isEqualTo(200);
        }
    }

    @Test
    void everyMetricTheGrafanaDashboardQueriesIsExposedByEachServiceItsPanelConcerns() throws Exception {
        // Traffic first: clean and dirty logins through cleaner and stats to the dashboard, and a request to each
        // REST API (HTTP server metrics exist once a request was served).
        HandMadeLogins logins = HandMadeLogins.create(40);
        Map<String, Long> expectedTotals = new HashMap<>(PipelineSupport.stateTotals(pipeline));
        logins.expectedCountsByState().forEach((state, count) -> expectedTotals.merge(state, count, Long::sum));
        try (KafkaProducer<byte[], byte[]> producer = PipelineSupport.producer(pipeline)) {
            for (HandMadeLogins.Case login : logins.cases()) {
                producer.send(new ProducerRecord<>(Topics.USER_LOGIN, login.raw())).get(30, TimeUnit.SECONDS);
            }
        }
        await().atMost(PipelineSupport.PROCESSING_TIMEOUT).pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> assertThat(PipelineSupport.stateTotals(pipeline)).containsAllEntriesOf(
                        expectedTotals));
        assertThat(PipelineSupport.status(pipeline, Service.STATS, "/api/devices")).isEqualTo(200);
        assertThat(PipelineSupport.status(pipeline, Service.DASHBOARD, "/")).isEqualTo(200);

        Map<Service, Set<String>> expected = GrafanaQueries.metricsByService();
        assertThat(expected).as("services the dashboard's panels concern").containsOnlyKeys(PipelineSupport.STREAMING);
        List<String> missing = new ArrayList<>();
        for (Map.Entry<Service, Set<String>> service : expected.entrySet()) {
            String scrape = PipelineSupport.get(pipeline.url(service.getKey()).resolve("/q/metrics")).body();
            Set<String> exposed = GrafanaQueries.exposed(scrape);
            for (String name : service.getValue()) {
                if (!exposed.contains(name)) {
                    missing.add(service.getKey().moduleName() + " does not expose " + name + " (similar: "
                            + GrafanaQueries.nearMisses(name, exposed) + ")");
                }
            }
        }
        assertThat(missing).as("metrics " + GrafanaQueries.DASHBOARD + " queries").isEmpty();
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
            Instant deadline = Instant.now().plus(PipelineSupport.PROCESSING_TIMEOUT);
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
