package dev.loginpulse.dashboard.ops;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.loginpulse.dashboard.ops.MetricsScraper.Target;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Reading the figures of a Prometheus text page, and the service list of the configuration. */
class MetricsScraperTest {

    private static final String METRICS = """
            # HELP process_uptime_seconds The uptime of the Java virtual machine
            # TYPE process_uptime_seconds gauge
            process_uptime_seconds 75.25
            process_uptime_seconds_max 1.0
            # TYPE jvm_memory_used_bytes gauge
            jvm_memory_used_bytes{area="heap",id="G1 Eden Space"} 1000.0
            jvm_memory_used_bytes{area="heap",id="G1 Old Gen"} 2500.0
            jvm_memory_used_bytes{area="nonheap",id="Metaspace"} 999999.0
            jvm_memory_used_bytes{area="heap",id="G1 Survivor Space"} NaN
            """;

    @Test
    void upServiceShowsItsUptimeAndTheSumOfItsHeapPools() {
        var sample = MetricsScraper.sample(new Target("cleaner", "http://127.0.0.1:8082"), METRICS);

        assertThat(sample.up()).isTrue();
        assertThat(sample.uptimeSeconds()).isEqualTo(75.25);
        assertThat(sample.heapUsedBytes()).isEqualTo(1000.0 + 2500.0);
    }

    @Test
    void metricThatIsNotThereIsNull() {
        assertThat(MetricsScraper.sum(METRICS, "pulse_cleaner_cleaned_total", null)).isNull();
        assertThat(MetricsScraper.sum("", MetricsScraper.UPTIME, null)).isNull();
    }

    @Test
    void serviceListIsNameEqualsUrlOrNone() {
        assertThat(Target.parseAll(List.of("cleaner=http://localhost:8082/", "http://10.0.0.1:8083")))
                .containsExactly(new Target("cleaner", "http://localhost:8082"),
                        new Target("http://10.0.0.1:8083", "http://10.0.0.1:8083"));
        assertThat(Target.parseAll(List.of("none"))).isEmpty();
        assertThatThrownBy(() -> Target.parse("cleaner=localhost:8082")).isInstanceOf(IllegalArgumentException.class);
    }
}
