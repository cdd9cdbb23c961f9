package dev.loginpulse.generator.messaging;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Outgoing;
import org.jboss.logging.Logger;

import dev.loginpulse.events.Schemas;
import dev.loginpulse.events.Topics;
import dev.loginpulse.generator.config.GeneratorConfig;
import dev.loginpulse.generator.model.LoginFactory;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Multi;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/**
 * Publishes {@code pulse.generator.rate} synthetic logins per second to {@link #CHANNEL}, in batches every
 * {@link #TICK}, keyed by user id so that a user's logins stay in order. Rate 0 publishes nothing. How many logins a
 * tick publishes is the {@link Pacer}'s decision, by the time elapsed, so late or dropped ticks do not lower the rate.
 */
@ApplicationScoped
public class LoginPublisher {

    /** Channel of raw logins, bound to {@link Topics#USER_LOGIN}. */
    public static final String CHANNEL = Topics.USER_LOGIN;
    static final Duration TICK = Duration.ofMillis(50);
    /** After a stall, at most this much of the rate is made up at once (see {@link Pacer}). */
    static final Duration MAX_BURST = Duration.ofSeconds(1);
    private static final Logger LOG = Logger.getLogger(LoginPublisher.class);

    private final GeneratorConfig config;
    private final Counter published;
    private final LongSupplier nanoTime;

    @Inject
    public LoginPublisher(GeneratorConfig config, MeterRegistry registry) {
        this(config, registry, System::nanoTime);
    }

    /** With the {@link Pacer}'s time source, {@link System#nanoTime()} in the running service. */
    LoginPublisher(GeneratorConfig config, MeterRegistry registry, LongSupplier nanoTime) {
        this.config = config;
        this.nanoTime = nanoTime;
        this.published = Counter.builder("pulse.generator.published")
                .description("Raw logins handed to the Kafka producer for " + Topics.USER_LOGIN).register(registry);
    }

    @Outgoing(CHANNEL)
    public Multi<Message<byte[]>> logins() {
        Optional<Batches> batches = batches();
        if (batches.isEmpty()) {
            LOG.info("Generator paused (pulse.generator.rate=0): publishing nothing");
            return Multi.createFrom().nothing();
        }
        LOG.infof("Generator publishing %.1f logins/s (%.0f%% dirty) to %s", config.rate(), config.dirtyRatio() * 100,
                Topics.USER_LOGIN);
        return Multi.createFrom().ticks().every(TICK)
                .onOverflow().drop()
                .onItem().transformToIterable(tick -> batches.get().next());
    }

    /** What the ticks of {@link #logins()} publish, paced from now; empty when the rate is 0. */
    Optional<Batches> batches() {
        Pacer pacer = new Pacer(config.rate(), MAX_BURST, nanoTime);
        if (pacer.paused()) {
            return Optional.empty();
        }
        RandomGenerator random = config.seed().isPresent() ? new SplittableRandom(config.seed().getAsLong())
                : new SplittableRandom(new Random().nextLong());
        LoginFactory factory = new LoginFactory(random, Clock.systemUTC(), config.dirtyRatio(), config.users(),
                config.suspiciousShare());
        return Optional.of(new Batches(pacer, factory));
    }

    /**
     * A login as a record keyed by its user; a well-formed one with the {@link Topics#SCHEMA} header of
     * {@link Schemas#USER_LOGIN}, a deliberately dirty one without (like a foreign producer's).
     */
    static Message<byte[]> message(LoginFactory.GeneratedLogin login) {
        OutgoingKafkaRecordMetadata.OutgoingKafkaRecordMetadataBuilder<String> metadata = OutgoingKafkaRecordMetadata
                .<String> builder().withKey(login.userId());
        if (login.wellFormed()) {
            metadata.withHeaders(Schemas.headers(Topics.USER_LOGIN));
        }
        return Message.of(login.payload()).addMetadata(metadata.build());
    }

    /** Each call: as many new logins as the pacer says are due, counted as published. */
    final class Batches {
        private final Pacer pacer;
        private final LoginFactory factory;

        private Batches(Pacer pacer, LoginFactory factory) {
            this.pacer = pacer;
            this.factory = factory;
        }

        List<Message<byte[]>> next() {
            int count = pacer.take();
            List<Message<byte[]>> batch = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                LoginFactory.GeneratedLogin login = factory.next();
                batch.add(message(login));
            }
            published.increment(count);
            return batch;
        }
    }
}
