package dev.loginpulse.cleaner.messaging;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import dev.loginpulse.events.CleanLogin;
import dev.loginpulse.events.JsonSerde;
import dev.loginpulse.events.LoginCleaner;
import dev.loginpulse.events.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cleaner's batch logic against Kafka's own {@link MockProducer}s: where each record goes, with which key and
 * headers, and when a batch may be committed. The packaged cleaner on a real broker is {@code CleanerIT}.
 */
class BatchCleanerTest {

    private static final String CLEAN = """
            {"user_id":"u1","app_version":"2.3.0","device_type":" Android Tablet ","ip":"10.0.0.1",
             "locale":" ri ","device_id":"d1","timestamp":"1694479551","extra":{"x":1}}""";

    private final MockProducer<String, CleanLogin> clean = producer(false, new StringSerializer(),
            JsonSerde.cleanLogin().serializer());
    private final MockProducer<byte[], byte[]> deadLetters = producer(false, new ByteArraySerializer(),
            new ByteArraySerializer());
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final BatchCleaner cleaner = new BatchCleaner(loginCleaner(), clean, deadLetters, registry);

    @Test
    void cleanRecordIsNormalisedKeyedByLocaleAndTaggedWithItsRawPartitionAndOffset() {
        CompletableFuture<Void> done = cleaner.clean(List.of(raw(2, 7, "k", CLEAN)));

        assertThat(clean.history()).hasSize(1);
        ProducerRecord<String, CleanLogin> out = clean.history().get(0);
        assertThat(out.topic()).isEqualTo(Topics.USER_LOGIN_CLEAN);
        assertThat(out.key()).isEqualTo("RI");
        assertThat(out.value()).isEqualTo(new CleanLogin("2023-09-12T00:45:51Z", "RI", "androidtablet", "u1",
                "2.3.0", "10.0.0.1", "d1"));
        assertThat(header(out, Topics.SOURCE_OFFSET)).isEqualTo("2:7");
        assertThat(header(out, Topics.SCHEMA)).isEqualTo("user-login-clean/1");
        assertThat(deadLetters.history()).isEmpty();
        assertThat(done).as("written but not yet acknowledged").isNotDone();

        clean.completeNext();
        assertThat(done).isCompleted();
        assertThat(registry.get("pulse.cleaner.cleaned").counter().count()).isEqualTo(1);
    }

    @Test
    void valueTooLargeForTheDeadLetterTopicIsDeadLetteredAsATruncatedCopyWithItsSizeAndTheBatchCompletes() {
        // a compressed raw batch can carry a value far over the dead-letter topic's 8 MiB
        byte[] giant = new byte[20 * 1024 * 1024];
        Arrays.fill(giant, (byte) 'a');
        ConsumerRecord<byte[], byte[]> raw = new ConsumerRecord<>(Topics.USER_LOGIN, 0, 5, null, giant);

        CompletableFuture<Void> done = cleaner.clean(List.of(raw, raw(0, 6, "k", CLEAN)));

        assertThat(deadLetters.history()).singleElement().satisfies(letter -> {
            assertThat(letter.value()).hasSize(BatchCleaner.TRUNCATED_DEAD_LETTER);
            assertThat(header(letter, Topics.DEAD_LETTER_ORIGINAL_SIZE)).isEqualTo("20971520");
            assertThat(header(letter, Topics.DEAD_LETTER_REASON)).startsWith("TOO_LARGE: 20971520 bytes");
            assertThat(header(letter, Topics.DEAD_LETTER_OFFSET)).isEqualTo("5");
        });
        deadLetters.completeNext();
        clean.completeNext();
        assertThat(done).isCompleted();
    }

    @Test
    void largeValueWithinTheDeadLetterTopicsLimitIsDeadLetteredWhole() {
        byte[] large = new byte[5 * 1024 * 1024];
        Arrays.fill(large, (byte) 'b');

        cleaner.clean(List.of(new ConsumerRecord<>(Topics.USER_LOGIN, 0, 1, null, large)));

        assertThat(deadLetters.history()).singleElement().satisfies(letter -> {
            assertThat(letter.value()).isEqualTo(large);
            assertThat(letter.headers().lastHeader(Topics.DEAD_LETTER_ORIGINAL_SIZE)).isNull();
        });
    }

    @Test
    void uncleanableRecordIsDeadLetteredByteForByteWithItsReasonSourceAndOriginalHeaders() {
        byte[] key = "no-user".getBytes(StandardCharsets.UTF_8);
        byte[] value = "{\"timestamp\":1694479551}".getBytes(StandardCharsets.UTF_8);
        ConsumerRecord<byte[], byte[]> raw = new ConsumerRecord<>(Topics.USER_LOGIN, 1, 42, 0L,
                TimestampType.CREATE_TIME, key.length, value.length, key, value,
                new RecordHeaders().add("trace", "t-1".getBytes(StandardCharsets.UTF_8))
                        .add(Topics.SCHEMA, "user-login/1".getBytes(StandardCharsets.UTF_8)),
                Optional.empty());

        CompletableFuture<Void> done = cleaner.clean(List.of(raw));

        assertThat(clean.history()).isEmpty();
        ProducerRecord<byte[], byte[]> letter = deadLetters.history().get(0);
        assertThat(letter.topic()).isEqualTo(Topics.USER_LOGIN_DLQ);
        assertThat(letter.key()).isEqualTo(key);
        assertThat(letter.value()).isEqualTo(value);
        assertThat(header(letter, Topics.DEAD_LETTER_REASON)).startsWith("MISSING_USER_ID: ");
        assertThat(header(letter, Topics.DEAD_LETTER_TOPIC)).isEqualTo(Topics.USER_LOGIN);
        assertThat(header(letter, Topics.DEAD_LETTER_PARTITION)).isEqualTo("1");
        assertThat(header(letter, Topics.DEAD_LETTER_OFFSET)).isEqualTo("42");
        assertThat(header(letter, "trace")).isEqualTo("t-1");
        assertThat(letter.headers().headers(Topics.SCHEMA)).as("the raw record's schema header replaced")
                .singleElement().satisfies(schema -> assertThat(schema.value())
                        .isEqualTo("user-login-dlq/1".getBytes(StandardCharsets.UTF_8)));

        deadLetters.completeNext();
        assertThat(done).isCompleted();
        assertThat(registry.get("pulse.cleaner.dead.lettered").tag("reason", "MISSING_USER_ID").counter().count())
                .isEqualTo(1);
    }

    @Test
    void rawLoginWithUnknownExtraFieldsOfEveryJsonTypeIsCleanedFromItsKnownFields() {
        String extended = """
                {"user_id":"u2","schema_version":7,"session":{"id":"s","tags":["a",null]},"premium":true,
                 "locale":"TX","device_type":"ios","mfa":null,"timestamp":1694479551,"score":0.5,"ip":"10.0.0.2"}""";

        cleaner.clean(List.of(raw(0, 3, "u2", extended)));

        assertThat(deadLetters.history()).isEmpty();
        assertThat(clean.history()).singleElement().satisfies(out -> {
            assertThat(out.key()).isEqualTo("TX");
            assertThat(out.value()).isEqualTo(new CleanLogin("2023-09-12T00:45:51Z", "TX", "ios", "u2", "unknown",
                    "10.0.0.2", "unknown"));
        });
    }

    @Test
    void batchCompletesOnlyWhenEveryCleanAndDeadLetterWriteIsAcknowledged() {
        CompletableFuture<Void> done = cleaner.clean(List.of(raw(0, 0, "a", CLEAN), raw(0, 1, "b", "<html>"),
                raw(0, 2, "c", CLEAN)));

        clean.completeNext();
        deadLetters.completeNext();
        assertThat(done).as("one clean write outstanding").isNotDone();
        clean.completeNext();
        assertThat(done).isCompleted();
    }

    @Test
    void cleanRecordTheBrokerRefusesIsDeadLetteredAsWriteFailedAndTheBatchStillCompletes() {
        CompletableFuture<Void> done = cleaner.clean(List.of(raw(0, 5, "a", CLEAN)));

        clean.errorNext(new RecordTooLargeException("too large for user-login-clean"));
        assertThat(done).isNotDone();
        ProducerRecord<byte[], byte[]> letter = deadLetters.history().get(0);
        assertThat(header(letter, Topics.DEAD_LETTER_REASON))
                .startsWith(BatchCleaner.WRITE_FAILED + ": ").contains("too large for user-login-clean");
        assertThat(letter.value()).isEqualTo(CLEAN.getBytes(StandardCharsets.UTF_8));

        deadLetters.completeNext();
        assertThat(done).isCompleted();
        assertThat(registry.get("pulse.cleaner.cleaned").counter().count()).isZero();
        assertThat(registry.get("pulse.cleaner.dead.lettered").tag("reason", BatchCleaner.WRITE_FAILED).counter()
                .count()).isEqualTo(1);
    }

    @Test
    void cleanWriteThatFailsForAnOutageFailsTheBatchWithoutDeadLetteringTheLogin() {
        // With the production settings an outage is retried without end; a finite delivery timeout (or an
        // authorization error) must still not turn a valid login into a dead letter: the batch is read again.
        CompletableFuture<Void> done = cleaner.clean(List.of(raw(0, 5, "a", CLEAN), raw(0, 6, "b", "<html>")));

        clean.errorNext(new TimeoutException("Expiring 1 record(s) for user-login-clean-0: 120000 ms has passed"));
        deadLetters.completeNext();

        assertThat(done).isCompletedExceptionally();
        assertThat(deadLetters.history()).as("only the uncleanable record").singleElement()
                .satisfies(letter -> assertThat(header(letter, Topics.DEAD_LETTER_REASON)).startsWith("NOT_JSON"));
        assertThat(registry.get("pulse.cleaner.dead.lettered").tag("reason", BatchCleaner.WRITE_FAILED).counter()
                .count()).isZero();
    }

    @Test
    void onlyErrorsAboutTheRecordItselfCountAsTheBrokerRefusingIt() {
        assertThat(BatchCleaner.refusesTheRecord(new RecordTooLargeException("too large"))).isTrue();
        assertThat(BatchCleaner.refusesTheRecord(new InvalidRecordException("invalid"))).isTrue();
        assertThat(BatchCleaner.refusesTheRecord(new TimeoutException("expired"))).isFalse();
        assertThat(BatchCleaner.refusesTheRecord(new NotEnoughReplicasException("min ISR"))).isFalse();
        assertThat(BatchCleaner.refusesTheRecord(new TopicAuthorizationException("denied"))).isFalse();
    }

    @Test
    void deadLetterThatCannotBeWrittenFailsTheBatchSoThatNothingOfItIsCommitted() {
        CompletableFuture<Void> done = cleaner.clean(List.of(raw(0, 0, "a", CLEAN), raw(0, 1, "b", "<html>")));

        clean.completeNext();
        deadLetters.errorNext(new TimeoutException("broker away"));
        assertThat(done).isCompletedExceptionally();
    }

    @Test
    void producerThatThrowsInsteadOfFailingTheSendFailsTheBatch() {
        clean.sendException = new IllegalStateException("producer closed");

        assertThat(cleaner.clean(List.of(raw(0, 0, "a", CLEAN)))).isCompletedExceptionally();
    }

    @Test
    void recordsAreWrittenInTheOrderTheyWerePolledAndEveryOneEndsUpInExactlyOnePlace() {
        Random random = new Random(7);
        List<ConsumerRecord<byte[], byte[]>> batch = new ArrayList<>();
        IntStream.range(0, 1_000).forEach(offset -> batch.add(raw(offset % 3, offset, "k" + offset,
                random.nextInt(10) == 0 ? "garbage " + offset : CLEAN.replace("\"u1\"", "\"u" + offset + "\""))));
        MockProducer<String, CleanLogin> autoClean = producer(true, new StringSerializer(),
                JsonSerde.cleanLogin().serializer());
        MockProducer<byte[], byte[]> autoDeadLetters = producer(true, new ByteArraySerializer(),
                new ByteArraySerializer());
        SimpleMeterRegistry meters = new SimpleMeterRegistry();

        assertThat(new BatchCleaner(loginCleaner(), autoClean, autoDeadLetters, meters).clean(batch)).isCompleted();

        assertThat(autoClean.history().size() + autoDeadLetters.history().size()).isEqualTo(batch.size());
        assertThat(autoDeadLetters.history()).isNotEmpty();
        assertThat(autoClean.history()).extracting(record -> Long.parseLong(
                header(record, Topics.SOURCE_OFFSET).split(":")[1])).isSorted();
        assertThat(meters.get("pulse.cleaner.cleaned").counter().count()).isEqualTo(autoClean.history().size());
        assertThat(meters.get("pulse.cleaner.dead.lettered").tag("reason", "NOT_JSON").counter().count())
                .isEqualTo(autoDeadLetters.history().size());
    }

    private static LoginCleaner loginCleaner() {
        return new LoginCleaner(1024, Duration.ofHours(1), Clock.systemUTC());
    }

    private static ConsumerRecord<byte[], byte[]> raw(int partition, long offset, String key, String value) {
        return new ConsumerRecord<>(Topics.USER_LOGIN, partition, offset, key.getBytes(StandardCharsets.UTF_8),
                value.getBytes(StandardCharsets.UTF_8));
    }

    private static String header(ProducerRecord<?, ?> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    /** A mock producer that knows the clean and dead-letter topics (3 partitions each), so keys are partitioned. */
    private static <K, V> MockProducer<K, V> producer(boolean autoComplete, Serializer<K> keys,
            Serializer<V> values) {
        Node node = new Node(0, "localhost", 9092);
        List<PartitionInfo> partitions = new ArrayList<>();
        for (String topic : List.of(Topics.USER_LOGIN_CLEAN, Topics.USER_LOGIN_DLQ)) {
            for (int partition = 0; partition < 3; partition++) {
                partitions.add(new PartitionInfo(topic, partition, node, new Node[] { node }, new Node[] { node }));
            }
        }
        return new MockProducer<>(new Cluster("test", List.of(node), partitions, Set.of(), Set.of()), autoComplete,
                null, keys, values);
    }
}
