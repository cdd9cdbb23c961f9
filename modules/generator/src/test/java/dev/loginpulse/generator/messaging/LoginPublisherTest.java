package dev.loginpulse.generator.messaging;

import java.time.Duration;

import jakarta.enterprise.inject.Any;
import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.loginpulse.events.CleaningResult;
import dev.loginpulse.events.LoginCleaner;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.Record;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;
import io.smallrye.reactive.messaging.memory.InMemorySink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@QuarkusTest
@WithTestResource(value = InMemoryChannels.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class LoginPublisherTest {

    @Inject
    @Any
    InMemoryConnector connector;

    /** The rate itself is {@link PacerTest}'s and {@link LoginPublisherPacingTest}'s, with a clock they control. */
    @Test
    void publishesCleanableLoginsKeyedByUser() {
        InMemorySink<Record<String, byte[]>> sink = connector.sink(LoginPublisher.CHANNEL);

        await().atMost(Duration.ofSeconds(60)).until(() -> sink.received().size() >= 1_000);

        LoginCleaner cleaner = LoginCleaner.withDefaults();
        assertThat(sink.received().subList(0, 1_000)).allSatisfy(message -> {
            Record<String, byte[]> record = message.getPayload();
            CleaningResult result = cleaner.clean(record.value());
            assertThat(result).isInstanceOf(CleaningResult.Cleaned.class);
            assertThat(((CleaningResult.Cleaned) result).login().userId()).isEqualTo(record.key());
        });
    }
}
