package dev.loginpulse.dashboard.websocket;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.loginpulse.dashboard.config.DashboardConfig;
import dev.loginpulse.dashboard.model.StatsBoard;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.OpenConnections;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;

/**
 * Pushes the board to every open {@code /ws/stats} connection at most once per
 * {@link DashboardConfig#broadcastInterval()} (100 ms by default), and only when it changed: however fast stats arrive,
 * a client gets at most ten messages a second, each with the latest figures.
 * <p>
 * Slow clients: each connection has at most one message in flight. While a client has not taken the previous message,
 * it is skipped (every message carries the whole picture, so it loses nothing but intermediate states); a client that
 * has been skipped at every tick for {@link DashboardConfig#slowClientTimeout()}, measured by the {@link TimeSource}
 * from the first update it missed (not by counting ticks, which come late on a loaded machine), is closed, and gets a
 * fresh snapshot when it reconnects. So a stuck client never delays the others, and holds at most one message of
 * server memory.
 */
@Singleton
public class StatsBroadcaster {

    private static final Logger LOG = Logger.getLogger(StatsBroadcaster.class);

    private final StatsBoard board;
    private final OpenConnections connections;
    private final ObjectMapper mapper;
    private final Map<String, Delivery> deliveries = new ConcurrentHashMap<>();
    private final Counter skipped;
    private final Counter closed;
    private final Duration interval;
    /** How long a client may miss updates in a row before it is closed. */
    private final long slowClientTimeoutNanos;
    private final TimeSource time;

    public StatsBroadcaster(StatsBoard board, OpenConnections connections, ObjectMapper mapper,
            MeterRegistry registry, DashboardConfig config, TimeSource time) {
        this.interval = config.broadcastInterval();
        if (interval.toMillis() < 1) {
            throw new IllegalArgumentException("pulse.dashboard.broadcast-interval must be at least 1 ms: " + interval);
        }
        this.slowClientTimeoutNanos = config.slowClientTimeout().toNanos();
        this.time = time;
        this.board = board;
        this.connections = connections;
        this.mapper = mapper;
        this.skipped = Counter.builder("pulse.dashboard.updates.skipped")
                .description("Updates not sent to a client that had not taken the previous one").register(registry);
        this.closed = Counter.builder("pulse.dashboard.slow.clients.closed")
                .description("WebSocket clients closed for taking no update for " + config.slowClientTimeout())
                .register(registry);
        // Its own connections: OpenConnections also holds those of /ws/ops.
        Gauge.builder("pulse.dashboard.clients", deliveries, Map::size)
                .description("Open /ws/stats connections").register(registry);
    }

    void start(@Observes StartupEvent event, Vertx vertx) {
        vertx.setPeriodic(interval.toMillis(), id -> broadcast());
    }

    /**
     * Sends a new connection its snapshot. Until that is written the connection counts as busy, so no update can
     * overtake its snapshot.
     */
    Uni<Void> open(WebSocketConnection connection) {
        Delivery delivery = new Delivery();
        delivery.inFlight = true;
        delivery.sentVersion = board.version();
        String text;
        try {
            text = mapper.writeValueAsString(new StatsMessage(StatsMessage.SNAPSHOT, board.snapshot()));
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(e);
        }
        deliveries.put(connection.id(), delivery);
        return connection.sendText(text).onTermination().invoke(() -> delivery.inFlight = false);
    }

    /** Forgets a closed connection. */
    void closed(WebSocketConnection connection) {
        deliveries.remove(connection.id());
    }

    /**
     * Every tick: each open connection that has not yet been sent the board's current version gets it, unless its
     * previous message is still in flight. A client skipped while busy therefore gets the latest figures as soon as
     * it has taken the previous message, even if nothing changes after that.
     */
    void broadcast() {
        long version = board.version();
        long now = time.nanoTime();
        String text = null;
        for (WebSocketConnection connection : connections) {
            if (!connection.isOpen()) {
                continue;
            }
            Delivery delivery = deliveries.get(connection.id());
            if (delivery == null || delivery.sentVersion == version) {
                continue; // not opened yet (its snapshot comes first), or up to date
            }
            if (text == null) {
                try {
                    text = mapper.writeValueAsString(new StatsMessage(StatsMessage.UPDATE, board.snapshot()));
                } catch (JsonProcessingException e) {
                    LOG.error("Cannot serialize the stats update", e);
                    return;
                }
            }
            send(connection, delivery, version, text, now);
        }
    }

    private void send(WebSocketConnection connection, Delivery delivery, long version, String text, long now) {
        if (delivery.inFlight) {
            if (delivery.skipped++ == 0) {
                delivery.skippedSince = now;
            }
            skipped.increment();
            if (now - delivery.skippedSince >= slowClientTimeoutNanos) {
                closed.increment();
                LOG.debugf("Closing %s: it took no update for %d ms (%d ticks)", connection.id(),
                        (now - delivery.skippedSince) / 1_000_000, delivery.skipped);
                deliveries.remove(connection.id());
                connection.close(new CloseReason(CloseReason.NORMAL.getCode(), "too slow")).subscribe().with(
                        ok -> {
                        }, failure -> {
                        });
            }
            return;
        }
        delivery.inFlight = true;
        delivery.skipped = 0;
        delivery.sentVersion = version;
        connection.sendText(text).subscribe().with(ok -> delivery.inFlight = false, failure -> {
            delivery.inFlight = false;
            LOG.debugf("Update to %s failed: %s", connection.id(), failure.getMessage());
        });
    }

    /**
     * Per connection: the board version last sent, whether that message is still in flight, and how many ticks with
     * a newer version it missed since, the first of them at {@code skippedSince} ({@link TimeSource} time).
     */
    private static final class Delivery {
        private volatile long sentVersion;
        private volatile boolean inFlight;
        private volatile int skipped;
        private volatile long skippedSince;
    }
}
