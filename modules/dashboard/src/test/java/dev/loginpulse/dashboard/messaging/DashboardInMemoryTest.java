package dev.loginpulse.dashboard.messaging;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.enterprise.inject.Any;
import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.loginpulse.dashboard.websocket.StatsSocket;
import dev.loginpulse.events.DeviceMix;
import dev.loginpulse.events.Insight;
import dev.loginpulse.events.SourceIntegrity;
import dev.loginpulse.events.StateStats;
import dev.loginpulse.events.TopIps;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.websockets.next.BasicWebSocketConnector;
import io.quarkus.websockets.next.WebSocketClientConnection;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;
import io.smallrye.reactive.messaging.memory.InMemorySource;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

@QuarkusTest
@WithTestResource(value = InMemoryChannels.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class DashboardInMemoryTest {

    private static final Instant T0 = Instant.parse("2023-09-12T00:00:00Z");

    @Inject
    @Any
    InMemoryConnector connector;

    @Inject
    BasicWebSocketConnector webSocket;

    @Inject
    ObjectMapper mapper;

    @TestHTTPResource("/")
    URI baseUri;

    @Test
    void statsRecordsShowUpInTheApiWithExactTotals() {
        InMemorySource<StateStats> stats = connector.source(StatsConsumer.CHANNEL);
        stats.send(stats("RI", 0, 4, 3, 40));
        stats.send(stats("RI", 10, 6, 4, 42));
        stats.send(stats("UNK", 10, 1, 1, 7));

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given().get("/api/stats").then()
                .statusCode(200)
                .body("states.find { it.state == 'RI' }.total_logins", equalTo(42))
                .body("states.find { it.state == 'UNK' }.total_logins", equalTo(7)));
        JsonNode snapshot = read(given().get("/api/stats").asString());
        long sumOfStates = 0;
        for (JsonNode state : snapshot.get("states")) {
            sumOfStates += state.get("total_logins").asLong();
        }
        assertThat(snapshot.get("total_logins").asLong()).isEqualTo(sumOfStates).isGreaterThanOrEqualTo(49);
    }

    @Test
    void webSocketSendsASnapshotOnOpenThenUpdates() throws Exception {
        List<JsonNode> messages = new CopyOnWriteArrayList<>();
        WebSocketClientConnection connection = webSocket.baseUri(baseUri).path(StatsSocket.PATH)
                .onTextMessage((c, text) -> messages.add(read(text)))
                .connectAndAwait();
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> !messages.isEmpty());
            assertThat(messages.get(0).get("type").asText()).isEqualTo("snapshot");

            InMemorySource<StateStats> stats = connector.source(StatsConsumer.CHANNEL);
            stats.send(stats("WY", 0, 2, 2, 1234));

            await().atMost(Duration.ofSeconds(10)).until(() -> messages.stream()
                    .anyMatch(m -> m.get("type").asText().equals("update") && m.get("stats").get("states")
                            .findValuesAsText("state").contains("WY")));
        } finally {
            connection.closeAndAwait();
        }
    }

    @Test
    void pageRendersStatesAndEscapesHostileText() {
        InMemorySource<StateStats> stats = connector.source(StatsConsumer.CHANNEL);
        stats.send(stats("<script>alert(1)</script>", 0, 1, 1, 1));

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given().get("/").then()
                .statusCode(200)
                .contentType(containsString("text/html"))
                .body(containsString("&lt;script&gt;alert(1)&lt;/script&gt;"))
                .body(not(containsString("<script>alert(1)</script>")))
                .body(containsString("src=\"/dashboard.js\"")));
    }

    @Test
    void everyResponseCarriesSecurityHeadersThatForbidInlineScriptAndFraming() {
        for (String path : List.of("/", "/api/stats", "/dashboard.js")) {
            given().get(path).then().statusCode(200)
                    .header("X-Content-Type-Options", "nosniff")
                    .header("X-Frame-Options", "DENY")
                    .header("Content-Security-Policy", containsString("script-src 'self'"))
                    .header("Content-Security-Policy", containsString("frame-ancestors 'none'"))
                    .header("Content-Security-Policy", not(containsString("unsafe-inline")));
        }
    }

    @Test
    void deadLettersAreCountedForTheHeadline() {
        long before = read(given().get("/api/stats").asString()).get("dead_lettered").asLong();
        InMemorySource<byte[]> deadLetters = connector.source(StatsConsumer.DEAD_LETTER_CHANNEL);
        deadLetters.send("garbage".getBytes());
        deadLetters.send(new byte[0]);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given().get("/api/stats").then()
                .body("dead_lettered", equalTo((int) before + 2)));
    }

    @Test
    void recordsStatsDroppedAreShownWithTheirReasons() {
        InMemorySource<SourceIntegrity> integrity = connector.source(StatsConsumer.INTEGRITY_CHANNEL);
        integrity.send(new SourceIntegrity(2, Map.of("impossible-source-offset", 1L), 0, T0.toString()));
        integrity.send(new SourceIntegrity(0, Map.of("malformed-source-offset", 4L), 7, T0.toString()));

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given().get("/api/stats").then()
                .body("dropped_records", equalTo(5))
                .body("dropped_by_reason.'impossible-source-offset'", equalTo(1))
                .body("dropped_by_reason.'malformed-source-offset'", equalTo(4)));
        given().get("/").then().body(containsString("id=\"dropped-records\" class=\"value\">5<"));
    }

    @Test
    void theDashboardIsReadOnly() {
        for (String path : List.of("/", "/api/stats")) {
            given().post(path).then().statusCode(405);
            given().put(path).then().statusCode(405);
            given().delete(path).then().statusCode(405);
        }
    }

    @Test
    void insightRecordsShowUpInTheApiAsTheInsightPanels() {
        InMemorySource<StateStats> stats = connector.source(StatsConsumer.CHANNEL);
        InMemorySource<Insight> insights = connector.source(StatsConsumer.INSIGHTS_CHANNEL);
        stats.send(stats("NV", 600, 3, 3, 3));
        String start = T0.plusSeconds(600).toString();
        String end = T0.plusSeconds(660).toString();
        insights.send(new DeviceMix(Insight.HOPPING, start, end, 3, Map.of("android", 3L), 0));
        insights.send(new TopIps(Insight.HOPPING, start, end, 2, 1, List.of(new TopIps.IpCount("10.9.9.9", 3, true))));

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given().get("/api/stats").then()
                .statusCode(200)
                .body("insights.window_start", equalTo(start))
                .body("insights.device_types.android", equalTo(3))
                .body("insights.top_ips[0].ip", equalTo("10.9.9.9"))
                .body("insights.top_ips[0].flagged", equalTo(true))
                .body("insights.ips_over_threshold", equalTo(1)));
    }

    private JsonNode read(String text) {
        try {
            return mapper.readTree(text);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static StateStats stats(String state, int startSecond, long logins, long users, long total) {
        return new StateStats(state, T0.plusSeconds(startSecond).toString(), T0.plusSeconds(startSecond + 60).toString(),
                logins, users, total, T0.plusSeconds(startSecond + 5).toString());
    }
}
