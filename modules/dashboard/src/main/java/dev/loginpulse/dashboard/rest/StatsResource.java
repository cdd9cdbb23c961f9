package dev.loginpulse.dashboard.rest;

import java.util.Locale;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import dev.loginpulse.dashboard.model.Snapshot;
import dev.loginpulse.dashboard.model.StatsBoard;
import dev.loginpulse.events.StateWindows;

/**
 * {@code GET /api/stats}: every state's exact total and its figures in the current window; {@code GET
 * /api/states/{code}}: one state's recent windows (the page's state panel). Read-only.
 */
@Path("/api")
public class StatsResource {

    private final StatsBoard board;

    public StatsResource(StatsBoard board) {
        this.board = board;
    }

    @GET
    @Path("/stats")
    @Produces(MediaType.APPLICATION_JSON)
    public Snapshot stats() {
        return board.snapshot();
    }

    @GET
    @Path("/states/{code}")
    @Produces(MediaType.APPLICATION_JSON)
    public StateWindows state(@PathParam("code") String code) {
        return board.history(code.trim().toUpperCase(Locale.ROOT)).orElseThrow(() -> new NotFoundException(
                Response.status(Response.Status.NOT_FOUND).type(MediaType.TEXT_PLAIN).entity("Unknown state code '"
                        + code + "': use one of the 50 states, DC or PR (e.g. RI), or UNK for unknown locales")
                        .build()));
    }
}
