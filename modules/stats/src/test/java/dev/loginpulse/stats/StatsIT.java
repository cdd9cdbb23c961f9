package dev.loginpulse.stats;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import dev.loginpulse.devbroker.KafkaBroker;
import dev.loginpulse.devbroker.KafkaBrokerTestResource;
import dev.loginpulse.devbroker.TopicClient;
import dev.loginpulse.events.CleanLogin;
import dev.loginpulse.events.JsonSerde;
import dev.loginpulse.events.SourceIntegrity;
import dev.loginpulse.events.StateStats;
import dev.loginpulse.events.Topics;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;

/**
 * The packaged stats service (the JVM jar, or the native executable under {@code -Dnative}) against a real broker: its
 * persistent (RocksDB) stores count logins per state and window, distinct users and running totals, and skip a clean
 * record re-delivered from the same raw offset; the REST queries read those stores.
 */
@QuarkusIntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@WithTestResource(value = KafkaBrokerTestResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
@WithTestResource(value = FreshStateDir.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class StatsIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final Instant T = Instant.parse("2023-09-12T00:45:51Z");

    KafkaBroker broker;

    /** Once for the class, as the service under test runs once for it (the broker is injected before this). */
    @BeforeAll
    void loginsOnTheCleanTopic() throws Exception {
        // The raw records the clean ones below stand for (stats checks that a source offset exists in user-login).
        try (KafkaProducer<byte[], byte[]> raw = TopicClient.of(broker).rawProducer()) {
            for (int partition : new int[] { 0, 0, 0, 1 }) {
                raw.send(new ProducerRecord<>(Topics.USER_LOGIN, partition, null,
                        "{}".getBytes(StandardCharsets.UTF_8))).get();
            }
        }
        try (KafkaProducer<String, CleanLogin> producer = TopicClient.of(broker).producer(new StringSerializer(),
                JsonSerde.cleanLogin())) {
            send(producer, "0:0", login("RI", "alice"));
            send(producer, "0:1", login("RI", "alice"));
            // The cleaner re-delivering raw offset 0:1 after a crash: not a new login.
            send(producer, "0:1", login("RI", "alice"));
            // A forged source offset beyond the end of user-login-0: dropped, and 0:2 still counts.
            send(producer, "0:9223372036854775807", login("RI", "mallory"));
            send(producer, "0:2", login("RI", "bob"));
            send(producer, "1:0", login("NY", "carol"));
        }
    }

    @Test
    void windowsCountLoginsAndDistinctUsersPerStateAndSkipARedeliveredRecord() {
        TopicClient client = TopicClient.of(broker);
        Map<String, StateStats> latest = new HashMap<>();
        client.readUntil(Topics.USER_LOGIN_STATS, records -> {
            latest.clear();
            for (ConsumerRecord<String, byte[]> record : records) {
                StateStats stats = JsonSerde.stateStats().deserialize(Topics.USER_LOGIN_STATS, record.value());
                assertThat(record.key()).isEqualTo(stats.state());
                latest.put(stats.state() + "@" + stats.windowStart(), stats);
            }
            return latest.values().stream().filter(stats -> stats.state().equals("RI"))
                    .filter(stats -> stats.totalLogins() == 3 && stats.uniqueUsers() == 2).count() == 6
                    && latest.values().stream().filter(stats -> stats.state().equals("NY")).count() == 6;
        }, TIMEOUT);

        // 00:45:51 lies in the six 60 s windows that start every 10 s from 00:45:00 to 00:45:50.
        List<String> starts = List.of("00:45:00", "00:45:10", "00:45:20", "00:45:30", "00:45:40", "00:45:50");
        for (String start : starts) {
            String windowStart = "2023-09-12T" + start + "Z";
            assertThat(latest.get("RI@" + windowStart)).as("RI " + windowStart)
                    .isEqualTo(new StateStats("RI", windowStart, Instant.parse(windowStart).plusSeconds(60).toString(),
                            3, 2, 3, T.toString()));
            assertThat(latest.get("NY@" + windowStart)).as("NY " + windowStart)
                    .isEqualTo(new StateStats("NY", windowStart, Instant.parse(windowStart).plusSeconds(60).toString(),
                            1, 1, 1, T.toString()));
        }
        assertThat(latest).hasSize(12);
    }

    @Test
    void restQueriesAnswerFromTheStateStoresWithClearErrors() {
        await().atMost(TIMEOUT).untilAsserted(() -> given().get("/api/states/ri").then().statusCode(200)
                .body("state", equalTo("RI"))
                .body("total_logins", equalTo(3))
                .body("windows.size()", equalTo(6))
                .body("windows.unique_users", everyItem(equalTo(2))));
        given().get("/api/states/ZZ").then().statusCode(404).contentType(containsString("application/json"));
        await().atMost(TIMEOUT).untilAsserted(() -> given().get("/api/devices").then().statusCode(200)
                .body(containsString("android")));
        given().get("/api/ips/top?limit=0").then().statusCode(400);
        given().get("/q/openapi").then().statusCode(200).body(containsString("/api/states/{code}"));
    }

    @Test
    void readinessReportsTheStreamsApplication() {
        await().atMost(TIMEOUT).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200)
                .body(containsString("\"status\": \"UP\"")));
        given().get("/q/metrics").then().statusCode(200).body(containsString("kafka_stream"));
    }

    @Test
    void forgedSourceOffsetIsDroppedAndCountedAndARedeliveryIsCounted() {
        await().atMost(TIMEOUT).untilAsserted(() -> given().get("/q/metrics").then().statusCode(200)
                .body(containsString("pulse_stats_dropped_records_total{reason=\"impossible-source-offset\"} 1.0"))
                .body(containsString("pulse_stats_dropped_records_total{reason=\"malformed-source-offset\"} 0.0"))
                .body(containsString("pulse_stats_redeliveries_total 1.0")));

        // The same counts on user-login-integrity, for the dashboard: the latest record per clean partition.
        Map<String, SourceIntegrity> latest = new HashMap<>();
        TopicClient.of(broker).readUntil(Topics.USER_LOGIN_INTEGRITY, records -> {
            records.forEach(record -> latest.put(record.key(),
                    JsonSerde.sourceIntegrity().deserialize(Topics.USER_LOGIN_INTEGRITY, record.value())));
            return latest.values().stream().mapToLong(SourceIntegrity::droppedTotal).sum() == 1
                    && latest.values().stream().mapToLong(SourceIntegrity::redeliveriesSkipped).sum() == 1;
        }, TIMEOUT);
        assertThat(latest.values()).flatExtracting(record -> record.dropped().entrySet())
                .containsExactly(Map.entry("impossible-source-offset", 1L));
        assertThat(latest.values().stream().mapToLong(SourceIntegrity::redeliveriesSkipped).sum()).isEqualTo(1);
        assertThat(latest).allSatisfy((key, record) -> assertThat(key).isEqualTo(SourceIntegrity.key(record.partition())));
    }

    private static CleanLogin login(String state, String user) {
        return new CleanLogin(T.toString(), state, "android", user, "2.3.0", "10.0.0.1", "device-" + user);
    }

    private static void send(KafkaProducer<String, CleanLogin> producer, String sourceOffset, CleanLogin login)
            throws Exception {
        ProducerRecord<String, CleanLogin> record = new ProducerRecord<>(Topics.USER_LOGIN_CLEAN, login.locale(), login);
        record.headers().add(Topics.SOURCE_OFFSET, sourceOffset.getBytes(StandardCharsets.UTF_8));
        producer.send(record).get();
    }
}
