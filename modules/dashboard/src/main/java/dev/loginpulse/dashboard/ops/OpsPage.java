package dev.loginpulse.dashboard.ops;

import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/** {@code GET /ops}: the operations view, read-only, filled and kept live over {@code /ws/ops}. */
@Path(OpsPage.PATH)
public class OpsPage {

    public static final String PATH = "/ops";

    private final OpsConfig config;

    public OpsPage(OpsConfig config) {
        this.config = config;
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance index(long intervalMillis, long lagWarn, long lagCritical,
                List<String> groups);
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance page() {
        return Templates.index(config.interval().toMillis(), config.lagWarn(), config.lagCritical(),
                config.groups());
    }
}
