package dev.loginpulse.dashboard.websocket;

import java.time.Duration;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.loginpulse.dashboard.model.StatsBoard;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.websockets.next.OpenConnections;
import io.quarkus.websockets.next.WebSocketConnection;
import io.vertx.core.Vertx;

/**
 * Pushes the board to every open {@code /ws/stats} connection at most once per {@link #INTERVAL}, and only when it
 * changed: however fast stats arrive, a client gets at most four messages a second, each with the latest figures.
 */
@Singleton
public class StatsBroadcaster {

    public static final Duration INTERVAL = Duration.ofMillis(250);
    private static final Logger LOG = Logger.getLogger(StatsBroadcaster.class);

    private final StatsBoard board;
    private final OpenConnections connections;
    private final ObjectMapper mapper;
    private long broadcastVersion = -1;

    public StatsBroadcaster(StatsBoard board, OpenConnections connections, ObjectMapper mapper) {
        this.board = board;
        this.connections = connections;
        this.mapper = mapper;
    }

    void start(@Observes StartupEvent event, Vertx vertx) {
        vertx.setPeriodic(INTERVAL.toMillis(), id -> broadcast());
    }

    void broadcast() {
        long version = board.version();
        if (version == broadcastVersion) {
            return;
        }
        broadcastVersion = version;
        String text;
        try {
            text = mapper.writeValueAsString(new StatsMessage(StatsMessage.UPDATE, board.snapshot()));
        } catch (JsonProcessingException e) {
            LOG.error("Cannot serialize the stats update", e);
            return;
        }
        for (WebSocketConnection connection : connections) {
            if (connection.isOpen()) {
                connection.sendText(text).subscribe().with(ok -> {
                }, failure -> LOG.debugf("Update to %s failed: %s", connection.id(), failure.getMessage()));
            }
        }
    }
}
