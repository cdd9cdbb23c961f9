package dev.loginpulse.stats.rest;

import java.time.Instant;
import java.util.Locale;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.loginpulse.events.StateWindows;
import dev.loginpulse.events.UsState;
import dev.loginpulse.stats.streams.InsightSpec;
import dev.loginpulse.stats.streams.StatsTopology;
import dev.loginpulse.stats.streams.StoreQueries;

/** {@code GET /api/states/{code}}: one state's windows, from the instance whose partition holds the state. */
@Path("/api/states")
@Tag(name = "states", description = "Per-state windows, the figures of user-login-stats")
public class StateResource {

    private final QueryRouter router;
    private final InsightSpec spec;

    public StateResource(QueryRouter router, InsightSpec spec) {
        this.router = router;
        this.spec = spec;
    }

    @GET
    @Path("/{code}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Windows of one state", description = "The state's running total, its latest login, "
            + "every window still kept (newest first) and the device types, app versions and top IPs of its last "
            + "full window, read from the stats instance that owns the state's partition; "
            + "any instance answers (it proxies to the owner).")
    @APIResponse(responseCode = "200", description = "The state's figures (no windows if it had no logins lately)", content = @Content(schema = @Schema(implementation = StateWindows.class)))
    @APIResponse(responseCode = "404", description = "Not a state code (50 states, DC, PR, or UNK)", content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "503", description = "Rebalancing or restoring: retry", content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Response state(
            @Parameter(description = "State code, e.g. RI; case-insensitive", example = "RI") @PathParam("code") String code,
            @Context UriInfo uri, @Context HttpHeaders headers) {
        String state = code.trim().toUpperCase(Locale.ROOT);
        if (!UsState.UNKNOWN.equals(state) && UsState.fromCode(state).isEmpty()) {
            throw ApiError.of(Response.Status.NOT_FOUND, "Unknown state code '" + code
                    + "': use one of the 50 states, DC or PR (e.g. RI), or UNK for unknown locales");
        }
        return router.route(StatsTopology.PANES_STORE, state, uri, headers, partition -> {
            StoreQueries.StateSnapshot snapshot = StoreQueries.state(router.streams(), spec.windows(), partition,
                    state);
            long size = spec.windows().size().toMillis();
            return new StateWindows(state,
                    UsState.fromCode(state).map(UsState::displayName).orElse("Unknown locale"),
                    snapshot.totalLogins(),
                    snapshot.lastLoginMillis() == null ? null : Instant.ofEpochMilli(snapshot.lastLoginMillis()).toString(),
                    snapshot.windows().stream().map(w -> new StateWindows.Window(Instant.ofEpochMilli(w.start()).toString(),
                            Instant.ofEpochMilli(w.start() + size).toString(), w.logins(), w.uniqueUsers())).toList(),
                    snapshot.insights());
        });
    }
}
