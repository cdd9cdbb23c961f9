package dev.loginpulse.dashboard.rest;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import dev.loginpulse.dashboard.model.Snapshot;
import dev.loginpulse.dashboard.model.StatsBoard;

/** {@code GET /api/stats}: every state's exact total and its figures in the current window. Read-only. */
@Path("/api/stats")
public class StatsResource {

    private final StatsBoard board;

    public StatsResource(StatsBoard board) {
        this.board = board;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Snapshot stats() {
        return board.snapshot();
    }
}
