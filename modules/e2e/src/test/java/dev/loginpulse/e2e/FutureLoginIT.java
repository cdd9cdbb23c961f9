package dev.loginpulse.e2e;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.loginpulse.events.Topics;
import dev.loginpulse.launcher.PipelineOptions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A device clock an hour ahead is normal, and the cleaner lets such a login through (up to its 1 h skew). One login
 * stamped now + 59 min, then 1,000 current logins: the dashboard's current window (on {@code /api/stats}) must be the
 * present one, with every current login in it, not the future login's window with the present ones closed.
 */
class FutureLoginIT extends PipelineTest {

    private static final List<String> STATES = List.of("CA", "TX", "NY", "FL", "IL");
    private static final String FUTURE_STATE = "WY";

    @Override
    protected PipelineOptions options() {
        return PipelineSupport.options("future-login").services(PipelineSupport.FED_BY_TEST);
    }

    @Test
    void loginAnHourAheadLeavesTheCurrentWindowAndItsFiguresExact() throws Exception {
        Instant now = Instant.now();
        long second = now.getEpochSecond();
        Map<String, Long> expected = new HashMap<>();
        try (KafkaProducer<byte[], byte[]> producer = PipelineSupport.producer(pipeline)) {
            producer.send(record("future-user", FUTURE_STATE, second + Duration.ofMinutes(59).toSeconds()))
                    .get(30, TimeUnit.SECONDS);
            for (int i = 0; i < 1_000; i++) {
                String state = STATES.get(i % STATES.size());
                producer.send(record("u" + i % 97, state, second));
                expected.merge(state, 1L, Long::sum);
            }
            producer.flush();
        }
        expected.put(FUTURE_STATE, 1L);

        await().atMost(PipelineSupport.PROCESSING_TIMEOUT).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .untilAsserted(() -> assertThat(PipelineSupport.stateTotals(pipeline)).isEqualTo(expected));
        // the totals and the window figures come in the same published records; read the settled page once more
        await().atMost(PipelineSupport.PROCESSING_TIMEOUT).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            JsonNode stats = PipelineSupport.stats(pipeline);
            Instant windowStart = Instant.parse(stats.get("window_start").asText());
            Instant windowEnd = Instant.parse(stats.get("window_end").asText());
            assertThat(windowStart).as("the current window has started").isBeforeOrEqualTo(Instant.now());
            assertThat(windowStart).isBeforeOrEqualTo(Instant.ofEpochSecond(second));
            assertThat(windowEnd).isAfter(Instant.ofEpochSecond(second));
            assertThat(stats.get("window_logins").asLong()).isEqualTo(1_001);
            assertThat(stats.get("late_logins").asLong()).isZero();
            for (JsonNode state : stats.get("states")) {
                String code = state.get("state").asText();
                assertThat(state.get("logins").asLong()).as("%s in the current window", code)
                        .isEqualTo(expected.get(code));
                assertThat(Instant.parse(state.get("last_login").asText())).as("%s last login", code)
                        .isBeforeOrEqualTo(Instant.now());
            }
        });
    }

    private static ProducerRecord<byte[], byte[]> record(String user, String state, long epochSecond) {
        String json = "{\"user_id\":\"" + user + "\",\"app_version\":\"1.0\",\"device_type\":\"web\",\"ip\":\"10.2.0.1\","
                + "\"locale\":\"" + state + "\",\"device_id\":\"d-" + user + "\",\"timestamp\":" + epochSecond + "}";
        return new ProducerRecord<>(Topics.USER_LOGIN, json.getBytes(StandardCharsets.UTF_8));
    }
}
