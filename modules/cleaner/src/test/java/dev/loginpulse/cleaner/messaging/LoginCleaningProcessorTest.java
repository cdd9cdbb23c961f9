package dev.loginpulse.cleaner.messaging;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.inject.Any;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.loginpulse.events.CleanLogin;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;
import io.smallrye.reactive.messaging.memory.InMemorySink;
import io.smallrye.reactive.messaging.memory.InMemorySource;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

@QuarkusTest
@WithTestResource(value = InMemoryChannels.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class LoginCleaningProcessorTest {

    @Inject
    @Any
    InMemoryConnector connector;

    private InMemorySource<Message<byte[]>> raw;
    private InMemorySink<CleanLogin> clean;
    private final Map<String, Throwable> nacked = new ConcurrentHashMap<>();
    private final Map<String, Boolean> acked = new ConcurrentHashMap<>();

    @BeforeEach
    void channels() {
        raw = connector.source(LoginCleaningProcessor.RAW_CHANNEL);
        clean = connector.sink(LoginCleaningProcessor.CLEAN_CHANNEL);
        clean.clear();
        nacked.clear();
        acked.clear();
    }

    @Test
    void cleanRecordIsNormalisedAndKeyedByLocale() {
        send("ok", """
                {"user_id":"u1","app_version":"2.3.0","device_type":" Android Tablet ","ip":"10.0.0.1",
                 "locale":" ri ","device_id":"d1","timestamp":"1694479551","extra":{"x":1}}""");

        await().atMost(Duration.ofSeconds(10)).until(() -> clean.received().size() == 1);
        Message<CleanLogin> out = clean.received().get(0);
        assertThat(out.getPayload()).isEqualTo(new CleanLogin("2023-09-12T00:45:51Z", "RI", "androidtablet", "u1",
                "2.3.0", "10.0.0.1", "d1"));
        OutgoingKafkaRecordMetadata<?> metadata = out.getMetadata(OutgoingKafkaRecordMetadata.class).orElseThrow();
        assertThat(metadata.getKey()).isEqualTo("RI");

        out.ack().toCompletableFuture().join();
        await().atMost(Duration.ofSeconds(10)).until(() -> acked.containsKey("ok"));
        assertThat(nacked).isEmpty();
    }

    @Test
    void uncleanableRecordsAreNackedWithTheirReasonAndNothingIsEmitted() {
        send("no-user", "{\"timestamp\":1694479551}");
        send("not-json", "<html>");
        send("array", "[1,2]");
        send("negative", "{\"user_id\":\"u\",\"timestamp\":-1}");

        await().atMost(Duration.ofSeconds(10)).until(() -> nacked.size() == 4);
        assertThat(nacked.get("no-user")).hasMessageStartingWith("MISSING_USER_ID: ");
        assertThat(nacked.get("not-json")).hasMessageStartingWith("NOT_JSON: ");
        assertThat(nacked.get("array")).hasMessageStartingWith("NOT_AN_OBJECT: ");
        assertThat(nacked.get("negative")).hasMessageStartingWith("INVALID_TIMESTAMP: ");
        assertThat(clean.received()).isEmpty();
        assertThat(acked).isEmpty();
    }

    @Test
    void everyRecordEndsUpCleanOrNackedAndTheMetricsCountBoth() {
        List<String> payloads = List.of(
                "{\"user_id\":\"a\",\"timestamp\":1}",
                "{\"user_id\":\"b\",\"timestamp\":2,\"locale\":null}",
                "{\"user_id\":\" \",\"timestamp\":3}",
                "garbage",
                "{\"user_id\":\"c\",\"timestamp\":1.5}");
        for (int i = 0; i < payloads.size(); i++) {
            send("r" + i, payloads.get(i));
        }

        await().atMost(Duration.ofSeconds(10)).until(() -> clean.received().size() + nacked.size() == 5);
        assertThat(clean.received()).extracting(m -> m.getPayload().userId()).containsExactly("a", "b");
        assertThat(nacked).containsOnlyKeys("r2", "r3", "r4");
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("pulse_cleaner_cleaned_total"))
                .body(containsString("pulse_cleaner_dead_lettered_total{reason=\"MISSING_USER_ID\"}"));
    }

    @Test
    void healthEndpointsAnswer() {
        given().get("/q/health/live").then().statusCode(200);
    }

    private void send(String id, String payload) {
        raw.send(Message.of(payload.getBytes(StandardCharsets.UTF_8))
                .withAck(() -> {
                    acked.put(id, true);
                    return CompletableFuture.completedFuture(null);
                })
                .withNack(failure -> {
                    nacked.put(id, failure);
                    return CompletableFuture.completedFuture(null);
                }));
    }

}
