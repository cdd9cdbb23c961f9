package dev.loginpulse.dashboard.history;

import java.util.Arrays;
import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import dev.loginpulse.events.UsState;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * {@code GET /history}: logins per day of a chosen range (all states or one) and the map and table of a chosen day
 * or hour, read from the archiver through {@link HistoryProxy}. The choice is kept in the URL
 * ({@code ?from=&to=&state=&day=&hour=}) and applied by the page's script.
 */
@Path(HistoryPage.PATH)
public class HistoryPage {

    public static final String PATH = "/history";

    /** A state the page offers: its code and name. */
    public record StateOption(String code, String name) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance index(List<StateOption> states);
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance page() {
        return Templates.index(Arrays.stream(UsState.values())
                .map(state -> new StateOption(state.name(), state.displayName())).toList());
    }
}
