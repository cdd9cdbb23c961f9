package dev.loginpulse.e2e;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.loginpulse.events.StateStats;
import dev.loginpulse.events.Topics;
import dev.loginpulse.launcher.Pipeline;
import dev.loginpulse.launcher.Service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * State from another run is never mixed in: a first pipeline counts logins into a stats state directory, stats is
 * SIGKILLed, everything stops; a second pipeline on a fresh broker (a new cluster, as a second {@code ./run.sh} without
 * a data directory, or a PersistentVolume that outlived its Kafka) with the same state directory counts other logins.
 * Its totals and windows must be exactly the second run's, and stats must say why it wiped the state.
 */
@SecondLane // two pipelines, one after the other, and a SIGKILL
class ReusedStateIT {

    private static final List<String> STATES = List.of("CA", "TX", "NY", "VT", "RI");

    private final Path stateDir = Path.of(System.getProperty("pulse.home", "../..")).toAbsolutePath().normalize()
            .resolve("modules/e2e/target/reused-state-" + UUID.randomUUID());
    private Pipeline pipeline;

    @AfterEach
    void stopPipeline() {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    @Test
    void secondRunOnAFreshBrokerWithTheSameStateDirectoryCountsOnlyItsOwnLogins() throws Exception {
        WindowTruth first = run("reused-state-1", 4_000, 1);
        pipeline.killService(Service.STATS);
        pipeline.close();
        pipeline = null;

        WindowTruth second = run("reused-state-2", 3_000, 2);

        Map<String, Map<Long, StateStats>> published = WindowTruth.published(pipeline);
        assertThat(second.differences(published, 10)).as("windows of the second run").isEmpty();
        assertThat(first.totals()).isNotEqualTo(second.totals());
        assertThat(Files.readString(pipeline.log(Service.STATS))).contains("wiping it");
    }

    /** Starts a pipeline on a fresh broker with the shared state directory, feeds it, waits for exact totals. */
    private WindowTruth run(String name, int logins, long seed) throws Exception {
        pipeline = Pipeline.start(PipelineSupport.options(name)
                .services(List.of(Service.CLEANER, Service.STATS, Service.DASHBOARD))
                .env("PULSE_STATS_STATE_DIR", stateDir.toString()));
        WindowTruth truth = new WindowTruth();
        long start = Instant.now().getEpochSecond() - 120;
        Random random = new Random(seed);
        try (KafkaProducer<byte[], byte[]> producer = PipelineSupport.producer(pipeline)) {
            for (int i = 0; i < logins; i++) {
                String state = STATES.get(random.nextInt(STATES.size()));
                String user = "u" + random.nextInt(500);
                long second = start + i / 50;
                String json = "{\"user_id\":\"" + user + "\",\"locale\":\"" + state + "\",\"timestamp\":" + second + "}";
                producer.send(new ProducerRecord<>(Topics.USER_LOGIN, json.getBytes(StandardCharsets.UTF_8)));
                truth.add(state, second, user);
            }
            producer.flush();
        }
        await().atMost(PipelineSupport.PROCESSING_TIMEOUT).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .untilAsserted(() -> assertThat(PipelineSupport.stateTotals(pipeline)).isEqualTo(truth.totals()));
        return truth;
    }
}
