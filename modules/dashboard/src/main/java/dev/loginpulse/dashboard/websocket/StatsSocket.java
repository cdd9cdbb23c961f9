package dev.loginpulse.dashboard.websocket;

import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;

/** {@code /ws/stats}: a full snapshot on open, then updates; {@link StatsBroadcaster} sends both. */
@WebSocket(path = StatsSocket.PATH)
public class StatsSocket {

    public static final String PATH = "/ws/stats";

    private final StatsBroadcaster broadcaster;

    public StatsSocket(StatsBroadcaster broadcaster) {
        this.broadcaster = broadcaster;
    }

    @OnOpen
    public Uni<Void> onOpen(WebSocketConnection connection) {
        return broadcaster.open(connection);
    }

    @OnClose
    public void onClose(WebSocketConnection connection) {
        broadcaster.closed(connection);
    }
}
