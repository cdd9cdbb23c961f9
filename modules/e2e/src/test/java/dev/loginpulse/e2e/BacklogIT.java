package dev.loginpulse.e2e;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

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
 * A backlog, as after an outage or a deploy: logins are written to {@code user-login} while the pipeline is stopped
 * (3 partitions, each in event-time order within ±3 s, about 1,000 logins per second of event time), then the cleaner
 * and stats start and catch up. Every (state, window) figure on {@code user-login-stats}, logins and distinct users,
 * must equal what this test counts itself from the logins it wrote (not with the project's aggregation code), and no
 * login may be late. Once straight, once with the cleaner SIGKILLed half-way through the backlog.
 */
@SecondLane // two catch-ups of a 102,000-login backlog, one with a kill
class BacklogIT {

    private static final int LOGINS = 102_000;
    private static final int PARTITIONS = 3;
    private static final String[] STATES = { "CA", "TX", "FL", "NY", "PA", "IL", "OH", "GA", "VT", "WY" };
    private static final Duration CATCH_UP = Duration.ofMinutes(4);

    private Pipeline pipeline;

    /** One clean login as this test expects it: state, event second (epoch), user. */
    private record Expected(String state, long second, String user) {
    }

    @AfterEach
    void stopPipeline() {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    @Test
    void backlogOfThreePartitionsAtAThousandLoginsPerEventSecondGivesExactWindows() throws Exception {
        runBacklog(false);
    }

    @Test
    void backlogStaysExactWhenTheCleanerIsKilledHalfWay() throws Exception {
        runBacklog(true);
    }

    private void runBacklog(boolean killCleaner) throws Exception {
        // only the broker: the pipeline is "stopped" while the backlog builds up
        pipeline = Pipeline.start(PipelineSupport.options(killCleaner ? "backlog-kill" : "backlog")
                .services(List.of())
                // smaller polls: the cleaner takes several seconds for the backlog, so a kill lands half-way
                .env(Service.CLEANER, "MP_MESSAGING_INCOMING_USER_LOGIN_MAX_POLL_RECORDS", "500"));
        List<Expected> expected = preload(killCleaner ? 11 : 7);

        pipeline.startService(Service.CLEANER);
        pipeline.startService(Service.STATS);
        if (killCleaner) {
            long half = expected.size() / 2;
            await().atMost(CATCH_UP).pollInterval(Duration.ofMillis(20)).ignoreExceptions()
                    .until(() -> PipelineSupport.endOffsets(pipeline, Topics.USER_LOGIN_CLEAN) >= half);
            long cleanAtKill = PipelineSupport.endOffsets(pipeline, Topics.USER_LOGIN_CLEAN);
            pipeline.killService(Service.CLEANER);
            System.out.printf("BacklogIT: cleaner killed with %,d of %,d clean records written%n", cleanAtKill,
                    expected.size());
            assertThat(cleanAtKill).as("the kill landed inside the backlog").isLessThan(expected.size());
            pipeline.startService(Service.CLEANER);
        }

        WindowTruth truth = new WindowTruth();
        expected.forEach(login -> truth.add(login.state(), login.second(), login.user()));
        Map<String, Map<Long, StateStats>> published = new HashMap<>();
        await().atMost(CATCH_UP).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            published.clear();
            published.putAll(WindowTruth.published(pipeline));
            assertThat(WindowTruth.publishedTotals(published)).isEqualTo(truth.totals());
        });

        List<String> differences = truth.differences(published, 10);
        System.out.printf("BacklogIT: %,d (window, state) figures compared, %s%n", truth.windows(),
                differences.isEmpty() ? "all exact" : "some differ: " + differences);
        assertThat(differences).as("(state, window) figures that differ from the truth, of %d", truth.windows())
                .isEmpty();
        assertThat(truth.windows()).isGreaterThan(STATES.length * 15);
    }

    /**
     * Writes the backlog: per partition in event-time order within ±3 s, about 1,000 logins per event-second in all,
     * ending ten minutes ago; 1 % of records dirty (dead-lettered, not expected anywhere), a tenth of the timestamps as
     * fractional seconds. Returns the clean logins expected.
     */
    private List<Expected> preload(long seed) throws Exception {
        Random random = new Random(seed);
        long spanMillis = LOGINS; // 1,000 per second in all
        long start = (Instant.now().minus(Duration.ofMinutes(10)).toEpochMilli() - spanMillis) / 1000 * 1000;
        List<Expected> expected = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = PipelineSupport.producer(pipeline)) {
            int perPartition = LOGINS / PARTITIONS;
            for (int partition = 0; partition < PARTITIONS; partition++) {
                for (int i = 0; i < perPartition; i++) {
                    long millis = start + (long) i * PARTITIONS + random.nextInt(6_001) - 3_000;
                    millis = Math.max(millis, start);
                    long second = millis / 1000;
                    String state = STATES[random.nextInt(STATES.length)];
                    String user = "u" + random.nextInt(3_000);
                    String json;
                    if (random.nextInt(100) == 0) {
                        json = "{\"locale\":\"" + state + "\",\"timestamp\":" + second + "}"; // no user: dead letter
                    } else {
                        String timestamp = random.nextInt(10) == 0
                                ? String.format(Locale.ROOT, "%d.%03d", second, millis % 1000)
                                : Long.toString(second);
                        json = "{\"user_id\":\"" + user + "\",\"app_version\":\"1.0\",\"device_type\":\"web\","
                                + "\"ip\":\"10.1.0." + random.nextInt(200) + "\",\"locale\":\"" + state
                                + "\",\"device_id\":\"d" + random.nextInt(5_000) + "\",\"timestamp\":" + timestamp + "}";
                        expected.add(new Expected(state, second, user));
                    }
                    producer.send(
                            new ProducerRecord<>(Topics.USER_LOGIN, partition, null, json.getBytes(StandardCharsets.UTF_8)));
                }
            }
            producer.flush();
        }
        return expected;
    }
}
