package dev.loginpulse.archiver.history;

import java.util.List;
import java.util.Locale;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.loginpulse.events.UsState;

/**
 * {@code GET /api/history/states} and {@code /api/history/states/{code}}: logins and exact distinct users per state and
 * day or hour, from the lake (docs/contracts.md).
 */
@Path(HistoryResource.PATH)
@Tag(name = "history", description = "Logins per state and day or hour, from the Iceberg lake")
@Produces(MediaType.APPLICATION_JSON)
public class HistoryResource {

    /** The resource's path. */
    public static final String PATH = "/api/history/states";

    private static final String FROM_HELP = "Start, inclusive: an ISO date (the start of that day, UTC) or instant; "
            + "widened to the start of its period";
    private static final String TO_HELP = "End: an ISO date (that whole day included) or instant (exclusive); widened "
            + "to the end of its period";
    private static final String GRANULARITY_HELP = "day (at most 366 of them) or hour (at most 31 days of them)";

    private final LakeHistory history;

    public HistoryResource(LakeHistory history) {
        this.history = history;
    }

    @GET
    @Operation(summary = "Every state's logins per period", description = "Logins and exact distinct users of each "
            + "state (and UNK) per day or hour of the range, from the lake's logins table; only (state, period) "
            + "pairs that had logins, by period then state.")
    @APIResponse(responseCode = "200", description = "The figures", content = @Content(schema = @Schema(implementation = History.class)))
    @APIResponse(responseCode = "400", description = "A missing or unreadable date, an empty range, an unknown granularity or a range over its limit", content = @Content(schema = @Schema(implementation = HistoryError.class)))
    public History states(
            @Parameter(description = FROM_HELP, example = "2026-12-01") @QueryParam("from") String from,
            @Parameter(description = TO_HELP, example = "2026-12-07") @QueryParam("to") String to,
            @Parameter(description = GRANULARITY_HELP, example = "day") @QueryParam("granularity") String granularity) {
        return answer(range(from, to, granularity), null);
    }

    @GET
    @Path("/{code}")
    @Operation(summary = "One state's logins per period", description = "The same as for every state, for one.")
    @APIResponse(responseCode = "200", description = "The figures", content = @Content(schema = @Schema(implementation = History.class)))
    @APIResponse(responseCode = "400", description = "A missing or unreadable date, an empty range, an unknown granularity or a range over its limit", content = @Content(schema = @Schema(implementation = HistoryError.class)))
    @APIResponse(responseCode = "404", description = "Not a state code (50 states, DC, PR, or UNK)", content = @Content(schema = @Schema(implementation = HistoryError.class)))
    public History state(
            @Parameter(description = "State code, e.g. TX; case-insensitive", example = "TX") @PathParam("code") String code,
            @Parameter(description = FROM_HELP, example = "2026-12-01") @QueryParam("from") String from,
            @Parameter(description = TO_HELP, example = "2026-12-07") @QueryParam("to") String to,
            @Parameter(description = GRANULARITY_HELP, example = "day") @QueryParam("granularity") String granularity) {
        String state = code.trim().toUpperCase(Locale.ROOT);
        if (!UsState.UNKNOWN.equals(state) && UsState.fromCode(state).isEmpty()) {
            throw HistoryError.of(Response.Status.NOT_FOUND, "Unknown state code '" + code
                    + "': use one of the 50 states, DC or PR (e.g. TX), or UNK for unknown locales");
        }
        return answer(range(from, to, granularity), state);
    }

    private static HistoryRange range(String from, String to, String granularity) {
        try {
            return HistoryRange.parse(from, to, granularity);
        } catch (IllegalArgumentException e) {
            throw HistoryError.of(Response.Status.BAD_REQUEST, e.getMessage());
        }
    }

    private History answer(HistoryRange range, String state) {
        List<HistoryItem> items = history.states(range, state);
        return new History(range.from().toString(), range.to().toString(), range.granularity().label(), items);
    }
}
