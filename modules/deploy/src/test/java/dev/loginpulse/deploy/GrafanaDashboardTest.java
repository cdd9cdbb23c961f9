package dev.loginpulse.deploy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code deploy/grafana/login-pulse.json} is an importable Grafana dashboard: it parses, every panel has a title, a
 * description naming the services whose metrics it shows, and at least one PromQL query, all on the Prometheus data
 * source chosen at import ({@code ${datasource}}). PipelineIT checks that every metric it queries is really exposed.
 */
class GrafanaDashboardTest {

    static final String DASHBOARD = "deploy/grafana/login-pulse.json";
    private static final Pattern SERVICES = Pattern.compile("^Services: ([a-z, ]+)\\. \\S");

    private final JsonNode dashboard = read();

    private static JsonNode read() {
        try {
            return new ObjectMapper().readTree(Project.read(DASHBOARD));
        } catch (Exception e) {
            throw new AssertionError(DASHBOARD + " is not JSON: " + e.getMessage(), e);
        }
    }

    @Test
    void theDashboardHasATitleAUidAndAPrometheusDataSourceVariable() {
        assertThat(dashboard.path("title").asText()).isEqualTo("login-pulse");
        assertThat(dashboard.path("uid").asText()).isEqualTo("login-pulse");
        assertThat(dashboard.path("schemaVersion").asInt()).isPositive();
        assertThat(dashboard.path("templating").path("list")).anySatisfy(variable -> {
            assertThat(variable.path("name").asText()).isEqualTo("datasource");
            assertThat(variable.path("type").asText()).isEqualTo("datasource");
            assertThat(variable.path("query").asText()).isEqualTo("prometheus");
        });
    }

    @Test
    void everyPanelHasATitleAQueryAndTheServicesItConcerns() {
        JsonNode panels = dashboard.path("panels");
        assertThat(panels.size()).isGreaterThanOrEqualTo(10);
        Set<Integer> ids = new HashSet<>();
        List<String> problems = new ArrayList<>();
        for (JsonNode panel : panels) {
            String title = panel.path("title").asText();
            String where = "panel " + panel.path("id").asInt() + " '" + title + "'";
            if (title.isBlank()) {
                problems.add(where + ": no title");
            }
            if (!ids.add(panel.path("id").asInt())) {
                problems.add(where + ": a duplicate id");
            }
            Matcher services = SERVICES.matcher(panel.path("description").asText());
            if (!services.find() || !Project.SERVICES.containsAll(List.of(services.group(1).split(", ")))) {
                problems.add(where + ": the description does not start 'Services: <service>, ... .'");
            }
            if (!panel.path("datasource").path("uid").asText().equals("${datasource}")) {
                problems.add(where + ": not on the ${datasource} variable");
            }
            if (panel.path("targets").isEmpty()) {
                problems.add(where + ": no query");
            }
            for (JsonNode target : panel.path("targets")) {
                if (target.path("expr").asText().isBlank()) {
                    problems.add(where + ": target " + target.path("refId").asText() + " has no expr");
                }
                if (!target.path("datasource").path("uid").asText().equals("${datasource}")) {
                    problems.add(where + ": target " + target.path("refId").asText() + " not on ${datasource}");
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void panelsDoNotOverlapOnTheGrid() {
        Set<String> cells = new HashSet<>();
        for (JsonNode panel : dashboard.path("panels")) {
            JsonNode grid = panel.path("gridPos");
            assertThat(grid.path("x").asInt() + grid.path("w").asInt()).as(panel.path("title").asText())
                    .isLessThanOrEqualTo(24);
            for (int x = grid.path("x").asInt(); x < grid.path("x").asInt() + grid.path("w").asInt(); x++) {
                for (int y = grid.path("y").asInt(); y < grid.path("y").asInt() + grid.path("h").asInt(); y++) {
                    assertThat(cells.add(x + ":" + y)).as("%s overlaps another panel at %d:%d",
                            panel.path("title").asText(), x, y).isTrue();
                }
            }
        }
    }
}
