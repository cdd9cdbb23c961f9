package dev.loginpulse.generator.messaging;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Outgoing;
import org.jboss.logging.Logger;

import dev.loginpulse.events.Topics;
import dev.loginpulse.generator.config.GeneratorConfig;
import dev.loginpulse.generator.model.LoginFactory;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Multi;
import io.smallrye.reactive.messaging.kafka.Record;

/**
 * Publishes {@code pulse.generator.rate} synthetic logins per second to {@link #CHANNEL}, in batches every
 * {@link #TICK}, keyed by user id so that a user's logins stay in order. Rate 0 publishes nothing.
 */
@ApplicationScoped
public class LoginPublisher {

    /** Channel of raw logins, bound to {@link Topics#USER_LOGIN}. */
    public static final String CHANNEL = Topics.USER_LOGIN;
    static final Duration TICK = Duration.ofMillis(50);
    private static final Logger LOG = Logger.getLogger(LoginPublisher.class);

    private final GeneratorConfig config;
    private final Counter published;

    public LoginPublisher(GeneratorConfig config, MeterRegistry registry) {
        this.config = config;
        this.published = Counter.builder("pulse.generator.published")
                .description("Raw logins handed to the Kafka producer for " + Topics.USER_LOGIN).register(registry);
    }

    @Outgoing(CHANNEL)
    public Multi<Record<String, byte[]>> logins() {
        if (config.rate() <= 0) {
            LOG.info("Generator paused (pulse.generator.rate=0): publishing nothing");
            return Multi.createFrom().nothing();
        }
        RandomGenerator random = config.seed().isPresent() ? new SplittableRandom(config.seed().getAsLong())
                : new SplittableRandom(new Random().nextLong());
        LoginFactory factory = new LoginFactory(random, Clock.systemUTC(), config.dirtyRatio(), config.users(),
                config.suspiciousShare());
        double perTick = config.rate() * TICK.toNanos() / 1e9;
        double[] carry = { 0 };
        LOG.infof("Generator publishing %.1f logins/s (%.0f%% dirty) to %s", config.rate(), config.dirtyRatio() * 100,
                Topics.USER_LOGIN);
        return Multi.createFrom().ticks().every(TICK)
                .onOverflow().drop()
                .onItem().transformToIterable(tick -> {
                    double due = perTick + carry[0];
                    int count = (int) due;
                    carry[0] = due - count;
                    List<Record<String, byte[]>> batch = new ArrayList<>(count);
                    for (int i = 0; i < count; i++) {
                        LoginFactory.GeneratedLogin login = factory.next();
                        batch.add(Record.of(login.userId(), login.payload()));
                    }
                    published.increment(count);
                    return batch;
                });
    }
}
