package dev.loginpulse.generator;

import java.time.Duration;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import dev.loginpulse.devbroker.KafkaBroker;
import dev.loginpulse.devbroker.KafkaBrokerTestResource;
import dev.loginpulse.devbroker.TopicClient;
import dev.loginpulse.events.CleaningResult;
import dev.loginpulse.events.LoginCleaner;
import dev.loginpulse.events.Topics;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

/**
 * The packaged generator (the JVM jar, or the native executable under {@code -Dnative}) against a real broker: it
 * publishes raw logins at its default rate, mostly cleanable, some deliberately dirty, keyed by user.
 */
@QuarkusIntegrationTest
@WithTestResource(value = KafkaBrokerTestResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class GeneratorIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    KafkaBroker broker;

    @Test
    void publishesRawLoginsThatAreMostlyCleanableAndKeyedByUser() {
        List<ConsumerRecord<String, byte[]>> raw = TopicClient.of(broker).readAll(Topics.USER_LOGIN, 500, TIMEOUT);

        assertThat(raw).hasSizeGreaterThanOrEqualTo(500);
        LoginCleaner cleaner = LoginCleaner.withDefaults();
        List<CleaningResult> results = raw.stream().map(record -> cleaner.clean(record.value())).toList();
        List<CleaningResult.Cleaned> cleaned = results.stream().filter(CleaningResult.Cleaned.class::isInstance)
                .map(CleaningResult.Cleaned.class::cast).toList();
        // The default dirty ratio is 5 %: far more clean than dirty, and some dirty.
        assertThat(cleaned.size()).isGreaterThan(raw.size() * 8 / 10).isLessThan(raw.size());
        for (int i = 0; i < raw.size(); i++) {
            if (results.get(i) instanceof CleaningResult.Cleaned clean) {
                assertThat(raw.get(i).key()).isEqualTo(clean.login().userId());
            }
        }
    }

    @Test
    void readinessAndMetricsAnswer() {
        await().atMost(TIMEOUT).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200)
                .body(containsString("\"status\": \"UP\"")));
        given().get("/q/metrics").then().statusCode(200).body(containsString("kafka_producer"));
    }
}
