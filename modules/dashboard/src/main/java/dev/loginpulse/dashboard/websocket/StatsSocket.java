package dev.loginpulse.dashboard.websocket;

import dev.loginpulse.dashboard.model.StatsBoard;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.WebSocket;

/** {@code /ws/stats}: a full snapshot on open; {@link StatsBroadcaster} sends the updates. */
@WebSocket(path = StatsSocket.PATH)
public class StatsSocket {

    public static final String PATH = "/ws/stats";

    private final StatsBoard board;

    public StatsSocket(StatsBoard board) {
        this.board = board;
    }

    @OnOpen
    public StatsMessage onOpen() {
        return new StatsMessage(StatsMessage.SNAPSHOT, board.snapshot());
    }
}
