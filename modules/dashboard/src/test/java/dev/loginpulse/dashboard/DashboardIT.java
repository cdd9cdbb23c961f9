package dev.loginpulse.dashboard;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.fasterxml.jackson.databind.JsonNode;

import dev.loginpulse.dashboard.websocket.StatsSocket;
import dev.loginpulse.devbroker.KafkaBroker;
import dev.loginpulse.devbroker.KafkaBrokerTestResource;
import dev.loginpulse.devbroker.TopicClient;
import dev.loginpulse.events.Json;
import dev.loginpulse.events.JsonSerde;
import dev.loginpulse.events.StateStats;
import dev.loginpulse.events.Topics;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.RestAssured;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * The packaged dashboard (the JVM jar, or the native executable under {@code -Dnative}) against a real broker: stats
 * and dead letters from Kafka reach {@code /api/stats}, the Qute page, the static map assets and {@code /ws/stats}.
 */
@QuarkusIntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@WithTestResource(value = KafkaBrokerTestResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class DashboardIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Instant T0 = Instant.parse("2023-09-12T00:45:00Z");

    KafkaBroker broker;

    /** Once for the class, as the service under test runs once for it (the broker is injected before this). */
    @BeforeAll
    void statsAndDeadLettersOnTheirTopics() throws Exception {
        TopicClient client = TopicClient.of(broker);
        try (KafkaProducer<String, StateStats> producer = client.producer(new StringSerializer(),
                JsonSerde.stateStats())) {
            producer.send(new ProducerRecord<>(Topics.USER_LOGIN_STATS, "RI", stats("RI", 0, 4, 3, 40))).get();
            producer.send(new ProducerRecord<>(Topics.USER_LOGIN_STATS, "RI", stats("RI", 10, 6, 4, 42))).get();
            producer.send(new ProducerRecord<>(Topics.USER_LOGIN_STATS, "WY", stats("WY", 10, 2, 2, 7))).get();
        }
        try (KafkaProducer<byte[], byte[]> producer = client.rawProducer()) {
            producer.send(new ProducerRecord<>(Topics.USER_LOGIN_DLQ, "<html>".getBytes(StandardCharsets.UTF_8))).get();
            producer.send(new ProducerRecord<>(Topics.USER_LOGIN_DLQ, new byte[0])).get();
        }
    }

    /** RestAssured knows the service's port from here on; the first time, this waits until the records are in. */
    @BeforeEach
    void recordsHaveArrived() {
        await().atMost(TIMEOUT).untilAsserted(() -> given().get("/api/stats").then().statusCode(200)
                .body("total_logins", equalTo(49))
                .body("dead_lettered", equalTo(2)));
    }

    @Test
    void apiShowsLatestTotalsPerStateAndTheDeadLetterCount() {
        given().get("/api/stats").then().statusCode(200)
                .body("states.find { it.state == 'RI' }.total_logins", equalTo(42))
                // The current window is the earliest one holding the latest login (00:45:15): 00:45:00-00:46:00,
                // in which WY has no logins.
                .body("window_start", equalTo("2023-09-12T00:45:00Z"))
                .body("states.find { it.state == 'RI' }.logins", equalTo(4))
                .body("states.find { it.state == 'RI' }.unique_users", equalTo(3))
                .body("states.find { it.state == 'WY' }.logins", equalTo(0))
                .body("states.find { it.state == 'WY' }.total_logins", equalTo(7))
                .body("dead_lettered", equalTo(2));
    }

    @Test
    void pageIsRenderedWithTheStatesAndItsAssetsAreServedFromTheExecutable() {
        given().get("/").then().statusCode(200)
                .contentType(containsString("text/html"))
                .header("Content-Security-Policy", containsString("script-src 'self'"))
                .body(containsString("src=\"/js/main.js\""))
                .body(containsString("Rhode Island"));
        given().get("/js/main.js").then().statusCode(200).body(containsString("'" + StatsSocket.PATH + "'"));
        given().get("/js/live-socket.js").then().statusCode(200).body(containsString("new WebSocket("));
        given().get("/dashboard.css").then().statusCode(200);
        // The map's packages, fetched from the npm registry at build time, served by the executable itself.
        given().get("/vendor/us-atlas/states-10m.json").then().statusCode(200).body(containsString("Puerto Rico"));
        given().get("/vendor/d3-geo/src/index.js").then().statusCode(200).body(containsString("geoAlbersUsa"));
        given().get("/vendor/topojson-client/src/index.js").then().statusCode(200).body(containsString("feature"));
        given().get("/vendor/d3-array/src/index.js").then().statusCode(200).body(containsString("quantileSorted"));
    }

    @Test
    void webSocketOpensWithASnapshotOfTheStats() throws Exception {
        List<String> messages = new CopyOnWriteArrayList<>();
        URI uri = URI.create("ws://localhost:" + RestAssured.port + StatsSocket.PATH);
        WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(uri, new WebSocket.Listener() {
                    private final StringBuilder text = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        text.append(data);
                        if (last) {
                            messages.add(text.toString());
                            text.setLength(0);
                        }
                        webSocket.request(1);
                        return null;
                    }
                }).get();
        try {
            await().atMost(TIMEOUT).until(() -> !messages.isEmpty());
            JsonNode first = Json.MAPPER.readTree(messages.get(0));
            assertThat(first.get("type").asText()).isEqualTo("snapshot");
            assertThat(first.get("stats").get("total_logins").asLong()).isEqualTo(49);
            assertThat(first.get("stats").get("states").findValuesAsText("state")).contains("RI", "WY");
        } finally {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get();
        }
    }

    @Test
    void healthAndMetricsAnswer() {
        given().get("/q/health/ready").then().statusCode(200).body(containsString("\"status\": \"UP\""));
        given().get("/q/metrics").then().statusCode(200).body(containsString("pulse_dashboard"));
    }

    private static StateStats stats(String state, int startSecond, long logins, long users, long total) {
        return new StateStats(state, T0.plusSeconds(startSecond).toString(),
                T0.plusSeconds(startSecond + 60).toString(), logins, users, total,
                T0.plusSeconds(startSecond + 5).toString());
    }
}
