package dev.loginpulse.e2e;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.loginpulse.events.Topics;
import dev.loginpulse.launcher.PipelineOptions;
import dev.loginpulse.launcher.Service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Raw records that compress to a few KiB but decompress to far more. Up to the raw topic's 8 MiB
 * ({@code max.decompressed.message.bytes}, Kafka 4.2.2+), the broker takes them and the cleaner dead-letters a
 * truncated copy with the original size and its reason, instead of failing on its own dead letter and stopping on that
 * record after every restart. Beyond, 20 MiB and a GiB, the broker refuses them at produce time: no consumer ever has
 * to hold a GiB before any code of ours sees it. Either way the next 10,000 records of the partition are cleaned and
 * the cleaner never restarts. Each case with the producer's lz4 and with zstd.
 */
@SecondLane // giant records produced and refused; the broker and the cleaner do most of the work
class CompressedGiantIT extends PipelineTest {

    /** Over the cleaner's truncation threshold (8 MiB less 256 KiB), under the topic's 8 MiB. */
    private static final int UNDER_THE_LIMIT = Topics.RAW_MAX_MESSAGE_BYTES - 64 * 1024;
    private static final int FOLLOWERS = 10_000;

    private long cleanerPid;

    @Override
    protected PipelineOptions options() {
        return PipelineSupport.options("compressed-giant").services(List.of(Service.CLEANER));
    }

    @ParameterizedTest
    @ValueSource(strings = { "lz4", "zstd" })
    void compressedValueUnderTheRawLimitIsDeadLetteredTruncatedAndTheNextRecordsOfItsPartitionAreCleaned(String codec)
            throws Exception {
        int partition = codec.equals("lz4") ? 0 : 1;
        byte[] head = "{\"user_id\":\"giant\",\"pad\":\"".getBytes(StandardCharsets.UTF_8);
        Offsets before = offsets();

        String outcome = GiantProducer.send(pipeline.bootstrapServers(), Topics.USER_LOGIN, partition, codec,
                UNDER_THE_LIMIT);
        assertThat(outcome).startsWith("ACCEPTED ");
        long giantOffset = Long.parseLong(outcome.substring("ACCEPTED ".length()));
        sendFollowers(partition, codec);

        awaitCleaned(before, 1);
        List<ConsumerRecord<String, byte[]>> deadLetters = new ArrayList<>();
        PipelineSupport.forEachRecord(pipeline, Topics.USER_LOGIN_DLQ,
                PipelineSupport.endOffsets(pipeline, Topics.USER_LOGIN_DLQ), deadLetters::add);
        ConsumerRecord<String, byte[]> letter = deadLetters.stream()
                .filter(record -> String.valueOf(partition).equals(header(record, Topics.DEAD_LETTER_PARTITION))
                        && String.valueOf(giantOffset).equals(header(record, Topics.DEAD_LETTER_OFFSET)))
                .findFirst().orElseThrow(() -> new AssertionError("no dead letter of the giant"));
        assertThat(header(letter, Topics.DEAD_LETTER_REASON)).startsWith("TOO_LARGE: " + UNDER_THE_LIMIT + " bytes");
        assertThat(header(letter, Topics.DEAD_LETTER_ORIGINAL_SIZE)).isEqualTo(String.valueOf(UNDER_THE_LIMIT));
        assertThat(letter.value()).hasSize(1024 * 1024).startsWith(head);
        assertCleanerNeverRestarted();
    }

    @ParameterizedTest
    @CsvSource({ "lz4, 20971520, 2", "zstd, 20971520, 0", "lz4, 1073741824, 1", "zstd, 1073741824, 2" })
    void recordThatDecompressesBeyondTheRawLimitIsRefusedByTheBrokerAndTheNextRecordsOfItsPartitionAreCleaned(
            String codec, int size, int partition) throws Exception {
        Offsets before = offsets();

        String outcome = GiantProducer.send(pipeline.bootstrapServers(), Topics.USER_LOGIN, partition, codec, size);

        assertThat(outcome).as("the producer's answer").startsWith("REFUSED ")
                .contains("InvalidRecordException");
        sendFollowers(partition, codec);
        awaitCleaned(before, 0);
        assertCleanerNeverRestarted();
    }

    private void sendFollowers(int partition, String codec) throws Exception {
        Map<String, Object> config = new HashMap<>(pipeline.broker().clientConfig());
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, pipeline.bootstrapServers());
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, codec);
        long now = Instant.now().getEpochSecond();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (int i = 0; i < FOLLOWERS; i++) {
                String json = "{\"user_id\":\"follower-" + i + "\",\"locale\":\"VT\",\"timestamp\":" + now + "}";
                producer.send(new ProducerRecord<>(Topics.USER_LOGIN, partition, null,
                        json.getBytes(StandardCharsets.UTF_8)));
            }
            producer.flush();
        }
    }

    private record Offsets(long clean, long deadLettered) {
    }

    private Offsets offsets() throws Exception {
        if (cleanerPid == 0) {
            cleanerPid = pipeline.process(Service.CLEANER).pid();
        }
        return new Offsets(PipelineSupport.endOffsets(pipeline, Topics.USER_LOGIN_CLEAN),
                PipelineSupport.endOffsets(pipeline, Topics.USER_LOGIN_DLQ));
    }

    private void awaitCleaned(Offsets before, long deadLetters) throws Exception {
        await().atMost(PipelineSupport.PROCESSING_TIMEOUT).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            assertThat(PipelineSupport.endOffsets(pipeline, Topics.USER_LOGIN_CLEAN) - before.clean())
                    .as("the records after the giant, cleaned").isEqualTo(FOLLOWERS);
            assertThat(PipelineSupport.endOffsets(pipeline, Topics.USER_LOGIN_DLQ) - before.deadLettered())
                    .as("dead letters").isEqualTo(deadLetters);
        });
    }

    private void assertCleanerNeverRestarted() throws Exception {
        assertThat(pipeline.process(Service.CLEANER).pid()).as("cleaner not restarted").isEqualTo(cleanerPid);
        assertThat(PipelineSupport.status(pipeline, Service.CLEANER, "/q/health/live")).isEqualTo(200);
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
