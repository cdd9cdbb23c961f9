package dev.loginpulse.dashboard.rest;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import dev.loginpulse.dashboard.model.Snapshot;
import dev.loginpulse.dashboard.model.StatsBoard;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/** {@code GET /}: the dashboard page, rendered with the current figures and then kept live over {@code /ws/stats}. */
@Path("/")
public class DashboardPage {

    private final StatsBoard board;

    public DashboardPage(StatsBoard board) {
        this.board = board;
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance index(Snapshot stats);
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance page() {
        return Templates.index(board.snapshot());
    }
}
