package dev.loginpulse.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

import dev.loginpulse.events.Topics;
import dev.loginpulse.launcher.DeadLetterReplay;
import dev.loginpulse.launcher.PipelineOptions;
import dev.loginpulse.launcher.Service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code ./run.sh replay-dlq} after a rule is fixed. The cleaner first runs with a size limit of 200 bytes, so that
 * valid logins of 300-odd bytes are dead-lettered {@code TOO_LARGE} beside real garbage ({@code NOT_JSON}); then it is
 * restarted with the default limit and the script re-feeds the {@code TOO_LARGE} dead letters. Every one is counted
 * once, the garbage stays dead-lettered, a second run replays nothing, a run that died inside its transaction leaves
 * nothing behind, and the selection by reason and time is what the options say. The expected figures are the test's own count
 * of the logins it made.
 */
class DeadLetterReplayIT extends PipelineTest {

    private static final int EACH = 600;
    private static final String[] STATES = { "CA", "TX", "NY", "VT", "WY" };
    private static final String SMALL_LIMIT = "PULSE_CLEANER_MAX_RECORD_BYTES";

    private final Path home = Path.of(System.getProperty("pulse.home", "../..")).toAbsolutePath().normalize();

    private final PipelineOptions options = PipelineSupport.options("replay").services(PipelineSupport.FED_BY_TEST)
            .env(Service.CLEANER, SMALL_LIMIT, "200");

    @Override
    protected PipelineOptions options() {
        return options;
    }

    @Test
    void tooLargeDeadLettersAreReplayedOnceAfterTheLimitIsRaisedAndGarbageStaysDeadLettered() throws Exception {
        Instant beforeDeadLetters = Instant.now();
        Map<String, Long> small = new HashMap<>();
        Map<String, Long> all = new HashMap<>();
        long now = Instant.now().getEpochSecond();
        try (KafkaProducer<byte[], byte[]> producer = PipelineSupport.producer(pipeline)) {
            for (int i = 0; i < EACH; i++) {
                String state = STATES[i % STATES.length];
                String login = "{\"user_id\":\"u" + i + "\",\"locale\":\"" + state + "\",\"timestamp\":" + now + "}";
                String large = "{\"user_id\":\"v" + i + "\",\"locale\":\"" + state + "\",\"device_id\":\""
                        + "d".repeat(300) + "\",\"timestamp\":" + now + "}";
                assertThat(login.length()).isLessThan(200);
                assertThat(large.length()).isGreaterThan(200);
                small.merge(state, 1L, Long::sum);
                all.merge(state, 2L, Long::sum);
                producer.send(new ProducerRecord<>(Topics.USER_LOGIN, utf8(login)));
                producer.send(new ProducerRecord<>(Topics.USER_LOGIN, utf8(large)));
                producer.send(new ProducerRecord<>(Topics.USER_LOGIN, utf8("garbage-" + i)));
            }
            producer.flush();
        }
        await().atMost(PipelineSupport.PROCESSING_TIMEOUT).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .untilAsserted(() -> {
                    assertThat(PipelineSupport.endOffsets(pipeline, Topics.USER_LOGIN_DLQ)).isEqualTo(2L * EACH);
                    assertThat(PipelineSupport.stateTotals(pipeline)).isEqualTo(small);
                });

        // The selection, without writing: by reason, and by when the records were dead-lettered.
        assertThat(replay("--dry-run", "--reason", "TOO_LARGE")).contains("Dry run: scanned " + 2 * EACH,
                "selected " + EACH + " {TOO_LARGE=" + EACH + "}: would replay " + EACH);
        assertThat(replay("--dry-run", "--to", beforeDeadLetters.minusSeconds(3_600).toString()))
                .contains("selected 0 {}");
        assertThat(replay("--dry-run", "--from", beforeDeadLetters.toString())).contains(
                "selected " + 2 * EACH + " {NOT_JSON=" + EACH + ", TOO_LARGE=" + EACH + "}");
        assertThat(PipelineSupport.endOffsets(pipeline, Topics.USER_LOGIN)).as("a dry run writes nothing")
                .isEqualTo(3L * EACH);

        // The rule is fixed: the cleaner runs with the default limit again; the TOO_LARGE dead letters are re-fed.
        options.unsetEnv(Service.CLEANER, SMALL_LIMIT);
        pipeline.stopService(Service.CLEANER);
        pipeline.startService(Service.CLEANER);
        // An earlier replay that died inside a transaction: its re-fed login is written but never committed.
        Map<String, Object> crashedConfig = new HashMap<>(pipeline.broker().clientConfig());
        crashedConfig.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, pipeline.bootstrapServers());
        crashedConfig.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, DeadLetterReplay.TRANSACTIONAL_ID);
        try (KafkaProducer<byte[], byte[]> crashed = new KafkaProducer<>(crashedConfig, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            crashed.initTransactions();
            crashed.beginTransaction();
            crashed.send(new ProducerRecord<>(Topics.USER_LOGIN, utf8("{\"user_id\":\"crashed\",\"locale\":\"HI\","
                    + "\"timestamp\":" + now + "}"))).get(30, TimeUnit.SECONDS);

            // The next run fences it (its transaction is aborted, and the cleaner, reading committed records only,
            // never counts that login), then replays.
            assertThat(replay("--reason", "too_large", "--from", beforeDeadLetters.toString()))
                    .contains("selected " + EACH + " {TOO_LARGE=" + EACH + "}: replayed " + EACH);
        }
        await().atMost(PipelineSupport.PROCESSING_TIMEOUT).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .untilAsserted(() -> assertThat(PipelineSupport.stateTotals(pipeline)).isEqualTo(all));

        // Exactly once: a second run finds every one already replayed.
        assertThat(replay("--reason", "TOO_LARGE")).contains("replayed 0, already replayed before " + EACH);

        // read committed: the crashed run's login is not among them
        List<ConsumerRecord<String, byte[]>> raw = PipelineSupport.readAll(pipeline, Topics.USER_LOGIN, 4L * EACH);
        List<String> replayedFrom = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : raw) {
            Header header = record.headers().lastHeader(Topics.REPLAYED_FROM);
            if (header != null) {
                replayedFrom.add(new String(header.value(), StandardCharsets.UTF_8));
                assertThat(record.headers().lastHeader(Topics.DEAD_LETTER_REASON)).isNull();
            }
        }
        assertThat(raw).hasSize(4 * EACH);
        assertThat(replayedFrom).hasSize(EACH).doesNotHaveDuplicates();
        assertThat(PipelineSupport.endOffsets(pipeline, Topics.USER_LOGIN_DLQ)).as("no new dead letter")
                .isEqualTo(2L * EACH);
        assertThat(PipelineSupport.stateTotals(pipeline)).isEqualTo(all);
    }

    /** Runs {@code ./run.sh replay-dlq --kafka <this pipeline's broker> args...}; returns its output. */
    private String replay(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("./run.sh", "replay-dlq", "--kafka",
                pipeline.bootstrapServers()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("KAFKA_"));
        Process process = builder.start();
        byte[] output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
        String text = new String(output, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as("exit status of %s:%n%s", command, text).isZero();
        return text;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
