package dev.loginpulse.e2e;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.loginpulse.devbroker.KafkaCluster;
import dev.loginpulse.events.Topics;
import dev.loginpulse.launcher.PipelineOptions;
import dev.loginpulse.launcher.Service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The pipeline on a real 3-node KRaft cluster ({@code ./run.sh --brokers 3}): while 40,000 raw logins stream in at
 * 1,000/s, the node leading partition 0 of {@code user-login-clean} is SIGKILLed and later started again, then the
 * active controller likewise. Kafka's promise (three replicas, two in sync for a write, no unclean election) must
 * carry the pipeline's: every raw record ends up cleaned or dead-lettered exactly once by raw offset, the per-state
 * totals and every (state, window) figure equal the test's own count, and every replica is in sync at the end.
 * <p>
 * Not in CI's {@code verify} yet: green when run alone (twice), it failed once beside two other pipelines on 2 cores,
 * with the states of about a third of the partitions stuck at their figures from before the first kill; until that
 * is understood it runs on demand ({@code -De2e.excludedGroups= -Dit.test=ClusterFailoverIT}).
 */
@Tag("cluster") // on demand, not in CI's verify: see modules/e2e/pom.xml and #16
class ClusterFailoverIT extends PipelineTest {

    private static final int EVENTS = 40_000;
    private static final int TICK_MS = 10;
    private static final int PER_TICK = 10;
    private static final Duration BOUND = Duration.ofMinutes(5);
    /** A killed node stays down while this many logins are produced (6 s at 1,000/s). */
    private static final int DOWN_FOR = 6_000;

    @Override
    protected PipelineOptions options() {
        return PipelineSupport.options("cluster").brokers(3);
    }

    @Test
    void killingTheCleanTopicsLeaderAndThenTheActiveControllerOfThreeNodesLosesAndDoublesNothing() throws Exception {
        KafkaCluster cluster = pipeline.cluster();
        assertThat(pipeline.bootstrapServers().split(",")).hasSize(3);
        LoginStream stream = new LoginStream(2026_12_07L);
        AtomicInteger produced = new AtomicInteger();
        AtomicLong acknowledged = new AtomicLong();
        AtomicReference<Exception> producerError = new AtomicReference<>();
        ScheduledExecutorService generator = Executors.newSingleThreadScheduledExecutor();
        List<String> faults = new ArrayList<>();
        Instant started = Instant.now();
        try (KafkaProducer<byte[], byte[]> producer = PipelineSupport.producer(pipeline)) { // acks=all, idempotent
            // 1,000 logins/s, 10 every 10 ms: the faults below land while logins keep arriving.
            generator.scheduleAtFixedRate(() -> {
                for (int k = 0; k < PER_TICK && produced.get() < EVENTS; k++) {
                    producer.send(new ProducerRecord<>(Topics.USER_LOGIN, stream.next(produced.getAndIncrement())),
                            (metadata, error) -> {
                                if (error == null) {
                                    acknowledged.incrementAndGet();
                                } else {
                                    producerError.compareAndSet(null, error);
                                }
                            });
                }
            }, 0, TICK_MS, TimeUnit.MILLISECONDS);

            awaitProduced(produced, EVENTS / 5);
            int leader = cluster.leaderOf(Topics.USER_LOGIN_CLEAN, 0);
            int leaderKilledAt = produced.get();
            cluster.node(leader).kill();
            faults.add(fault(started, "kill -9 node " + leader + " (leader of " + Topics.USER_LOGIN_CLEAN + "-0)",
                    produced));
            awaitProduced(produced, leaderKilledAt + DOWN_FOR);
            CompletableFuture<Void> leaderBack = CompletableFuture.runAsync(() -> cluster.restart(leader));
            faults.add(fault(started, "restart node " + leader, produced));
            leaderBack.get(BOUND.toSeconds(), TimeUnit.SECONDS);
            awaitProduced(produced, EVENTS * 11 / 20);
            int controller = cluster.activeController();
            int controllerKilledAt = produced.get();
            cluster.node(controller).kill();
            faults.add(fault(started, "kill -9 node " + controller + " (active controller)", produced));
            awaitProduced(produced, controllerKilledAt + DOWN_FOR);
            CompletableFuture<Void> controllerBack = CompletableFuture.runAsync(() -> cluster.restart(controller));
            faults.add(fault(started, "restart node " + controller, produced));
            controllerBack.get(BOUND.toSeconds(), TimeUnit.SECONDS);
            awaitProduced(produced, EVENTS);
            producer.flush();
        } finally {
            generator.shutdownNow();
        }
        assertThat(producerError.get()).as("test producer").isNull();
        assertThat(acknowledged.get()).isEqualTo(EVENTS);

        Map<String, Long> truth = stream.cleanByState();
        try {
            await().atMost(BOUND).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                    .untilAsserted(() -> assertThat(PipelineSupport.stateTotals(pipeline)).isEqualTo(truth));
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("the totals did not catch up:\n"
                    + PipelineSupport.offsetsDiagnosis(pipeline,
                            List.of(Topics.USER_LOGIN, Topics.USER_LOGIN_CLEAN, Topics.USER_LOGIN_STATS),
                            List.of("cleaner", "stats"))
                    + PipelineSupport.diagnosis(pipeline), e);
        }
        Duration exactAfter = Duration.between(started, Instant.now());
        cluster.awaitInSync(BOUND);

        Set<String> cleanSources = new HashSet<>();
        PipelineSupport.forEachRecord(pipeline, Topics.USER_LOGIN_CLEAN,
                PipelineSupport.endOffsets(pipeline, Topics.USER_LOGIN_CLEAN),
                record -> cleanSources.add(header(record.headers().lastHeader(Topics.SOURCE_OFFSET))));
        Set<String> deadLetterSources = new HashSet<>();
        PipelineSupport.forEachRecord(pipeline, Topics.USER_LOGIN_DLQ,
                PipelineSupport.endOffsets(pipeline, Topics.USER_LOGIN_DLQ),
                record -> deadLetterSources.add(header(record.headers().lastHeader(Topics.DEAD_LETTER_PARTITION)) + ":"
                        + header(record.headers().lastHeader(Topics.DEAD_LETTER_OFFSET))));
        List<String> windowDifferences = stream.windows().differences(WindowTruth.published(pipeline), 10);
        System.out.printf("Cluster failover run: %d logins at 1,000/s on 3 nodes; %s; exact totals after %d s; %d "
                + "(state, window) figures compared, %d differing%n", EVENTS, String.join("; ", faults),
                exactAfter.toSeconds(), stream.windows().windows(), windowDifferences.size());

        assertThat(cleanSources).as("distinct raw records cleaned").hasSize((int) stream.cleanCount());
        assertThat(deadLetterSources).as("distinct raw records dead-lettered").hasSize((int) stream.deadLetterCount());
        assertThat(cleanSources).as("raw records both cleaned and dead-lettered").doesNotContainAnyElementsOf(
                deadLetterSources);
        assertThat(windowDifferences).as("(state, window) figures that differ from the truth, of %d",
                stream.windows().windows()).isEmpty();
        for (Service service : Service.values()) {
            assertThat(PipelineSupport.status(pipeline, service, "/q/health/ready")).as("%s ready", service)
                    .isEqualTo(200);
        }
    }

    private static void awaitProduced(AtomicInteger produced, int count) {
        await().atMost(BOUND).pollInterval(Duration.ofMillis(50)).until(() -> produced.get() >= Math.min(count, EVENTS));
    }

    private static String fault(Instant started, String what, AtomicInteger produced) {
        return what + " at " + Duration.between(started, Instant.now()).toSeconds() + " s (" + produced.get()
                + " produced)";
    }

    private static String header(Header header) {
        return header == null ? "missing" : new String(header.value(), StandardCharsets.UTF_8);
    }
}
