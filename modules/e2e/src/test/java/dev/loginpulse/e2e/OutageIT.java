package dev.loginpulse.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import dev.loginpulse.events.Topics;
import dev.loginpulse.launcher.PipelineOptions;
import dev.loginpulse.launcher.Service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An outage of {@code user-login-clean} for 135 s under 2,000 logins/s: longer than the Kafka producer's default
 * {@code delivery.timeout.ms} (2 min), after which the cleaner used to turn valid logins into {@code WRITE_FAILED}
 * dead letters. The cleaner must instead stop consuming, report not ready while staying live (nothing restarts it),
 * keep its memory bounded with the logins waiting in {@code user-login}, and continue when the topic is writable again:
 * afterwards every per-state total and every (state, window) figure equals the test's own count, the dead letters are
 * exactly the uncleanable records, and none is {@code WRITE_FAILED}.
 * <p>
 * The outage, on a single broker: the cleaner's producer of clean logins reaches the broker only through a
 * {@link NetworkRelay} (the broker advertises an extra listener at the relay's port), and the relay is cut: every
 * connection of that producer is reset and new ones are refused, as when the host of the topic's leader dies. The
 * cleaner's consumer and dead-letter producer, stats and the test's own clients still reach the broker directly,
 * so raw logins keep arriving. A dead leader among three brokers is #16's {@code FailoverIT}.
 */
@SecondLane // more than two minutes of waiting at 2,000 logins/s
class OutageIT extends PipelineTest {

    private static final int RATE_PER_SECOND = 2_000;
    private static final int TICK_MS = 10;
    private static final int PER_TICK = RATE_PER_SECOND * TICK_MS / 1_000;
    /**
     * How long the clean topic refuses the cleaner's writes: past the producer's default {@code delivery.timeout.ms}
     * (2 min) and, twice over, its default {@code max.block.ms} (1 min), with a margin.
     */
    private static final int OUTAGE_SECONDS = 135;
    /** Logins before the outage, during it and after it. */
    private static final int BEFORE = 20_000;
    private static final int DURING = RATE_PER_SECOND * OUTAGE_SECONDS;
    private static final int EVENTS = BEFORE + DURING + 20_000;
    private static final Duration BOUND = Duration.ofMinutes(6);
    private static final int MAX_PENDING_BATCHES = 4;
    private static final long RSS_BOUND_KB = 512 * 1024;
    /** The cleaner's readiness check of its writes ({@code CleanWritesHealthCheck.NAME}). */
    private static final String WRITES_CHECK = "clean-writes";

    private NetworkRelay relay;

    @Override
    protected PipelineOptions options() {
        try {
            int relayPort = NetworkRelay.freePort();
            int listenerPort = NetworkRelay.freePort();
            relay = NetworkRelay.on(relayPort, listenerPort);
            // Only the clean channel's producer bootstraps at the relay (a channel name with dashes has no
            // unambiguous environment variable, so an extra configuration file names it).
            Path channelConfig = Path.of(System.getProperty("pulse.home", "../..")).toAbsolutePath()
                    .resolve("modules/e2e/target/outage-cleaner.properties");
            Files.writeString(channelConfig, "mp.messaging.outgoing." + Topics.USER_LOGIN_CLEAN
                    + ".bootstrap.servers=127.0.0.1:" + relayPort + "\n");
            return PipelineSupport.options("outage").services(PipelineSupport.FED_BY_TEST)
                    .broker(builder -> builder.relayedListener(relayPort, listenerPort))
                    .env(Service.CLEANER, "QUARKUS_CONFIG_LOCATIONS", channelConfig.toUri().toString())
                    .env(Service.CLEANER, "PULSE_CLEANER_MAX_PENDING_BATCHES", Integer.toString(MAX_PENDING_BATCHES))
                    .env(Service.CLEANER, "PULSE_CLEANER_WRITE_STALL_TIMEOUT", "PT5S");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterAll
    void closeRelay() {
        if (relay != null) {
            relay.close();
        }
    }

    @Test
    void cleanTopicUnwritableLongerThanTheDefaultDeliveryTimeoutUnderTwoThousandLoginsPerSecondPausesTheCleanerAndLosesNothing()
            throws Exception {
        long cleanerPid = pipeline.process(Service.CLEANER).pid();
        LoginStream stream = new LoginStream(2026_12_06L);
        AtomicInteger produced = new AtomicInteger();
        AtomicLong acknowledged = new AtomicLong();
        AtomicReference<Exception> producerError = new AtomicReference<>();
        ScheduledExecutorService generator = Executors.newSingleThreadScheduledExecutor();
        try (KafkaProducer<byte[], byte[]> producer = PipelineSupport.producer(pipeline);
                Admin admin = pipeline.broker().admin()) {
            // 2,000 logins/s: 20 every 10 ms, paced by the scheduler (the pipeline sets no pace during the outage).
            generator.scheduleAtFixedRate(() -> {
                for (int k = 0; k < PER_TICK && produced.get() < EVENTS; k++) {
                    int i = produced.getAndIncrement();
                    producer.send(new ProducerRecord<>(Topics.USER_LOGIN, stream.next(i)), (metadata, error) -> {
                        if (error == null) {
                            acknowledged.incrementAndGet();
                        } else {
                            producerError.compareAndSet(null, error);
                        }
                    });
                }
            }, 0, TICK_MS, TimeUnit.MILLISECONDS);

            await().atMost(BOUND).until(() -> produced.get() >= BEFORE);
            await().atMost(BOUND).ignoreExceptions()
                    .until(() -> PipelineSupport.endOffsets(pipeline, Topics.USER_LOGIN_CLEAN) > 0);
            assertThat(relay.connections()).as("the clean producer's connections through the relay").isPositive();

            // The outage: user-login-clean's leader unreachable for the cleaner, for as long as DURING logins take.
            relay.cut();
            Instant outageStarted = Instant.now();
            long outageStart = produced.get();
            await().atMost(Duration.ofMinutes(1)).ignoreExceptions().untilAsserted(() -> assertThat(
                    PipelineSupport.status(pipeline, Service.CLEANER, "/q/health/ready")).as("cleaner ready")
                    .isEqualTo(503));
            long cleanAtStall = PipelineSupport.endOffsets(pipeline, Topics.USER_LOGIN_CLEAN);

            List<Long> rss = new ArrayList<>();
            List<Double> pendingBatches = new ArrayList<>();
            List<Integer> liveness = new ArrayList<>();
            await().atMost(BOUND).pollInterval(Duration.ofSeconds(2)).until(() -> {
                rss.add(PipelineSupport.rssKb(cleanerPid));
                pendingBatches.add(PipelineSupport.metric(pipeline, Service.CLEANER, "pulse_cleaner_pending_batches"));
                liveness.add(PipelineSupport.status(pipeline, Service.CLEANER, "/q/health/live"));
                return produced.get() >= outageStart + DURING;
            });
            long backlog = PipelineSupport.endOffsets(pipeline, Topics.USER_LOGIN) - committed(admin);
            long cleanAtEnd = PipelineSupport.endOffsets(pipeline, Topics.USER_LOGIN_CLEAN);
            String readiness = PipelineSupport.get(pipeline.url(Service.CLEANER).resolve("/q/health/ready")).body();
            Duration outage = Duration.between(outageStarted, Instant.now());
            relay.restore();

            await().atMost(BOUND).until(() -> produced.get() >= EVENTS);
            producer.flush();
            generator.shutdown();
            assertThat(producerError.get()).as("test producer").isNull();
            assertThat(acknowledged.get()).isEqualTo(EVENTS);

            Map<String, Long> truth = stream.cleanByState();
            try {
                await().atMost(BOUND).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                        .untilAsserted(() -> assertThat(PipelineSupport.stateTotals(pipeline)).isEqualTo(truth));
            } catch (ConditionTimeoutException e) {
                throw new AssertionError("the pipeline did not catch up after the outage of " + outage.toSeconds()
                        + " s; clean records " + PipelineSupport.endOffsets(pipeline, Topics.USER_LOGIN_CLEAN)
                        + " (at the stall " + cleanAtStall + "), raw committed " + committed(admin) + " of "
                        + PipelineSupport.endOffsets(pipeline, Topics.USER_LOGIN) + ", cleaner relay connections "
                        + relay.connections() + "\n" + PipelineSupport.diagnosis(pipeline), e);
            }
            long deadLetters = PipelineSupport.endOffsets(pipeline, Topics.USER_LOGIN_DLQ);
            List<String> reasons = new ArrayList<>();
            PipelineSupport.forEachRecord(pipeline, Topics.USER_LOGIN_DLQ, deadLetters,
                    record -> reasons.add(text(record.headers().lastHeader(Topics.DEAD_LETTER_REASON))));
            List<String> windowDifferences = stream.windows().differences(WindowTruth.published(pipeline), 10);
            long maxRssKb = rss.stream().mapToLong(Long::longValue).max().orElseThrow();

            System.out.printf("Outage run: %d logins at %d/s, outage %d s (%d logins produced meanwhile), clean "
                    + "records written during it %d, raw backlog at its end %d, pending batches max %.0f, cleaner RSS "
                    + "%d-%d MB, readiness at its end %s%n", EVENTS, RATE_PER_SECOND, outage.toSeconds(), DURING,
                    cleanAtEnd - cleanAtStall, backlog, pendingBatches.stream().mapToDouble(Double::doubleValue).max()
                            .orElseThrow(),
                    rss.stream().mapToLong(Long::longValue).min().orElseThrow() / 1024, maxRssKb / 1024, readiness);

            assertThat(outage).as("the outage outlasts the producer's default delivery.timeout.ms")
                    .isGreaterThan(Duration.ofMinutes(2));
            assertThat(cleanAtEnd).as("nothing written to the clean topic while it refused writes")
                    .isEqualTo(cleanAtStall);
            assertThat(backlog).as("the logins waited in user-login, not in the cleaner")
                    .isGreaterThan(DURING - 20L * 2_000);
            assertThat(pendingBatches).as("batches in flight").allSatisfy(
                    pending -> assertThat(pending).isLessThanOrEqualTo(MAX_PENDING_BATCHES));
            assertThat(liveness).as("cleaner live throughout").containsOnly(200);
            assertThat(readiness).contains(WRITES_CHECK).containsPattern("\"status\"\\s*:\\s*\"DOWN\"");
            assertThat(maxRssKb).as("cleaner RSS, KiB").isLessThan(RSS_BOUND_KB);

            assertThat(reasons).as("dead letters").hasSize((int) stream.deadLetterCount())
                    .noneMatch(reason -> reason.startsWith("WRITE_FAILED"));
            assertThat(PipelineSupport.metric(pipeline, Service.CLEANER,
                    "pulse_cleaner_dead_lettered_total{reason=\"WRITE_FAILED\"}")).isZero();
            assertThat(windowDifferences).as("(state, window) figures that differ from the truth, of %d",
                    stream.windows().windows()).isEmpty();
            assertThat(pipeline.process(Service.CLEANER).pid()).as("cleaner not restarted").isEqualTo(cleanerPid);
            await().atMost(Duration.ofMinutes(1)).ignoreExceptions().untilAsserted(() -> assertThat(
                    PipelineSupport.status(pipeline, Service.CLEANER, "/q/health/ready")).isEqualTo(200));
        } finally {
            generator.shutdownNow();
        }
    }

    /** The cleaner group's committed offsets on {@code user-login}, summed over partitions. */
    private static long committed(Admin admin) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets("cleaner")
                .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
        Collection<OffsetAndMetadata> values = offsets.values();
        return values.stream().mapToLong(OffsetAndMetadata::offset).sum();
    }

    private static String text(Header header) {
        return header == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
    }
}
