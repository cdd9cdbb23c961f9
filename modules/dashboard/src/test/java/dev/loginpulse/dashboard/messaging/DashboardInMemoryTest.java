package dev.loginpulse.dashboard.messaging;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.inject.Any;
import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.loginpulse.dashboard.websocket.StatsSocket;
import dev.loginpulse.events.DeviceMix;
import dev.loginpulse.events.Insight;
import dev.loginpulse.events.SourceIntegrity;
import dev.loginpulse.events.StateInsights;
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
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

/**
 * One application, so one {@code StatsBoard}, for all these tests. Each test therefore feeds states, integrity
 * partitions and windows of its own that no other test uses, asserts those exactly, and reads a figure summed over the
 * whole board as its value before the test plus exactly what the test fed.
 */
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
        JsonNode before = apiStats();
        assertThat(before.get("states").findValuesAsText("state")).doesNotContain("RI", "UNK");
        InMemorySource<StateStats> stats = connector.source(StatsConsumer.CHANNEL);
        stats.send(stats("RI", 0, 4, 3, 40));
        stats.send(stats("RI", 10, 6, 4, 42));
        stats.send(stats("UNK", 10, 1, 1, 7));

        // A state's total is its latest running total (RI 42), never a sum over its overlapping windows (40 + 42).
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given().get("/api/stats").then()
                .statusCode(200)
                .body("states.find { it.state == 'RI' }.total_logins", equalTo(42))
                .body("states.find { it.state == 'UNK' }.total_logins", equalTo(7))
                .body("total_logins", equalTo((int) before.get("total_logins").asLong() + 42 + 7)));
    }

    @Test
    void aStatesWindowsAreServedNewestFirstWithTheMixOfItsLastFullWindowAndAnUnknownCodeIsNotFound() {
        InMemorySource<StateStats> stats = connector.source(StatsConsumer.CHANNEL);
        stats.send(stats("MT", 0, 4, 3, 40));
        stats.send(stats("MT", 10, 6, 4, 42));
        // the windows holding MT's latest login (15 s) start at 0 and 10: the mix shown is window 0's
        InMemorySource<StateInsights> mixes = connector.source(StatsConsumer.STATE_INSIGHTS_CHANNEL);
        mixes.send(new StateInsights("MT", T0.toString(), T0.plusSeconds(60).toString(), 6,
                new StateInsights.Ranking(List.of(new StateInsights.Entry("ios", 4), new StateInsights.Entry("web", 2)),
                        0),
                new StateInsights.Ranking(List.of(new StateInsights.Entry("2.1", 6)), 0),
                new StateInsights.Ranking(List.of(new StateInsights.Entry("10.66.66.66", 5)), 1)));

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given().get("/api/states/mt").then()
                .statusCode(200)
                .body("state", equalTo("MT"))
                .body("name", equalTo("Montana"))
                .body("total_logins", equalTo(42))
                .body("windows.window_start", contains(T0.plusSeconds(10).toString(), T0.toString()))
                .body("windows.logins", contains(6, 4))
                .body("windows.unique_users", contains(4, 3))
                .body("insights.window_start", equalTo(T0.toString()))
                .body("insights.devices.top.value", contains("ios", "web"))
                .body("insights.devices.top.logins", contains(4, 2))
                .body("insights.app_versions.top.value", contains("2.1"))
                .body("insights.ips.top.value", contains("10.66.66.66"))
                .body("insights.ips.max_error", equalTo(1)));
        given().get("/api/states/XX").then().statusCode(404).body(containsString("Unknown state code 'XX'"));
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
            assertThat(messages.get(0).get("stats").get("states").findValuesAsText("state")).doesNotContain("WY");

            InMemorySource<StateStats> stats = connector.source(StatsConsumer.CHANNEL);
            stats.send(stats("WY", 0, 2, 2, 1234));

            await().atMost(Duration.ofSeconds(10)).until(() -> messages.stream()
                    .anyMatch(m -> m.get("type").asText().equals("update") && stateTotal(m.get("stats"), "WY") == 1234));
            assertThat(messages).allSatisfy(m -> assertThat(stateTotal(m.get("stats"), "WY")).isIn(-1L, 1234L));
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
                .body(containsString("src=\"/js/main.js\"")));
    }

    @Test
    void everyResponseCarriesSecurityHeadersThatForbidInlineScriptAndFraming() {
        for (String path : List.of("/", "/api/stats", "/js/main.js")) {
            given().get(path).then().statusCode(200)
                    .header("X-Content-Type-Options", "nosniff")
                    .header("X-Frame-Options", "DENY")
                    .header("Content-Security-Policy", containsString("script-src 'self'"))
                    .header("Content-Security-Policy", containsString("frame-ancestors 'none'"))
                    .header("Content-Security-Policy", not(containsString("unsafe-inline")));
        }
    }

    @Test
    void thePagesOneInlineScriptIsItsImportMapWhoseHashThePolicyAllows() throws Exception {
        var page = given().get("/").then().statusCode(200).extract();
        Matcher inline = Pattern.compile("<script(?![^>]*\\bsrc=)([^>]*)>(.*?)</script>", Pattern.DOTALL)
                .matcher(page.body().asString());
        List<String> inlineScripts = new ArrayList<>();
        while (inline.find()) {
            assertThat(inline.group(1)).as("the only inline script").contains("type=\"importmap\"");
            inlineScripts.add(inline.group(2));
        }
        assertThat(inlineScripts).hasSize(1);
        String hash = Base64.getEncoder().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(inlineScripts.get(0).getBytes(StandardCharsets.UTF_8)));
        assertThat(page.header("Content-Security-Policy")).contains("script-src 'self' 'sha256-" + hash + "';");
    }

    @Test
    void deadLettersAreCountedForTheHeadline() {
        long before = apiStats().get("dead_lettered").asLong();
        InMemorySource<byte[]> deadLetters = connector.source(StatsConsumer.DEAD_LETTER_CHANNEL);
        deadLetters.send("garbage".getBytes());
        deadLetters.send(new byte[0]);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given().get("/api/stats").then()
                .body("dead_lettered", equalTo((int) before + 2)));
    }

    @Test
    void recordsStatsDroppedAreShownWithTheirReasons() {
        // Integrity records are running counts per user-login-clean partition: no other test uses partitions 0 and 2.
        JsonNode before = apiStats();
        long impossibleBefore = before.get("dropped_by_reason").path("impossible-source-offset").asLong(0);
        long malformedBefore = before.get("dropped_by_reason").path("malformed-source-offset").asLong(0);
        InMemorySource<SourceIntegrity> integrity = connector.source(StatsConsumer.INTEGRITY_CHANNEL);
        integrity.send(new SourceIntegrity(2, Map.of("impossible-source-offset", 1L), 0, T0.toString()));
        integrity.send(new SourceIntegrity(0, Map.of("malformed-source-offset", 4L), 7, T0.toString()));
        long dropped = before.get("dropped_records").asLong() + 1 + 4;

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given().get("/api/stats").then()
                .body("dropped_records", equalTo((int) dropped))
                .body("dropped_by_reason.'impossible-source-offset'", equalTo((int) impossibleBefore + 1))
                .body("dropped_by_reason.'malformed-source-offset'", equalTo((int) malformedBefore + 4)));
        given().get("/").then().body(containsString("id=\"dropped-records\" class=\"value\">" + dropped + "<"));
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

    private JsonNode apiStats() {
        return read(given().get("/api/stats").then().statusCode(200).extract().asString());
    }

    /** The state's {@code total_logins} in a snapshot, or -1 if the state is not in it. */
    private static long stateTotal(JsonNode snapshot, String code) {
        for (JsonNode state : snapshot.get("states")) {
            if (state.get("state").asText().equals(code)) {
                return state.get("total_logins").asLong();
            }
        }
        return -1;
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
