package dev.loginpulse.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;

import static org.assertj.core.api.Assertions.assertThat;

/** deploy/helm/values-production.yaml passes Helm's strict lint, as the chart's defaults do (HelmChartTest). */
class HelmProductionLintTest {

    /** Helm lint takes no values file: the chart is linted with values.yaml replaced by the merged production values. */
    @Test
    void productionValuesLintStrictly(@TempDir Path temp) throws IOException {
        Path chart = temp.resolve("login-pulse");
        try (Stream<Path> files = Files.walk(Chart.CHART)) {
            for (Path file : files.toList()) {
                Path target = chart.resolve(Chart.CHART.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
        YAMLMapper yaml = new YAMLMapper();
        JsonNode merged = merge(yaml.readTree(Chart.CHART.resolve("values.yaml").toFile()),
                yaml.readTree(Chart.PRODUCTION_VALUES.toFile()));
        yaml.writeValue(chart.resolve("values.yaml").toFile(), merged);
        assertThat(merged.at("/kafka/security/tls/truststoreSecret/name").asText()).isEqualTo("login-pulse-kafka-ca");

        LintResult result = new Helm(chart).lint().strict().call();

        assertThat(result.isFailed()).as("lint messages: %s", result.getMessages()).isFalse();
        assertThat(result.getMessages()).allSatisfy(message -> assertThat(message).startsWith("[INFO]"));
    }

    /** Helm's merge of a values file over the chart's values: maps key by key, anything else replaced. */
    private static JsonNode merge(JsonNode base, JsonNode override) {
        if (!(base instanceof ObjectNode target) || !override.isObject()) {
            return override;
        }
        override.properties().forEach(entry -> target.set(entry.getKey(),
                target.has(entry.getKey()) ? merge(target.get(entry.getKey()), entry.getValue()) : entry.getValue()));
        return target;
    }

}
