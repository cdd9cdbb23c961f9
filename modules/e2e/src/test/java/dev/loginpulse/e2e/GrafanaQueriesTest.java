package dev.loginpulse.e2e;

import org.junit.jupiter.api.Test;

import dev.loginpulse.launcher.Service;

import static org.assertj.core.api.Assertions.assertThat;

/** The PromQL metric-name extraction behind PipelineIT's check of the Grafana dashboard. */
class GrafanaQueriesTest {

    @Test
    void metricNamesAreFoundAmongFunctionsLabelsRangesGroupingAndVariables() {
        assertThat(GrafanaQueries.metricNames(
                "sum by (instance, reason) (rate(pulse_cleaner_dead_lettered_total{instance=~\"$instance\", "
                        + "reason!=\"rate(x)\"}[$__rate_interval])) > 0"))
                .containsExactly("pulse_cleaner_dead_lettered_total");
        assertThat(GrafanaQueries.metricNames("sum(rate(a_seconds_sum[5m])) / on (instance) "
                + "sum(rate(a_seconds_count[5m])) * 1e3 + max(b:recorded) offset 1h"))
                .containsExactly("a_seconds_sum", "a_seconds_count", "b:recorded");
    }

    @Test
    void theDashboardNamesMetricsForEveryServiceAndEveryServiceTheJvmOnes() throws Exception {
        var expected = GrafanaQueries.metricsByService();
        assertThat(expected).containsOnlyKeys(PipelineSupport.STREAMING);
        // the JVM panels and the instance variable (label_values(process_uptime_seconds, instance)) concern all four
        expected.values().forEach(names -> assertThat(names).contains("jvm_memory_used_bytes", "process_cpu_usage",
                "process_uptime_seconds").doesNotContain("instance"));
        assertThat(expected.get(Service.CLEANER)).contains("pulse_cleaner_dead_lettered_total");
    }

    @Test
    void theExposedNamesAreTheSampleLinesFirstWords() {
        assertThat(GrafanaQueries.exposed("""
                # HELP x_total X
                # TYPE x_total counter
                x_total{a="b"} 1.0
                y 2
                """)).containsExactly("x_total", "y");
    }
}
