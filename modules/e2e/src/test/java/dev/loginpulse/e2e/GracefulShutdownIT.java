package dev.loginpulse.e2e;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import dev.loginpulse.events.Topics;
import dev.loginpulse.launcher.PipelineOptions;
import dev.loginpulse.launcher.Service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * SIGTERM is a clean stop: each service finishes its in-flight work and commits, so after a restart it resumes exactly
 * where it stopped — no raw record is cleaned twice, and the totals stay exact.
 */
class GracefulShutdownIT extends PipelineTest {

    private static final int BATCH = 20_000;

    @Override
    protected PipelineOptions options() {
        return PipelineSupport.options("graceful");
    }

    @Test
    void sigtermStopsEveryServiceCleanlyAndARestartResumesWithoutRedelivery() throws Exception {
        LoginStream stream = new LoginStream(7);
        produce(stream, 0, BATCH);
        awaitProcessed(BATCH);

        for (Service service : List.of(Service.CLEANER, Service.STATS, Service.DASHBOARD, Service.GENERATOR)) {
            assertThat(pipeline.stopService(service)).as("%s stopped by itself on SIGTERM", service).isTrue();
        }
        produce(stream, BATCH, 2 * BATCH);
        for (Service service : PipelineSupport.STREAMING) {
            pipeline.startService(service);
        }
        pipeline.awaitReady(Duration.ofSeconds(120));

        awaitProcessed(2 * BATCH);
        await().atMost(PipelineSupport.PROCESSING_TIMEOUT).pollInterval(Duration.ofMillis(500)).untilAsserted(
                () -> assertThat(PipelineSupport.stateTotals(pipeline)).isEqualTo(stream.cleanByState()));

        long cleanRecords = PipelineSupport.endOffsets(pipeline, Topics.USER_LOGIN_CLEAN);
        Set<String> sources = new HashSet<>();
        PipelineSupport.forEachRecord(pipeline, Topics.USER_LOGIN_CLEAN, cleanRecords, record -> sources.add(
                new String(record.headers().lastHeader(Topics.SOURCE_OFFSET).value(), StandardCharsets.US_ASCII)));
        assertThat(sources).as("distinct raw records cleaned").hasSize((int) stream.cleanCount());
        assertThat(cleanRecords).as("clean records: none written twice").isEqualTo(stream.cleanCount());
        assertThat(PipelineSupport.endOffsets(pipeline, Topics.USER_LOGIN_DLQ)).isEqualTo(stream.deadLetterCount());
    }

    private void awaitProcessed(long raw) {
        await().atMost(PipelineSupport.PROCESSING_TIMEOUT).pollInterval(Duration.ofMillis(250)).until(
                () -> PipelineSupport.endOffsets(pipeline, Topics.USER_LOGIN_CLEAN)
                        + PipelineSupport.endOffsets(pipeline, Topics.USER_LOGIN_DLQ) >= raw);
    }

    private void produce(LoginStream stream, int from, int to) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = PipelineSupport.producer(pipeline)) {
            for (int i = from; i < to; i++) {
                producer.send(new ProducerRecord<>(Topics.USER_LOGIN, stream.next(i)));
            }
            producer.flush();
        }
        assertThat(PipelineSupport.endOffsets(pipeline, Topics.USER_LOGIN)).isEqualTo(to);
    }
}
