package dev.loginpulse.dashboard.websocket;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.inject.Any;
import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.loginpulse.dashboard.config.DashboardConfig;
import dev.loginpulse.dashboard.messaging.InMemoryChannels;
import dev.loginpulse.dashboard.messaging.StatsConsumer;
import dev.loginpulse.events.StateStats;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.websockets.next.OpenConnections;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;
import io.smallrye.reactive.messaging.memory.InMemorySource;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

/**
 * A client that stops reading must not slow the others or hold server memory: the fast client keeps getting the
 * latest figures within a few broadcast intervals, and the stuck one is closed after
 * {@link DashboardConfig#slowClientTimeout()} of missed updates.
 */
@QuarkusTest
@WithTestResource(value = InMemoryChannels.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class SlowClientTest {

    private static final Instant T0 = Instant.parse("2023-09-12T00:00:00Z");

    @Inject
    @Any
    InMemoryConnector connector;

    @Inject
    OpenConnections connections;

    @Inject
    Vertx vertx;

    @Inject
    ObjectMapper mapper;

    @Inject
    DashboardConfig config;

    @TestHTTPResource("/")
    URI baseUri;

    @Test
    void stuckClientIsSkippedThenClosedWhileAFastClientKeepsUp() throws Exception {
        InMemorySource<StateStats> stats = connector.source(StatsConsumer.CHANNEL);
        // Large snapshots (about 1 MB) fill a non-reading client's socket buffers within a few updates.
        for (int i = 0; i < 3_000; i++) {
            stats.send(stats("S" + i + "-" + "x".repeat(300), 1));
        }
        WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions()
                .setReceiveBufferSize(4096).setMaxFrameSize(16 * 1024 * 1024).setMaxMessageSize(64 * 1024 * 1024));
        AtomicLong fastSeen = new AtomicLong(-1);
        WebSocket fast = connect(client);
        fast.textMessageHandler(text -> fastSeen.set(markerTotal(text)));
        WebSocket stuck = connect(client);
        stuck.pause();
        await().atMost(Duration.ofSeconds(10)).until(() -> connections.listAll().size() == 2);

        // Warm up: the 3,000 states are in and the fast client has seen them.
        stats.send(stats("MARK", 1));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(() -> fastSeen.get() == 1);
        // Then each new figure must reach the fast client within a few broadcast intervals, update after update,
        // although the stuck client has stopped reading. (WebSocketLoadIT measures the latency itself.)
        for (long marker = 2; marker <= 30; marker++) {
            long expected = marker;
            stats.send(stats("MARK", expected));
            await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(20))
                    .until(() -> fastSeen.get() == expected);
        }

        // Updates keep coming; the stuck client misses them until it is closed (its close frame, queued behind unread
        // data, gives up after Vert.x's closing timeout).
        AtomicLong marker = new AtomicLong(100);
        await().atMost(config.slowClientTimeout().plusSeconds(30))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    stats.send(stats("MARK", marker.incrementAndGet()));
                    return connections.listAll().size() == 1;
                });
        long last = marker.get();
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20)).until(() -> fastSeen.get() == last);
        assertThat(fast.isClosed()).isFalse();
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("pulse_dashboard_slow_clients_closed_total 1.0"));
        fast.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        client.close();
    }

    private WebSocket connect(WebSocketClient client) throws Exception {
        return client.connect(baseUri.getPort(), baseUri.getHost(), StatsSocket.PATH).toCompletionStage()
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private long markerTotal(String text) {
        try {
            for (JsonNode state : mapper.readTree(text).get("stats").get("states")) {
                if (state.get("state").asText().equals("MARK")) {
                    return state.get("total_logins").asLong();
                }
            }
            return -1;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static StateStats stats(String state, long total) {
        return new StateStats(state, T0.toString(), T0.plusSeconds(60).toString(), 1, 1, total,
                T0.plusSeconds(5).toString());
    }
}
