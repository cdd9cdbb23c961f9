package dev.loginpulse.cleaner;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

import dev.loginpulse.devbroker.KafkaBroker;
import dev.loginpulse.devbroker.KafkaBrokerTestResource;
import dev.loginpulse.devbroker.TopicClient;
import dev.loginpulse.events.CleanLogin;
import dev.loginpulse.events.JsonSerde;
import dev.loginpulse.events.Topics;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

/**
 * The packaged cleaner (the JVM jar, or the native executable under {@code -Dnative}) against a real broker: clean
 * records on {@link Topics#USER_LOGIN_CLEAN}, the rest on {@link Topics#USER_LOGIN_DLQ} with their reason and original
 * bytes.
 */
@QuarkusIntegrationTest
@WithTestResource(value = KafkaBrokerTestResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class CleanerIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    KafkaBroker broker;

    @Test
    void cleanRecordsAreNormalisedAndTheRestAreDeadLetteredWithReasonAndOriginalBytes() throws Exception {
        byte[] oversized = new byte[(1 << 20) + 1];
        Arrays.fill(oversized, (byte) ' ');
        Map<String, byte[]> raw = Map.of(
                "clean", """
                        {"user_id":"u1","app_version":"2.3.0","device_type":" Android Tablet ","ip":"10.0.0.1",
                         "locale":" ri ","device_id":"d1","timestamp":"1694479551"}""".getBytes(StandardCharsets.UTF_8),
                "unknown-state", """
                        {"user_id":"u2","app_version":"3.0.0","device_type":"iOS","ip":"10.0.0.2",
                         "locale":null,"device_id":"d2","timestamp":1694479552}""".getBytes(StandardCharsets.UTF_8),
                "not-json", "<html>".getBytes(StandardCharsets.UTF_8),
                "no-user", "{\"timestamp\":1694479551}".getBytes(StandardCharsets.UTF_8),
                "oversized", oversized);
        TopicClient client = TopicClient.of(broker);
        try (KafkaProducer<byte[], byte[]> producer = client.rawProducer()) {
            for (Map.Entry<String, byte[]> record : raw.entrySet()) {
                producer.send(new ProducerRecord<>(Topics.USER_LOGIN, bytes(record.getKey()), record.getValue())).get();
            }
        }

        List<ConsumerRecord<String, byte[]>> clean = client.readAll(Topics.USER_LOGIN_CLEAN, 2, TIMEOUT);
        assertThat(clean).extracting(record -> JsonSerde.cleanLogin().deserializer().deserialize("", record.value()))
                .containsExactlyInAnyOrder(
                        new CleanLogin("2023-09-12T00:45:51Z", "RI", "androidtablet", "u1", "2.3.0", "10.0.0.1", "d1"),
                        new CleanLogin("2023-09-12T00:45:52Z", "UNK", "ios", "u2", "3.0.0", "10.0.0.2", "d2"));
        assertThat(clean).extracting(ConsumerRecord::key).containsExactlyInAnyOrder("RI", "UNK");
        assertThat(clean).allSatisfy(record -> assertThat(header(record, Topics.SOURCE_OFFSET)).matches("\\d+:\\d+"));

        List<ConsumerRecord<String, byte[]>> deadLetters = client.readAll(Topics.USER_LOGIN_DLQ, 3, TIMEOUT);
        Map<String, ConsumerRecord<String, byte[]>> byKey = deadLetters.stream()
                .collect(Collectors.toMap(ConsumerRecord::key, record -> record));
        assertThat(byKey).containsOnlyKeys("not-json", "no-user", "oversized");
        assertThat(header(byKey.get("not-json"), Topics.DEAD_LETTER_REASON)).startsWith("NOT_JSON: ");
        assertThat(header(byKey.get("no-user"), Topics.DEAD_LETTER_REASON)).startsWith("MISSING_USER_ID: ");
        assertThat(header(byKey.get("oversized"), Topics.DEAD_LETTER_REASON)).startsWith("TOO_LARGE: ");
        for (String key : byKey.keySet()) {
            assertThat(byKey.get(key).value()).as(key).isEqualTo(raw.get(key));
        }

        await().atMost(TIMEOUT).untilAsserted(() -> given().get("/q/metrics").then().statusCode(200)
                .body(containsString("pulse_cleaner_cleaned_total 2.0"))
                .body(containsString("pulse_cleaner_dead_lettered_total{reason=\"TOO_LARGE\"} 1.0")));
    }

    @Test
    void readinessReportsTheBrokerConnection() {
        await().atMost(TIMEOUT).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200)
                .body(containsString("\"status\": \"UP\"")));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        assertThat(header).as(name + " header").isNotNull();
        return new String(header.value(), StandardCharsets.UTF_8);
    }
}
