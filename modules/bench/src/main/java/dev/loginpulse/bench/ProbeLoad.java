package dev.loginpulse.bench;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import dev.loginpulse.events.CleaningResult;
import dev.loginpulse.events.JsonSerde;
import dev.loginpulse.events.LoginCleaner;
import dev.loginpulse.events.RawLogin;
import dev.loginpulse.events.Topics;
import dev.loginpulse.generator.model.LoginFactory;

/**
 * The load of {@link Latency}: a thread that produces the generator's mix ({@link LoginFactory}, with the generator's
 * producer settings) at the {@link #rate(int) rate}, except in {@link Latency#PROBE_STATE}, which gets only the
 * probes: one every {@link Latency#PROBE_INTERVAL}, the k-th with {@code probe-k} as user id. It notes each probe's
 * send time.
 */
final class ProbeLoad implements AutoCloseable {

    static final int MAX_PROBES = 1_000_000;
    private static final Duration TICK = Duration.ofMillis(5);

    private final long[] sent = new long[MAX_PROBES + 1];
    private final KafkaProducer<byte[], byte[]> producer;
    private final Thread producerThread;
    private volatile boolean running = true;
    private volatile int rate;
    private volatile long produced;
    private volatile int probesSent;

    /** Starts the thread, which sends nothing until a {@link #rate(int) rate} is set. */
    ProbeLoad(String bootstrap) {
        Map<String, Object> producerConfig = new HashMap<>();
        producerConfig.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        // The generator's settings (modules/generator application.properties).
        producerConfig.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producer = new KafkaProducer<>(producerConfig, new ByteArraySerializer(), new ByteArraySerializer());
        producerThread = new Thread(this::produce, "bench-latency-load");
        producerThread.setDaemon(true);
        producerThread.start();
    }

    /** Logins per second from now on. */
    void rate(int rate) {
        this.rate = rate;
    }

    /** Logins sent so far, probes included. */
    long produced() {
        return produced;
    }

    /** Probes sent so far: the last one's number. */
    int probesSent() {
        return probesSent;
    }

    /** When the k-th probe was sent, in {@link System#nanoTime()}. */
    long sent(int k) {
        return sent[k];
    }

    /**
     * Sends {@code rate} logins/s in {@link #TICK} steps; every {@link Latency#PROBE_INTERVAL} one of them is a probe.
     */
    private void produce() {
        LoginFactory factory = new LoginFactory(new SplittableRandom(7), Clock.systemUTC(), Preload.DIRTY_RATIO,
                Preload.USERS, LoginFactory.DEFAULT_SUSPICIOUS_SHARE);
        LoginCleaner cleaner = LoginCleaner.withDefaults();
        JsonSerde<RawLogin> serde = JsonSerde.rawLogin();
        long rateStart = System.nanoTime();
        int rateNow = 0;
        long sentAtRate = 0;
        long nextProbe = System.nanoTime();
        while (running) {
            long now = System.nanoTime();
            if (rate != rateNow) {
                rateNow = rate;
                rateStart = now;
                sentAtRate = 0;
            }
            if (rateNow > 0) {
                if (now >= nextProbe && probesSent < MAX_PROBES) {
                    int k = probesSent + 1;
                    RawLogin probe = new RawLogin("probe-" + k, "3.0.1", "android", "10.0.0.1", Latency.PROBE_STATE,
                            "probe-device", System.currentTimeMillis() / 1000);
                    sent[k] = System.nanoTime();
                    producer.send(new ProducerRecord<>(Topics.USER_LOGIN,
                            probe.userId().getBytes(StandardCharsets.UTF_8), serde.serialize(null, probe)));
                    probesSent = k;
                    produced++;
                    sentAtRate++;
                    nextProbe += Latency.PROBE_INTERVAL.toNanos();
                }
                long due = (long) ((now - rateStart) / 1e9 * rateNow) - sentAtRate;
                for (long i = 0; i < due; i++) {
                    LoginFactory.GeneratedLogin login = factory.next();
                    if (cleaner.clean(login.payload()) instanceof CleaningResult.Cleaned cleaned
                            && cleaned.login().locale().equals(Latency.PROBE_STATE)) {
                        continue; // the probe state carries only probes
                    }
                    producer.send(new ProducerRecord<>(Topics.USER_LOGIN,
                            login.userId().getBytes(StandardCharsets.UTF_8), login.payload()));
                    produced++;
                    sentAtRate++;
                }
            } else {
                nextProbe = now;
            }
            Throughput.pause(TICK);
        }
    }

    /** Stops the thread and closes the producer. */
    @Override
    public void close() {
        running = false;
        try {
            producerThread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(10));
    }
}
