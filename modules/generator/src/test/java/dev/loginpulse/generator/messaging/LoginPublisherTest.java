package dev.loginpulse.generator.messaging;

import java.time.Duration;

import jakarta.enterprise.inject.Any;
import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.loginpulse.events.CleaningResult;
import dev.loginpulse.events.LoginCleaner;
import dev.loginpulse.events.Schemas;
import dev.loginpulse.events.Topics;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;
import io.smallrye.reactive.messaging.memory.InMemorySink;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

@QuarkusTest
@WithTestResource(value = InMemoryChannels.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class LoginPublisherTest {

    @Inject
    @Any
    InMemoryConnector connector;

    /** The rate itself is {@link PacerTest}'s and {@link LoginPublisherPacingTest}'s, with a clock they control. */
    @Test
    void publishesCleanableLoginsKeyedByUserWithTheirSchemaHeader() {
        InMemorySink<byte[]> sink = connector.sink(LoginPublisher.CHANNEL);

        await().atMost(Duration.ofSeconds(60)).until(() -> sink.received().size() >= 1_000);

        LoginCleaner cleaner = LoginCleaner.withDefaults();
        assertThat(sink.received().subList(0, 1_000)).allSatisfy(message -> {
            @SuppressWarnings("unchecked")
            OutgoingKafkaRecordMetadata<String> metadata = message.getMetadata(OutgoingKafkaRecordMetadata.class)
                    .orElseThrow();
            CleaningResult result = cleaner.clean(message.getPayload());
            assertThat(result).isInstanceOf(CleaningResult.Cleaned.class);
            assertThat(((CleaningResult.Cleaned) result).login().userId()).isEqualTo(metadata.getKey());
            assertThat(Schemas.named(metadata.getHeaders())).contains(Schemas.of(Topics.USER_LOGIN));
        });
    }

    /**
     * The events module's schemas are resources under {@code META-INF/resources}, which Quarkus serves from dependency
     * jars too: every service publishes them (tested here, in the smallest service, without a second start).
     */
    @Test
    void servesTheTopicSchemasOfTheEventsModule() {
        for (Schemas.Schema schema : Schemas.BY_TOPIC.values()) {
            given().get(schema.httpPath()).then().statusCode(200)
                    .contentType(containsString("json"))
                    .body(containsString("\"$id\": \"https://login-pulse.dev" + schema.httpPath() + "\""))
                    .body("title", containsString(schema.topic()));
        }
        given().get("/schemas/user-login/v99.json").then().statusCode(404);
    }
}
