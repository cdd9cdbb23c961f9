package dev.loginpulse.e2e;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import dev.loginpulse.events.Json;
import dev.loginpulse.launcher.Service;

/**
 * The metrics {@code deploy/grafana/login-pulse.json} queries, by the service that must expose them: each panel's
 * description names its services ({@code Services: cleaner, stats. ...}), each of its targets' PromQL names metrics,
 * and every one of those services must expose every one of those metrics. The {@code instance} variable's query
 * concerns every service.
 */
final class GrafanaQueries {

    static final Path DASHBOARD = Path.of(System.getProperty("pulse.home", "../..")).toAbsolutePath().normalize()
            .resolve("deploy/grafana/login-pulse.json");
    private static final Pattern SERVICES = Pattern.compile("^Services: ([a-z, ]+)\\.");
    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\(\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)");
    private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right",
            "bool", "and", "or", "unless", "offset", "inf", "nan");

    private GrafanaQueries() {
    }

    /** Every metric name the dashboard queries, by each service that must expose it. */
    static Map<Service, Set<String>> metricsByService() throws IOException {
        JsonNode dashboard = Json.MAPPER.readTree(DASHBOARD.toFile());
        Map<Service, Set<String>> expected = new TreeMap<>();
        for (JsonNode panel : dashboard.path("panels")) {
            Matcher services = SERVICES.matcher(panel.path("description").asText());
            if (!services.find()) {
                throw new IllegalStateException("Panel '" + panel.path("title").asText() + "' names no services");
            }
            for (String name : services.group(1).split(", ")) {
                Service service = Service.valueOf(name.toUpperCase(Locale.ROOT));
                for (JsonNode target : panel.path("targets")) {
                    expected.computeIfAbsent(service, s -> new TreeSet<>())
                            .addAll(metricNames(target.path("expr").asText()));
                }
            }
        }
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            Matcher metric = LABEL_VALUES.matcher(variable.path("definition").asText());
            if (variable.path("type").asText().equals("query") && metric.find()) {
                for (Service service : PipelineSupport.STREAMING) {
                    expected.computeIfAbsent(service, s -> new TreeSet<>()).add(metric.group(1));
                }
            }
        }
        return expected;
    }

    /**
     * The metric names of a PromQL expression: what remains once strings, label matchers, ranges and grouping clauses
     * are removed, leaving out functions (a name followed by a parenthesis), keywords and Grafana variables.
     */
    static Set<String> metricNames(String expr) {
        String bare = expr.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")
                .replaceAll("\\{[^}]*}", " ")
                .replaceAll("\\[[^]]*]", " ")
                .replaceAll("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ")
                .replaceAll("\\$\\w+", " ");
        Set<String> names = new LinkedHashSet<>();
        Matcher identifier = IDENTIFIER.matcher(bare);
        while (identifier.find()) {
            String name = identifier.group();
            boolean function = bare.substring(identifier.end()).matches("(?s)\\s*\\(.*");
            boolean partOfNumber = identifier.start() > 0 && Character.isDigit(bare.charAt(identifier.start() - 1));
            if (!function && !partOfNumber && !KEYWORDS.contains(name.toLowerCase(Locale.ROOT))) {
                names.add(name);
            }
        }
        return names;
    }

    /** The metric names of a Prometheus text exposition ({@code /q/metrics}): each sample line's first word. */
    static Set<String> exposed(String scrape) {
        Set<String> names = new TreeSet<>();
        for (String line : scrape.split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                names.add(line.split("[{ ]", 2)[0]);
            }
        }
        return names;
    }

    /** For the failure message: the names a scrape has that start like a missing one (a near miss is a typo). */
    static List<String> nearMisses(String missing, Set<String> exposed) {
        String stem = missing.substring(0, Math.min(missing.length(), missing.indexOf('_', 6) + 1));
        return exposed.stream().filter(name -> !stem.isEmpty() && name.startsWith(stem)).limit(15).toList();
    }
}
