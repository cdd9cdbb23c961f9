package dev.loginpulse.dashboard.websocket;

import java.lang.reflect.Proxy;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.loginpulse.dashboard.config.DashboardConfig;
import dev.loginpulse.dashboard.model.StatsBoard;
import dev.loginpulse.events.StateStats;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.OpenConnections;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The broadcaster's slow-client rules, tick by tick ({@link StatsBroadcaster#broadcast()} called by the test) with a
 * {@link ManualTimeSource}: nothing here waits. Clients are fakes whose messages are taken when the test says so, the
 * way a real socket completes a write when the peer has read enough. {@code SlowClientTest} runs the same rules on
 * real sockets.
 */
class StatsBroadcasterTest {

    private static final Instant T0 = Instant.parse("2023-09-12T00:00:00Z");
    private static final Duration INTERVAL = Duration.ofMillis(100);
    private static final Duration TIMEOUT = Duration.ofSeconds(1);

    private final ObjectMapper mapper = new ObjectMapper();
    private final StatsBoard board = new StatsBoard();
    private final List<FakeClient> clients = new CopyOnWriteArrayList<>();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ManualTimeSource time = new ManualTimeSource();
    private final StatsBroadcaster broadcaster = new StatsBroadcaster(board, openConnections(), mapper, registry,
            config(), time);

    @Test
    void aClientThatHasNotTakenItsMessageIsSentNothingMoreThenGetsOnlyTheLatestFigures() {
        FakeClient stuck = open("stuck", false);
        for (long total = 1; total <= 5; total++) {
            board.apply(stats("MARK", total));
            tick();
        }

        assertThat(stuck.sent).as("only the snapshot, still in flight").hasSize(1);
        assertThat(type(stuck.sent.get(0))).isEqualTo(StatsMessage.SNAPSHOT);
        assertThat(skipped()).isEqualTo(5);

        stuck.takeOldest();
        tick();

        assertThat(stuck.sent).hasSize(2);
        assertThat(type(stuck.sent.get(1))).isEqualTo(StatsMessage.UPDATE);
        assertThat(markTotal(stuck.sent.get(1))).as("the latest figures, not the first it missed").isEqualTo(5);
        assertThat(skipped()).isEqualTo(5);
    }

    @Test
    void aFastClientGetsEveryTicksFiguresWhileAStuckOneIsSkipped() {
        FakeClient stuck = open("stuck", false); // iterated first: it must not hold up the one after it
        FakeClient fast = open("fast", true);

        for (long total = 1; total <= 8; total++) {
            board.apply(stats("MARK", total));
            tick();
            assertThat(markTotal(fast.sent.getLast())).isEqualTo(total);
        }

        assertThat(fast.sent).hasSize(1 + 8);
        assertThat(stuck.sent).hasSize(1);
        assertThat(skipped()).isEqualTo(8);
        assertThat(closed()).isZero();
    }

    @Test
    void aStuckClientIsClosedWhenItHasMissedUpdatesForTheSlowClientTimeoutNotBefore() {
        FakeClient stuck = open("stuck", false);
        FakeClient fast = open("fast", true);
        board.apply(stats("MARK", 1));
        tick(); // the first update the stuck client misses: the timeout runs from here

        Duration missing = Duration.ZERO;
        while (missing.plus(INTERVAL).compareTo(TIMEOUT) < 0) {
            time.advance(INTERVAL);
            missing = missing.plus(INTERVAL);
            board.apply(stats("MARK", 1 + missing.toMillis()));
            tick();
        }
        time.advance(TIMEOUT.minus(missing).minusNanos(1));
        tick();

        assertThat(stuck.closeReason).as("open one nanosecond before the timeout").isNull();
        assertThat(closed()).isZero();

        time.advance(Duration.ofNanos(1));
        tick();

        assertThat(stuck.closeReason).isNotNull();
        assertThat(stuck.closeReason.getMessage()).isEqualTo("too slow");
        assertThat(closed()).isEqualTo(1);
        assertThat(stuck.sent).hasSize(1);

        board.apply(stats("MARK", 5_000));
        tick();
        assertThat(markTotal(fast.sent.getLast())).isEqualTo(5_000);
        assertThat(fast.closeReason).isNull();
        assertThat(closed()).isEqualTo(1);
    }

    @Test
    void theTimeoutIsTimeNotTicksSoLateTicksStillCloseAStuckClientOnTime() {
        FakeClient stuck = open("stuck", false);
        board.apply(stats("MARK", 1));
        tick();

        // A loaded machine: the next tick comes a whole timeout later instead of ten ticks later.
        time.advance(TIMEOUT);
        board.apply(stats("MARK", 2));
        tick();

        assertThat(skipped()).isEqualTo(2);
        assertThat(stuck.closeReason).isNotNull();
        assertThat(closed()).isEqualTo(1);
    }

    @Test
    void takingAMessageStartsTheTimeoutAfresh() {
        FakeClient slow = open("slow", false);
        board.apply(stats("MARK", 1));
        tick(); // misses an update from time 0
        time.advance(TIMEOUT.minus(INTERVAL));
        board.apply(stats("MARK", 2));
        tick();
        slow.takeOldest(); // the snapshot, just in time
        time.advance(INTERVAL);
        tick(); // sent the latest figures; the slow client is busy again

        board.apply(stats("MARK", 3));
        time.advance(INTERVAL);
        tick(); // misses an update again: a new run of misses starts here
        time.advance(TIMEOUT.minusNanos(1));
        board.apply(stats("MARK", 4));
        tick();

        assertThat(slow.sent).hasSize(2);
        assertThat(markTotal(slow.sent.get(1))).isEqualTo(2);
        assertThat(slow.closeReason).as("over a timeout since its first miss, but not a timeout of misses in a row").isNull();
        assertThat(closed()).isZero();

        time.advance(Duration.ofNanos(1));
        tick();

        assertThat(slow.closeReason).isNotNull();
        assertThat(closed()).isEqualTo(1);
    }

    @Test
    void aBusyClientIsNotClosedWhileNothingNewerWaitsForIt() {
        FakeClient busy = open("busy", false);
        for (int i = 0; i < 50; i++) {
            time.advance(TIMEOUT);
            tick();
        }

        assertThat(busy.closeReason).isNull();
        assertThat(skipped()).isZero();
        assertThat(closed()).isZero();
    }

    private FakeClient open(String id, boolean takesEverything) {
        FakeClient client = new FakeClient(id, takesEverything);
        clients.add(client);
        broadcaster.open(client.connection).subscribe().with(ok -> {
        });
        return client;
    }

    private void tick() {
        broadcaster.broadcast();
    }

    private double skipped() {
        return registry.get("pulse.dashboard.updates.skipped").counter().count();
    }

    private double closed() {
        return registry.get("pulse.dashboard.slow.clients.closed").counter().count();
    }

    private String type(String message) {
        return read(message).get("type").asText();
    }

    private long markTotal(String message) {
        for (JsonNode state : read(message).get("stats").get("states")) {
            if (state.get("state").asText().equals("MARK")) {
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

    private OpenConnections openConnections() {
        return new OpenConnections() {
            @Override
            public Iterator<WebSocketConnection> iterator() {
                return stream().iterator();
            }

            @Override
            public Stream<WebSocketConnection> stream() {
                return clients.stream().map(client -> client.connection);
            }
        };
    }

    private static DashboardConfig config() {
        return new DashboardConfig() {
            @Override
            public Duration broadcastInterval() {
                return INTERVAL;
            }

            @Override
            public Duration slowClientTimeout() {
                return TIMEOUT;
            }

            @Override
            public Optional<List<String>> allowedOrigins() {
                return Optional.empty();
            }

            @Override
            public URI archiverUrl() {
                return URI.create("http://localhost:8084");
            }

            @Override
            public Duration archiverTimeout() {
                return Duration.ofSeconds(10);
            }
        };
    }

    private static StateStats stats(String state, long total) {
        return new StateStats(state, T0.toString(), T0.plusSeconds(60).toString(), 1, 1, total,
                T0.plusSeconds(5).toString());
    }

    /**
     * A connection whose messages are taken at once ({@code takesEverything}) or only when the test calls
     * {@link #takeOldest()}: until then the message's write has not completed.
     */
    private static final class FakeClient {
        private final List<String> sent = new CopyOnWriteArrayList<>();
        private final Queue<CompletableFuture<Void>> unread = new ArrayDeque<>();
        private final boolean takesEverything;
        private volatile CloseReason closeReason;
        private final WebSocketConnection connection;

        private FakeClient(String id, boolean takesEverything) {
            this.takesEverything = takesEverything;
            this.connection = (WebSocketConnection) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] { WebSocketConnection.class }, (proxy, method, args) -> switch (method.getName()) {
                        case "id" -> id;
                        case "isOpen" -> closeReason == null;
                        case "isClosed" -> closeReason != null;
                        case "sendText" -> send((String) args[0]);
                        case "close" -> {
                            closeReason = args == null ? CloseReason.NORMAL : (CloseReason) args[0];
                            yield Uni.createFrom().voidItem();
                        }
                        case "toString" -> "FakeClient " + id;
                        case "hashCode" -> System.identityHashCode(proxy);
                        case "equals" -> proxy == args[0];
                        default -> throw new UnsupportedOperationException(method.toString());
                    });
        }

        private Uni<Void> send(String text) {
            sent.add(text);
            if (takesEverything) {
                return Uni.createFrom().voidItem();
            }
            CompletableFuture<Void> taken = new CompletableFuture<>();
            unread.add(taken);
            return Uni.createFrom().completionStage(taken);
        }

        private void takeOldest() {
            unread.remove().complete(null);
        }
    }
}
