package dev.loginpulse.e2e;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.loginpulse.events.Topics;
import dev.loginpulse.launcher.PipelineOptions;
import dev.loginpulse.launcher.Service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A value far over the cleaner's limit and the dead-letter topic's that compresses to a few KiB: the broker takes the
 * compressed batch, the cleaner dead-letters a truncated copy with the original size and its reason instead of failing
 * on its own dead letter and stopping on that record after every restart, and the next 10,000 records of the same
 * partition are cleaned. Once with the producer's lz4, once with zstd.
 */
class CompressedGiantIT extends PipelineTest {

    private static final int GIANT = 20 * 1024 * 1024;
    private static final int FOLLOWERS = 10_000;

    private long cleanerPid;

    @Override
    protected PipelineOptions options() {
        return PipelineSupport.options("compressed-giant").services(List.of(Service.CLEANER));
    }

    @ParameterizedTest
    @ValueSource(strings = { "lz4", "zstd" })
    void compressedTwentyMibValueIsDeadLetteredTruncatedAndTheNextRecordsOfItsPartitionAreCleaned(String codec)
            throws Exception {
        if (cleanerPid == 0) {
            cleanerPid = pipeline.process(Service.CLEANER).pid();
        }
        int partition = codec.equals("lz4") ? 0 : 1;
        String marker = codec + "-" + Instant.now().toEpochMilli();
        byte[] giant = new byte[GIANT];
        Arrays.fill(giant, (byte) ' ');
        byte[] head = ("{\"user_id\":\"" + marker + "-giant\",\"pad\":\"").getBytes(StandardCharsets.UTF_8);
        System.arraycopy(head, 0, giant, 0, head.length);
        giant[GIANT - 2] = '"';
        giant[GIANT - 1] = '}';
        long cleanBefore = PipelineSupport.endOffsets(pipeline, Topics.USER_LOGIN_CLEAN);
        long deadBefore = PipelineSupport.endOffsets(pipeline, Topics.USER_LOGIN_DLQ);

        Map<String, Object> config = new HashMap<>(pipeline.broker().clientConfig());
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, pipeline.bootstrapServers());
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, codec);
        // the producer checks the uncompressed size; the broker the compressed batch (8 MiB for user-login)
        config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 64 * 1024 * 1024);
        config.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 128L * 1024 * 1024);
        long now = Instant.now().getEpochSecond();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.USER_LOGIN, partition, null, giant)).get(60, TimeUnit.SECONDS);
            for (int i = 0; i < FOLLOWERS; i++) {
                String json = "{\"user_id\":\"" + marker + "-" + i + "\",\"locale\":\"VT\",\"timestamp\":" + now + "}";
                producer.send(new ProducerRecord<>(Topics.USER_LOGIN, partition, null,
                        json.getBytes(StandardCharsets.UTF_8)));
            }
            producer.flush();
        }

        await().atMost(PipelineSupport.PROCESSING_TIMEOUT).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            assertThat(PipelineSupport.endOffsets(pipeline, Topics.USER_LOGIN_CLEAN) - cleanBefore)
                    .as("the records after the giant, cleaned").isEqualTo(FOLLOWERS);
            assertThat(PipelineSupport.endOffsets(pipeline, Topics.USER_LOGIN_DLQ) - deadBefore)
                    .as("the giant, dead-lettered").isEqualTo(1);
        });
        List<ConsumerRecord<String, byte[]>> deadLetters = new ArrayList<>();
        PipelineSupport.forEachRecord(pipeline, Topics.USER_LOGIN_DLQ,
                PipelineSupport.endOffsets(pipeline, Topics.USER_LOGIN_DLQ), deadLetters::add);
        // this run's giant, by its marker: the topic has other partitions, read in partition order, and earlier letters
        ConsumerRecord<String, byte[]> letter = deadLetters.stream()
                .filter(record -> startsWith(record.value(), head)).reduce((first, second) -> second)
                .orElseThrow(() -> new AssertionError("no dead letter starts with " + marker));
        assertThat(header(letter, Topics.DEAD_LETTER_REASON)).startsWith("TOO_LARGE: " + GIANT + " bytes");
        assertThat(header(letter, Topics.DEAD_LETTER_ORIGINAL_SIZE)).isEqualTo(String.valueOf(GIANT));
        assertThat(header(letter, Topics.DEAD_LETTER_PARTITION)).isEqualTo(String.valueOf(partition));
        assertThat(letter.value()).hasSize(1024 * 1024).startsWith(head);

        assertThat(pipeline.process(Service.CLEANER).pid()).as("cleaner not restarted").isEqualTo(cleanerPid);
        assertThat(PipelineSupport.status(pipeline, Service.CLEANER, "/q/health/live")).isEqualTo(200);
    }

    private static boolean startsWith(byte[] value, byte[] prefix) {
        return value != null && value.length >= prefix.length
                && Arrays.equals(value, 0, prefix.length, prefix, 0, prefix.length);
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
