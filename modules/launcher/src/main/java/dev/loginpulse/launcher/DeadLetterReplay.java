package dev.loginpulse.launcher;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import dev.loginpulse.events.Topics;

/**
 * Re-feeds selected dead letters to {@link Topics#USER_LOGIN}, so that the cleaner cleans them again once a rule is
 * fixed ({@code ./run.sh replay-dlq}, whose arguments {@link ReplayDlqCommand} reads). A dead letter is selected by its
 * reason code and by when it was dead-lettered (its record timestamp in {@code [from, to)}); it is re-fed byte for
 * byte, with its original headers and a {@link Topics#REPLAYED_FROM} header.
 * <p>
 * Exactly once, whatever crashes or reruns: each re-fed record and a marker on {@link Topics#USER_LOGIN_DLQ_REPLAYED}
 * (keyed by the dead letter's partition and offset) are written in one Kafka transaction, and a run skips the dead
 * letters that already have a marker. One transactional id for all runs: a new run first fences any earlier one that
 * is still running and aborts its open transaction, then reads the markers. The cleaner reads {@code user-login}
 * {@code read_committed}, so it never sees a re-fed record of an aborted run. Dead letters that carry only a truncated
 * copy of their value ({@link Topics#DEAD_LETTER_ORIGINAL_SIZE}) cannot be re-fed and are counted apart.
 */
public final class DeadLetterReplay {

    /** The transactional id of every replay: a second run fences the first. */
    public static final String TRANSACTIONAL_ID = "pulse-dlq-replay";
    private static final int TRANSACTION_RECORDS = 1_000;
    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    /** Which dead letters to re-feed: reason codes (none: any) and a range of dead-lettering times (null: open). */
    public record Selection(Set<String> reasons, Instant from, Instant to) {

        public Selection {
            reasons = Set.copyOf(reasons);
            if (from != null && to != null && !from.isBefore(to)) {
                throw new IllegalArgumentException("--from " + from + " must be before --to " + to);
            }
        }

        boolean matches(String reason, long timestamp) {
            return (reasons.isEmpty() || reasons.contains(reason))
                    && (from == null || timestamp >= from.toEpochMilli())
                    && (to == null || timestamp < to.toEpochMilli());
        }
    }

    /**
     * What a run did: dead letters scanned, those selected, of which already replayed earlier, truncated (not
     * replayable) and replayed now; selected per reason code.
     */
    public record Report(boolean dryRun, long scanned, long selected, long alreadyReplayed, long truncated,
            long replayed, Map<String, Long> selectedByReason) {

        @Override
        public String toString() {
            return (dryRun ? "Dry run: " : "") + "scanned " + scanned + " dead letters, selected " + selected + " "
                    + selectedByReason + ": " + (dryRun ? "would replay " : "replayed ") + replayed
                    + ", already replayed before " + alreadyReplayed + ", truncated (not replayable) " + truncated;
        }
    }

    private final String bootstrapServers;
    private final Map<String, Object> clientConfig;

    public DeadLetterReplay(String bootstrapServers, Map<String, Object> clientConfig) {
        this.bootstrapServers = bootstrapServers;
        this.clientConfig = Map.copyOf(clientConfig);
    }

    /** Replays the selected dead letters, or only counts them ({@code dryRun}). */
    public Report run(Selection selection, boolean dryRun) {
        if (dryRun) {
            return scan(selection, markers(true), record -> {
            }, true);
        }
        createMarkerTopic();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerConfig(), new ByteArraySerializer(),
                new ByteArraySerializer())) {
            producer.initTransactions(); // fences an earlier run and aborts what it left open
            Set<String> replayed = markers(false);
            int[] inTransaction = { 0 };
            Report report = scan(selection, replayed, record -> {
                if (inTransaction[0] == 0) {
                    producer.beginTransaction();
                }
                String source = record.partition() + ":" + record.offset();
                producer.send(new ProducerRecord<>(Topics.USER_LOGIN, null, record.key(), record.value(),
                        refedHeaders(record, source)));
                producer.send(new ProducerRecord<>(Topics.USER_LOGIN_DLQ_REPLAYED, null, utf8(source),
                        utf8("{\"replayed_at\":\"" + Instant.now() + "\"}")));
                if (++inTransaction[0] == TRANSACTION_RECORDS) {
                    producer.commitTransaction();
                    inTransaction[0] = 0;
                }
            }, false);
            if (inTransaction[0] > 0) {
                producer.commitTransaction();
            }
            return report;
        }
    }

    /** Reads the dead letters up to their current end and hands each selected, replayable, new one to {@code refeed}. */
    private Report scan(Selection selection, Set<String> alreadyReplayed,
            Consumer<ConsumerRecord<byte[], byte[]>> refeed, boolean dryRun) {
        long scanned = 0;
        long selected = 0;
        long skippedAsReplayed = 0;
        long truncated = 0;
        long replayed = 0;
        Map<String, Long> byReason = new TreeMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            List<TopicPartition> partitions = partitions(consumer, Topics.USER_LOGIN_DLQ);
            consumer.assign(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            seekToFrom(consumer, partitions, end, selection.from());
            Set<TopicPartition> open = new HashSet<>(partitions);
            open.removeIf(partition -> consumer.position(partition) >= end.get(partition));
            Instant deadline = Instant.now().plus(TIMEOUT);
            while (!open.isEmpty()) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("could not read " + Topics.USER_LOGIN_DLQ + " to its end in "
                            + TIMEOUT + "; partitions left: " + open);
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                    if (record.offset() >= end.get(partition)) {
                        continue;
                    }
                    scanned++;
                    String reason = reasonCode(record);
                    if (!selection.matches(reason, record.timestamp())) {
                        continue;
                    }
                    selected++;
                    byReason.merge(reason, 1L, Long::sum);
                    if (alreadyReplayed.contains(record.partition() + ":" + record.offset())) {
                        skippedAsReplayed++;
                    } else if (record.headers().lastHeader(Topics.DEAD_LETTER_ORIGINAL_SIZE) != null) {
                        truncated++;
                    } else {
                        refeed.accept(record);
                        replayed++;
                    }
                }
                open.removeIf(partition -> consumer.position(partition) >= end.get(partition));
            }
        }
        return new Report(dryRun, scanned, selected, skippedAsReplayed, truncated, replayed, byReason);
    }

    private static void seekToFrom(KafkaConsumer<?, ?> consumer, List<TopicPartition> partitions,
            Map<TopicPartition, Long> end, Instant from) {
        if (from == null) {
            consumer.seekToBeginning(partitions);
            return;
        }
        Map<TopicPartition, Long> times = new HashMap<>();
        partitions.forEach(partition -> times.put(partition, from.toEpochMilli()));
        Map<TopicPartition, OffsetAndTimestamp> offsets = consumer.offsetsForTimes(times);
        for (TopicPartition partition : partitions) {
            OffsetAndTimestamp offset = offsets.get(partition);
            consumer.seek(partition, offset == null ? end.get(partition) : offset.offset());
        }
    }

    /** The dead letters replayed so far, as {@code <partition>:<offset>}; none if the topic may be missing and is. */
    private Set<String> markers(boolean mayBeMissing) {
        Set<String> keys = new HashSet<>();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            if (mayBeMissing && consumer.partitionsFor(Topics.USER_LOGIN_DLQ_REPLAYED, TIMEOUT).isEmpty()) {
                return keys;
            }
            List<TopicPartition> partitions = partitions(consumer, Topics.USER_LOGIN_DLQ_REPLAYED);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions); // the last stable offsets
            Instant deadline = Instant.now().plus(TIMEOUT);
            while (partitions.stream().anyMatch(partition -> consumer.position(partition) < end.get(partition))) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("could not read " + Topics.USER_LOGIN_DLQ_REPLAYED + " in "
                            + TIMEOUT);
                }
                consumer.poll(Duration.ofMillis(500)).forEach(record -> keys.add(text(record.key())));
            }
        }
        return keys;
    }

    private void createMarkerTopic() {
        Map<String, Object> config = new HashMap<>(clientConfig);
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        try (Admin admin = Admin.create(config)) {
            int brokers = admin.describeCluster().nodes().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).size();
            NewTopic topic = new NewTopic(Topics.USER_LOGIN_DLQ_REPLAYED, 1, (short) Math.min(3, brokers))
                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
            admin.createTopics(List.of(topic)).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create " + Topics.USER_LOGIN_DLQ_REPLAYED, e.getCause());
            }
        } catch (TimeoutException e) {
            throw new IllegalStateException("no answer from Kafka at " + bootstrapServers + " in " + TIMEOUT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static List<TopicPartition> partitions(KafkaConsumer<?, ?> consumer, String topic) {
        Instant deadline = Instant.now().plus(TIMEOUT);
        List<PartitionInfo> infos = consumer.partitionsFor(topic, TIMEOUT);
        while (infos.isEmpty() && Instant.now().isBefore(deadline)) {
            infos = consumer.partitionsFor(topic, TIMEOUT); // a topic just created can be briefly unknown
        }
        if (infos.isEmpty()) {
            throw new IllegalStateException("topic " + topic + " does not exist");
        }
        return infos.stream().map(info -> new TopicPartition(topic, info.partition())).toList();
    }

    private KafkaConsumer<byte[], byte[]> consumer() {
        Map<String, Object> config = new HashMap<>(clientConfig);
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Topics.RAW_MAX_MESSAGE_BYTES + 1024 * 1024);
        return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private Map<String, Object> producerConfig() {
        Map<String, Object> config = new HashMap<>(clientConfig);
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, TRANSACTIONAL_ID);
        config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.RAW_MAX_MESSAGE_BYTES + 1024);
        return config;
    }

    /**
     * The dead letter's original headers, without the dead-letter ones and its {@link Topics#SCHEMA} header (which
     * names the dead-letter schema; a re-fed raw record is not known to be well-formed), and where it was replayed
     * from.
     */
    static RecordHeaders refedHeaders(ConsumerRecord<byte[], byte[]> record, String source) {
        RecordHeaders headers = new RecordHeaders();
        for (Header header : record.headers()) {
            if (!header.key().startsWith("dead-letter-") && !header.key().equals(Topics.SCHEMA)) {
                headers.add(header);
            }
        }
        headers.add(Topics.REPLAYED_FROM, utf8(source));
        return headers;
    }

    /** The code of a dead letter's reason: {@code NOT_JSON} of {@code NOT_JSON: ...}. */
    static String reasonCode(ConsumerRecord<byte[], byte[]> record) {
        Header header = record.headers().lastHeader(Topics.DEAD_LETTER_REASON);
        if (header == null) {
            return "";
        }
        String reason = text(header.value());
        int colon = reason.indexOf(':');
        return colon < 0 ? reason : reason.substring(0, colon);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] bytes) {
        return bytes == null ? "" : new String(bytes, StandardCharsets.UTF_8);
    }
}
