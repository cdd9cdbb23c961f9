package dev.loginpulse.generator.messaging;

import java.util.OptionalLong;

import org.junit.jupiter.api.Test;

import dev.loginpulse.generator.config.GeneratorConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import static org.assertj.core.api.Assertions.assertThat;

/** The publisher's ticks publish what its {@link Pacer} grants at the configured rate, with a time source the test moves. */
class LoginPublisherPacingTest {

    private long now;
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void eachTickPublishesTheLoginsDueAtTheConfiguredRate() {
        LoginPublisher publisher = new LoginPublisher(config(2_000), registry, () -> now);
        LoginPublisher.Batches batches = publisher.batches().orElseThrow();

        now += LoginPublisher.TICK.toNanos();
        assertThat(batches.next()).hasSize(100);
        assertThat(batches.next()).as("no time passed").isEmpty();

        long total = 0;
        for (int tick = 0; tick < 200; tick++) {
            now += LoginPublisher.TICK.toNanos();
            total += batches.next().size();
        }
        assertThat(total).isEqualTo(20_000);

        now += 3 * LoginPublisher.TICK.toNanos(); // two ticks dropped: their logins come with the next one
        assertThat(batches.next()).hasSize(300);
        assertThat(registry.get("pulse.generator.published").counter().count()).isEqualTo(100 + 20_000 + 300);
    }

    @Test
    void rateZeroPublishesNothing() {
        LoginPublisher publisher = new LoginPublisher(config(0), registry, () -> now);

        assertThat(publisher.batches()).isEmpty();
    }

    private static GeneratorConfig config(double rate) {
        return new GeneratorConfig() {
            @Override
            public double rate() {
                return rate;
            }

            @Override
            public double dirtyRatio() {
                return 0;
            }

            @Override
            public int users() {
                return 100;
            }

            @Override
            public double suspiciousShare() {
                return 0.05;
            }

            @Override
            public OptionalLong seed() {
                return OptionalLong.of(42);
            }
        };
    }
}
