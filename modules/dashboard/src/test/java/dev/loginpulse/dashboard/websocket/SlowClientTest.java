package dev.loginpulse.dashboard.websocket;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
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
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
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
 * The slow-client rules on real sockets: a client that stops reading ends up with a write the server cannot complete;
 * it is skipped tick after tick while a fast client keeps getting every update, and it is closed once it has missed
 * updates for {@link DashboardConfig#slowClientTimeout()}, not before. The broadcaster's {@link TimeSource} is a
 * {@link ManualTimeSource} here: the timeout passes when the test moves it, so no step depends on how fast this machine
 * is; each wait is for a condition, with a bound only for when it never comes. {@link StatsBroadcasterTest} checks the
 * same rules tick by tick.
 */
@QuarkusTest
@TestProfile(SlowClientTest.ManualTime.class)
@WithTestResource(value = InMemoryChannels.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class SlowClientTest {

    private static final Instant T0 = Instant.parse("2023-09-12T00:00:00Z");
    /** Only for when a condition never comes; however loaded the machine, each comes long before. */
    private static final Duration BOUND = Duration.ofSeconds(60);

    /** The broadcaster measures the slow-client timeout with a {@link ManualTimeSource}. */
    public static class ManualTime implements QuarkusTestProfile {
        @Override
        public Set<Class<?>> getEnabledAlternatives() {
            return Set.of(ManualTimeSource.class);
        }
    }

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

    @Inject
    MeterRegistry registry;

    @Inject
    ManualTimeSource time;

    @TestHTTPResource("/")
    URI baseUri;

    @Test
    void stuckClientIsSkippedThenClosedAtTheTimeoutWhileAFastClientKeepsGettingEveryUpdate() throws Exception {
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
        await().atMost(BOUND).until(() -> connections.listAll().size() == 2);

        // The fast client gets every update although the other has stopped reading (about 10 MB sent its way). The
        // time source stands still, so however long this takes, the stuck client cannot time out meanwhile.
        long marker = 0;
        while (marker < 10) {
            long expected = ++marker;
            stats.send(stats("MARK", expected));
            await().atMost(BOUND).pollInterval(Duration.ofMillis(20)).until(() -> fastSeen.get() == expected);
        }

        // Nothing new now and the fast client is up to date: only the stuck client can be skipped, and it is, tick
        // after tick, and stays open.
        awaitTwoMoreSkippedTicks();
        assertThat(closed()).isZero();
        assertThat(connections.listAll()).hasSize(2);

        // One nanosecond short of the timeout since its first missed update: still skipped, still open.
        time.advance(config.slowClientTimeout().minusNanos(1));
        awaitTwoMoreSkippedTicks();
        assertThat(closed()).isZero();
        assertThat(connections.listAll()).hasSize(2);

        // At the timeout it is closed, and its connection goes (its close frame, queued behind unread data, gives up
        // after Vert.x's closing timeout).
        time.advance(Duration.ofNanos(1));
        await().atMost(BOUND).until(() -> closed() == 1);
        await().atMost(BOUND).until(() -> connections.listAll().size() == 1);

        // The fast client is untouched and keeps getting updates.
        long last = ++marker;
        stats.send(stats("MARK", last));
        await().atMost(BOUND).pollInterval(Duration.ofMillis(20)).until(() -> fastSeen.get() == last);
        assertThat(fast.isClosed()).isFalse();
        assertThat(closed()).isEqualTo(1);
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("pulse_dashboard_slow_clients_closed_total 1.0"));
        fast.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        client.close();
    }

    /**
     * Waits for two more skipped updates: the second comes from a tick that started after this call, so it saw the
     * time source as it is now. Or for a close, which ends the skips (the test's next assertions tell which).
     */
    private void awaitTwoMoreSkippedTicks() {
        double before = skipped();
        await().atMost(BOUND).until(() -> skipped() >= before + 2 || closed() > 0);
    }

    private double skipped() {
        return registry.get("pulse.dashboard.updates.skipped").counter().count();
    }

    private double closed() {
        return registry.get("pulse.dashboard.slow.clients.closed").counter().count();
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
