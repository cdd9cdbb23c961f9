package dev.loginpulse.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import com.fasterxml.jackson.databind.JsonNode;

import dev.loginpulse.events.Json;

/**
 * Reads an engine's stats topic from the start ({@code read_committed}) in a background thread and keeps the latest
 * figures of every (state, window) and the highest running total of every state. An engine's output "reflects" all
 * logins when the sum of its latest window counts equals {@link Expected#windowLogins()}.
 */
final class StatsWatcher implements AutoCloseable {

    private final KafkaConsumer<String, byte[]> consumer;
    private final Thread thread;
    private final Map<String, long[]> windows = new HashMap<>();
    private final Map<String, Long> totals = new HashMap<>();
    private final List<long[]> samples = new ArrayList<>();
    private volatile long windowLogins;
    private volatile long totalLogins;
    private volatile long firstRecordNanos;
    private volatile long lastChangeNanos;
    private volatile boolean running = true;
    private volatile RuntimeException failure;

    StatsWatcher(String bootstrap, String topic) {
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "bench-watch-" + UUID.randomUUID(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = partitions(consumer, topic);
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        this.thread = new Thread(this::loop, "bench-stats-watcher-" + topic);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** The topic's partitions, once the client's metadata knows them (a topic created a moment ago may lack them). */
    static List<TopicPartition> partitions(KafkaConsumer<?, ?> consumer, String topic) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        do {
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
                partitions.add(new TopicPartition(topic, info.partition()));
            }
            if (!partitions.isEmpty()) {
                return partitions;
            }
            Throughput.pause(Duration.ofMillis(200));
        } while (System.nanoTime() < deadline);
        throw new IllegalStateException("No partitions of " + topic + " within 60 s");
    }

    private void loop() {
        try {
            while (running) {
                boolean changed = false;
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    changed |= apply(record.value());
                }
                if (changed) {
                    long now = System.nanoTime();
                    synchronized (this) {
                        if (firstRecordNanos == 0) {
                            firstRecordNanos = now;
                        }
                        lastChangeNanos = now;
                        samples.add(new long[] { now, windowLogins });
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            failure = e;
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private synchronized boolean apply(byte[] value) {
        JsonNode stats;
        try {
            stats = Json.MAPPER.readTree(value);
        } catch (Exception e) {
            return false;
        }
        if (stats == null || !stats.has("state") || !stats.has("window_start")) {
            return false;
        }
        String state = stats.get("state").asText();
        String key = Expected.windowKey(state, stats.get("window_start").asText());
        long logins = stats.path("logins").asLong();
        long unique = stats.path("unique_users").asLong();
        long[] previous = windows.put(key, new long[] { logins, unique });
        long delta = logins - (previous == null ? 0 : previous[0]);
        windowLogins += delta;
        boolean changed = delta != 0;
        if (stats.has("total_logins")) {
            long total = stats.get("total_logins").asLong();
            Long before = totals.get(state);
            if (before == null || total > before) {
                totals.put(state, total);
                totalLogins += total - (before == null ? 0 : before);
                changed = true;
            }
        } else {
            totalLogins = -1;
        }
        return changed;
    }

    long windowLogins() {
        check();
        return windowLogins;
    }

    /** The sum of the states' highest running totals, or -1 if the engine publishes none. */
    long totalLogins() {
        check();
        return totalLogins;
    }

    long firstRecordNanos() {
        return firstRecordNanos;
    }

    long lastChangeNanos() {
        return lastChangeNanos;
    }

    /** The first time the sum of latest window counts reached {@code target}, or 0. */
    synchronized long nanosWhenWindowLoginsReached(long target) {
        for (long[] sample : samples) {
            if (sample[1] >= target) {
                return sample[0];
            }
        }
        return 0;
    }

    /** (state, window) pairs whose latest logins or distinct users differ from the expected ones. */
    synchronized int mismatches(Expected expected) {
        int mismatches = 0;
        for (Map.Entry<String, long[]> entry : expected.windows().entrySet()) {
            long[] seen = windows.get(entry.getKey());
            if (seen == null || seen[0] != entry.getValue()[0] || seen[1] != entry.getValue()[1]) {
                mismatches++;
            }
        }
        for (String key : windows.keySet()) {
            if (!expected.windows().containsKey(key) && windows.get(key)[0] != 0) {
                mismatches++;
            }
        }
        return mismatches;
    }

    /** A few differing (state, window) pairs, for the log. */
    synchronized List<String> mismatchExamples(Expected expected, int limit) {
        List<String> examples = new ArrayList<>();
        for (Map.Entry<String, long[]> entry : expected.windows().entrySet()) {
            long[] seen = windows.get(entry.getKey());
            if (seen == null || seen[0] != entry.getValue()[0] || seen[1] != entry.getValue()[1]) {
                examples.add(entry.getKey() + " expected " + entry.getValue()[0] + "/" + entry.getValue()[1]
                        + " got " + (seen == null ? "nothing" : seen[0] + "/" + seen[1]));
                if (examples.size() >= limit) {
                    break;
                }
            }
        }
        return examples;
    }

    private void check() {
        if (failure != null) {
            throw new IllegalStateException("Stats watcher failed", failure);
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
