package dev.loginpulse.e2e;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import dev.loginpulse.events.JsonSerde;
import dev.loginpulse.events.StateStats;
import dev.loginpulse.events.Topics;
import dev.loginpulse.launcher.Pipeline;

/**
 * The ground truth of every (state, window) figure, counted here from the clean logins a test wrote (not with the
 * project's aggregation code): 60 s windows every 10 s, by the login's second, none before the epoch; and the figures
 * {@code user-login-stats} actually holds (the latest record per (state, window), read committed to the end).
 */
final class WindowTruth {

    private static final long WINDOW = 60_000;
    private static final long ADVANCE = 10_000;

    private final Map<String, Map<Long, Long>> logins = new TreeMap<>();
    private final Map<String, Map<Long, Set<String>>> users = new HashMap<>();
    private final Map<String, Long> totals = new HashMap<>();

    /** One clean login of {@code state} at {@code epochSecond} by {@code user}. */
    void add(String state, long epochSecond, String user) {
        totals.merge(state, 1L, Long::sum);
        long millis = epochSecond * 1000;
        for (long start = Math.floorDiv(millis, ADVANCE) * ADVANCE; start > millis - WINDOW; start -= ADVANCE) {
            if (start < 0) {
                break;
            }
            logins.computeIfAbsent(state, s -> new TreeMap<>()).merge(start, 1L, Long::sum);
            users.computeIfAbsent(state, s -> new HashMap<>()).computeIfAbsent(start, s -> new HashSet<>()).add(user);
        }
    }

    /** Clean logins per state. */
    Map<String, Long> totals() {
        return Map.copyOf(totals);
    }

    /** How many (state, window) figures there are. */
    int windows() {
        return logins.values().stream().mapToInt(Map::size).sum();
    }

    /**
     * Every difference between the truth and the published figures, at most {@code limit} of them described: missing
     * or extra windows, logins or distinct users that differ, late logins.
     */
    List<String> differences(Map<String, Map<Long, StateStats>> published, int limit) {
        List<String> differences = new ArrayList<>();
        for (String state : logins.keySet()) {
            Map<Long, StateStats> actual = published.getOrDefault(state, Map.of());
            for (var entry : logins.get(state).entrySet()) {
                StateStats figure = actual.get(entry.getKey());
                long expectedUsers = users.get(state).get(entry.getKey()).size();
                if (figure == null || figure.logins() != entry.getValue() || figure.uniqueUsers() != expectedUsers) {
                    differences.add(String.format(Locale.ROOT, "%s %s: %s, expected %d logins / %d users", state,
                            Instant.ofEpochMilli(entry.getKey()), figure == null ? "missing"
                                    : figure.logins() + " logins / " + figure.uniqueUsers() + " users",
                            entry.getValue(), expectedUsers));
                }
            }
            for (Long start : actual.keySet()) {
                if (!logins.get(state).containsKey(start)) {
                    differences.add(state + " " + Instant.ofEpochMilli(start) + ": published, expected no window");
                }
            }
            actual.values().stream().mapToLong(StateStats::lateLogins).max().ifPresent(late -> {
                if (late > 0) {
                    differences.add(state + ": " + late + " late logins");
                }
            });
        }
        return differences.size() <= limit ? differences : differences.subList(0, limit);
    }

    /** Every (state, window start) on user-login-stats, its latest record, read committed to the end of the topic. */
    static Map<String, Map<Long, StateStats>> published(Pipeline pipeline) {
        Map<String, Object> config = new HashMap<>(PipelineSupport.clientConfig(pipeline));
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, pipeline.bootstrapServers());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "window-truth-" + UUID.randomUUID());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        Map<String, Map<Long, StateStats>> latest = new HashMap<>();
        try (KafkaConsumer<String, StateStats> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                JsonSerde.stateStats().deserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.USER_LOGIN_STATS).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions); // the last stable offsets
            Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))
                    && Instant.now().isBefore(deadline)) {
                for (ConsumerRecord<String, StateStats> record : consumer.poll(Duration.ofMillis(200))) {
                    StateStats stats = record.value();
                    latest.computeIfAbsent(stats.state(), s -> new HashMap<>())
                            .put(Instant.parse(stats.windowStart()).toEpochMilli(), stats);
                }
            }
        }
        return latest;
    }

    /** The largest total published per state. */
    static Map<String, Long> publishedTotals(Map<String, Map<Long, StateStats>> published) {
        Map<String, Long> totals = new HashMap<>();
        published.forEach((state, windows) -> totals.put(state,
                windows.values().stream().mapToLong(StateStats::totalLogins).max().orElse(0)));
        return totals;
    }
}
