package dev.loginpulse.dashboard.ops;

import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;

/**
 * {@code /ws/ops}: the operations view, read-only: the latest snapshot on open (if there is one), then one every
 * {@link OpsConfig#interval()}; {@link OpsBroadcaster} samples and sends.
 */
@WebSocket(path = OpsSocket.PATH)
public class OpsSocket {

    public static final String PATH = "/ws/ops";

    private final OpsBroadcaster broadcaster;

    public OpsSocket(OpsBroadcaster broadcaster) {
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
