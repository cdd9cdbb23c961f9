package dev.loginpulse.bench;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import dev.loginpulse.events.Topics;
import dev.loginpulse.generator.model.LoginFactory;

/**
 * Writes N raw logins to {@link Topics#USER_LOGIN} with the generator's own {@link LoginFactory} (states weighted by
 * population, 5 % dirty, 20,000 users, seed 42), keyed by user like the generator, with event times spread evenly at
 * {@code eventTimeRate} logins per second and ending now; and computes what the engines must make of them.
 */
final class Preload {

    static final double DIRTY_RATIO = 0.05;
    static final int USERS = 20_000;
    static final long SEED = 42;
    /** Batched and compressed for speed; still acks=all and idempotent, as the generator. */
    static final Map<String, Object> PRODUCER = Map.of(
            ProducerConfig.LINGER_MS_CONFIG, 20,
            ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024,
            ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4",
            ProducerConfig.BUFFER_MEMORY_CONFIG, 128L * 1024 * 1024,
            ProducerConfig.ACKS_CONFIG, "all");

    private Preload() {
    }

    record Preloaded(Expected expected, Results.PreloadResult result) {
    }

    static Preloaded run(String bootstrap, long n, double eventTimeRate) {
        return run(bootstrap, n, eventTimeRate, USERS);
    }

    /** {@code n} logins of {@code users} distinct users at {@code eventTimeRate} per second of event time. */
    static Preloaded run(String bootstrap, long n, double eventTimeRate, int users) {
        Expected expected = new Expected();
        double spanSeconds = n / eventTimeRate;
        Instant start = Instant.now().minusMillis((long) (spanSeconds * 1000) + 5_000);
        MovingClock clock = new MovingClock(start);
        LoginFactory factory = new LoginFactory(new SplittableRandom(SEED), clock, DIRTY_RATIO, users,
                LoginFactory.DEFAULT_SUSPICIOUS_SHARE);
        Map<String, Object> config = new HashMap<>(PRODUCER);
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        AtomicLong sent = new AtomicLong();
        AtomicLong acked = new AtomicLong();
        AtomicReference<Exception> failure = new AtomicReference<>();
        long bytes = 0;
        long t0 = System.nanoTime();
        System.out.printf("Preload: %,d raw logins into %s (%s), event time %.0f s%n", n, Topics.USER_LOGIN,
                producerConfig(), spanSeconds);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(),
                new ByteArraySerializer());
                Progress progress = new Progress("preload", () -> String.format("%s sent, %s acknowledged",
                        Progress.count(sent.get()), Progress.count(acked.get())))) {
            long nanosPerEvent = (long) (1e9 / eventTimeRate);
            for (long i = 0; i < n; i++) {
                clock.set(start.plusNanos(i * nanosPerEvent));
                LoginFactory.GeneratedLogin login = factory.next();
                byte[] value = login.payload();
                bytes += value.length;
                expected.add(value);
                producer.send(new ProducerRecord<>(Topics.USER_LOGIN, login.userId().getBytes(StandardCharsets.UTF_8),
                        value), (metadata, error) -> {
                            if (error != null) {
                                failure.compareAndSet(null, error);
                            } else {
                                acked.incrementAndGet();
                            }
                        });
                sent.incrementAndGet();
            }
            producer.flush();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("Preload failed", failure.get());
        }
        expected.seal();
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("  %,d sent in %.1f s (%,.0f/s): %,d clean, %,d to be dead-lettered, %,d (state, window) pairs%n",
                n, seconds, n / seconds, expected.clean(), expected.deadLettered(), expected.windows().size());
        return new Preloaded(expected, new Results.PreloadResult(n, expected.clean(), expected.deadLettered(), bytes,
                seconds, spanSeconds, expected.windows().size(), producerConfig()));
    }

    static String producerConfig() {
        return "acks=all, idempotent, linger.ms=20, batch.size=262144, compression lz4";
    }

    /** The factory's clock: event time is set per login. */
    static final class MovingClock extends Clock {
        private Instant now;

        MovingClock(Instant start) {
            this.now = start;
        }

        void set(Instant instant) {
            this.now = instant;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
