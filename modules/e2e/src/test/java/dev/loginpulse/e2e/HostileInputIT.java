package dev.loginpulse.e2e;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.loginpulse.events.CleanLogin;
import dev.loginpulse.events.JsonSerde;
import dev.loginpulse.events.RejectReason;
import dev.loginpulse.events.Topics;
import dev.loginpulse.launcher.PipelineOptions;
import dev.loginpulse.launcher.Service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A seeded hostile corpus through the real broker and the running services: every raw record ends up clean or
 * dead-lettered with a reason, the dashboard's totals and the dead letters per reason are exactly what the contract
 * predicts ({@link HostileOracle}, a second implementation of the cleaning rules, not the cleaner's own code), and no
 * service restarts, logs an error or stops being ready.
 */
@SecondLane // short; it evens out the lanes
class HostileInputIT extends PipelineTest {

    static final int CORPUS_SIZE = 10_003;
    static final long SEED = 20261121L;

    private final Map<Service, Long> pids = new EnumMap<>(Service.class);

    @Override
    protected PipelineOptions options() {
        return PipelineSupport.options("hostile");
    }

    @BeforeAll
    void recordProcessIds() {
        for (Service service : PipelineSupport.STREAMING) {
            pids.put(service, pipeline.process(service).pid());
        }
    }

    @Test
    void hostileCorpusIsCleanedOrDeadLetteredWithReasonsAndNothingIsLostOrCrashes() throws Exception {
        List<byte[]> corpus = new HostileCorpus(SEED).generate(CORPUS_SIZE);
        // the expectations come from the contract's second implementation, not from the cleaner under test
        HostileOracle oracle = new HostileOracle(Instant.now());
        Map<String, Long> expectedTotals = new HashMap<>();
        Map<RejectReason, Long> expectedReasons = new EnumMap<>(RejectReason.class);
        for (byte[] value : corpus) {
            HostileOracle.Outcome outcome = oracle.outcome(value);
            if (outcome.isClean()) {
                expectedTotals.merge(outcome.locale(), 1L, Long::sum);
            } else {
                expectedReasons.merge(RejectReason.valueOf(outcome.reason()), 1L, Long::sum);
            }
        }
        long expectedClean = expectedTotals.values().stream().mapToLong(Long::longValue).sum();
        long expectedDeadLetters = expectedReasons.values().stream().mapToLong(Long::longValue).sum();
        assertThat(expectedClean + expectedDeadLetters).isEqualTo(CORPUS_SIZE);
        assertThat(expectedReasons).containsKeys(RejectReason.TOO_LARGE, RejectReason.NOT_JSON,
                RejectReason.NOT_AN_OBJECT, RejectReason.DUPLICATE_FIELD, RejectReason.INVALID_FIELD_TYPE,
                RejectReason.MISSING_USER_ID, RejectReason.INVALID_TIMESTAMP, RejectReason.TIMESTAMP_OUT_OF_RANGE,
                RejectReason.TRAILING_CONTENT, RejectReason.FIELD_TOO_LONG, RejectReason.MISSING_TIMESTAMP);

        try (KafkaProducer<byte[], byte[]> producer = PipelineSupport.producer(pipeline)) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (byte[] value : corpus) {
                sent.add(producer.send(new ProducerRecord<>(Topics.USER_LOGIN, value)));
            }
            for (Future<RecordMetadata> ack : sent) {
                ack.get(60, TimeUnit.SECONDS);
            }
        }
        assertThat(PipelineSupport.endOffsets(pipeline, Topics.USER_LOGIN)).isEqualTo(CORPUS_SIZE);

        await().atMost(PipelineSupport.PROCESSING_TIMEOUT).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            assertThat(PipelineSupport.endOffsets(pipeline, Topics.USER_LOGIN_CLEAN)).as("clean")
                    .isEqualTo(expectedClean);
            assertThat(PipelineSupport.endOffsets(pipeline, Topics.USER_LOGIN_DLQ)).as("dead-lettered")
                    .isEqualTo(expectedDeadLetters);
        });

        Map<RejectReason, Long> reasons = new EnumMap<>(RejectReason.class);
        List<ConsumerRecord<String, byte[]>> deadLetters = PipelineSupport.readAll(pipeline, Topics.USER_LOGIN_DLQ,
                expectedDeadLetters);
        for (ConsumerRecord<String, byte[]> record : deadLetters) {
            Header reason = record.headers().lastHeader(Topics.DEAD_LETTER_REASON);
            assertThat(reason).as("reason header at offset %d", record.offset()).isNotNull();
            String text = new String(reason.value(), StandardCharsets.UTF_8);
            assertThat(text).matches("[A-Z_]+: .+");
            reasons.merge(RejectReason.valueOf(text.substring(0, text.indexOf(':'))), 1L, Long::sum);
        }
        assertThat(reasons).isEqualTo(expectedReasons);
        assertThat(deadLetters).anySatisfy(record -> assertThat(record.value()).hasSizeGreaterThan(5_000_000));

        await().atMost(PipelineSupport.PROCESSING_TIMEOUT).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertThat(PipelineSupport.stateTotals(pipeline)).isEqualTo(expectedTotals));

        // Hostile records on user-login-clean itself, not from the cleaner: a forged source offset (it would make
        // every later record of raw partition 0 look like a re-delivery) and a garbage one. Stats drops both, and the
        // dashboard shows them, by reason; the totals do not move.
        try (KafkaProducer<String, CleanLogin> producer = PipelineSupport.client(pipeline)
                .producer(new StringSerializer(), JsonSerde.cleanLogin())) {
            for (String forged : List.of("0:9223372036854775807", "garbage")) {
                CleanLogin login = new CleanLogin(Instant.now().toString(), "VT", "web", "mallory", "1.0", "10.6.6.6",
                        "d-mallory");
                ProducerRecord<String, CleanLogin> record = new ProducerRecord<>(Topics.USER_LOGIN_CLEAN, "VT", login);
                record.headers().add(Topics.SOURCE_OFFSET, forged.getBytes(StandardCharsets.US_ASCII));
                producer.send(record).get(30, TimeUnit.SECONDS);
            }
        }
        await().atMost(PipelineSupport.PROCESSING_TIMEOUT).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            JsonNode stats = PipelineSupport.stats(pipeline);
            assertThat(stats.get("dropped_records").asLong()).as("dropped_records").isEqualTo(2);
            assertThat(stats.get("dropped_by_reason").get("impossible-source-offset").asLong()).isEqualTo(1);
            assertThat(stats.get("dropped_by_reason").get("malformed-source-offset").asLong()).isEqualTo(1);
        });
        assertThat(PipelineSupport.get(pipeline.url(Service.DASHBOARD).resolve("/")).body())
                .contains("id=\"dropped-records\" class=\"value\">2<");
        assertThat(PipelineSupport.stateTotals(pipeline)).isEqualTo(expectedTotals);

        for (Service service : PipelineSupport.STREAMING) {
            assertThat(pipeline.process(service).isAlive()).as("%s alive", service).isTrue();
            assertThat(pipeline.process(service).pid()).as("%s not restarted", service).isEqualTo(pids.get(service));
            assertThat(PipelineSupport.status(pipeline, service, "/q/health/ready")).as("%s ready", service)
                    .isEqualTo(200);
            assertThat(Files.readAllLines(pipeline.log(service))).as("%s log", service)
                    .noneMatch(line -> line.contains(" ERROR ") || line.contains("Exception"));
        }
    }
}
