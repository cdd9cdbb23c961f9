package dev.loginpulse.launcher;

import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The argument handling of {@code ./run.sh replay-dlq}. */
class ReplayDlqCommandTest {

    private static final Instant TUESDAY = Instant.parse("2026-12-01T00:00:00Z");

    @Test
    void timesAreIsoInstantsOrDatesTakenAsTheStartOfTheirDayInUtc() {
        assertThat(ReplayDlqCommand.instant("2026-12-01")).isEqualTo(TUESDAY);
        assertThat(ReplayDlqCommand.instant("2026-12-01T06:30:00Z")).isEqualTo(Instant.parse("2026-12-01T06:30:00Z"));
        assertThatThrownBy(() -> ReplayDlqCommand.instant("last tuesday"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("last tuesday");
    }

    @Test
    void kafkaVariablesBecomeClientSettingsExceptTheBootstrapServers() {
        Map<String, Object> config = ReplayDlqCommand.clientConfig(Map.of("KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                "KAFKA_SASL_MECHANISM", "SCRAM-SHA-512", "KAFKA_BOOTSTRAP_SERVERS", "elsewhere:9092", "PATH", "/bin"));

        assertThat(config).containsExactlyInAnyOrderEntriesOf(
                Map.of("security.protocol", "SASL_SSL", "sasl.mechanism", "SCRAM-SHA-512"));
    }
}
