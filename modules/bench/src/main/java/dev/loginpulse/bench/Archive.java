package dev.loginpulse.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import com.fasterxml.jackson.databind.JsonNode;

import dev.loginpulse.devbroker.KafkaBroker;
import dev.loginpulse.events.Json;
import dev.loginpulse.events.Topics;
import dev.loginpulse.launcher.Pipeline;
import dev.loginpulse.launcher.PipelineOptions;
import dev.loginpulse.launcher.Service;

/**
 * The archiver over what the pipeline phase left on the broker: every clean login, stats publication and dead letter
 * of the preload, archived into a fresh Iceberg warehouse by the packaged archiver (JVM) pinned to one core
 * ({@code taskset} and {@code -XX:ActiveProcessorCount=1}). Throughput from its committed-rows metric, CPU and peak
 * RSS of its process, and the lake checked against the preload's own per-state counts through the archiver's history
 * API.
 */
final class Archive {

    private static final Pattern ROWS = Pattern.compile(
            "^pulse_archiver_rows_total\\{[^}]*table=\"([a-z_]+)\"[^}]*\\}\\s+([0-9.eE+]+)", Pattern.MULTILINE);
    private static final Duration POLL = Duration.ofMillis(250);
    private static final Duration STALL = Duration.ofSeconds(90);
    private static final String LOGINS = "logins";

    private Archive() {
    }

    static Results.ArchiveResult run(BenchOptions options, KafkaBroker broker, Expected expected) {
        long clean;
        long stats;
        long deadLetters;
        try (Admin admin = broker.admin()) {
            clean = Throughput.endOffsets(admin, Topics.USER_LOGIN_CLEAN);
            // stats writes in transactions: its end offsets count commit markers too, so its records are counted
            stats = committedRecords(broker.bootstrapServers(), Topics.USER_LOGIN_STATS);
            deadLetters = Throughput.endOffsets(admin, Topics.USER_LOGIN_DLQ);
        }
        if (clean != expected.clean()) {
            throw new IllegalStateException("user-login-clean holds " + clean + " records, not the preload's "
                    + expected.clean() + " clean logins: the archive phase runs right after the pipeline phase");
        }
        Path warehouse = options.out().resolve("lake-" + UUID.randomUUID());
        List<String> jvmArgs = new ArrayList<>(options.archiverJvmArgs);
        jvmArgs.add("-XX:ActiveProcessorCount=1");
        String config = "JVM " + String.join(" ", jvmArgs) + ", pinned to one core, roll 16 MiB or 2 s";
        if (options.profile) {
            jvmArgs.add(PipelineEngine.flightRecording(options, "archive"));
        }
        System.out.printf("Archive: %,d clean logins, %,d stats publications, %,d dead letters into a fresh lake (%s)%n",
                clean, stats, deadLetters, config);
        PipelineOptions pipelineOptions = new PipelineOptions().home(options.home).version(options.version)
                .logDir(options.out().resolve("logs").resolve("archiver")).mode(Pipeline.Mode.JVM)
                .externalBroker(broker.bootstrapServers()).services(List.of(Service.ARCHIVER))
                .port(Service.ARCHIVER, 0).jvmArgs(jvmArgs)
                .env("PULSE_ARCHIVER_WAREHOUSE", warehouse.toString())
                // the last rows of a run wait at most this long for their commit (the default is 60 s)
                .env("PULSE_ARCHIVER_ROLL_AGE", "PT2S");
        long t0 = System.nanoTime();
        try (Pipeline pipeline = Pipeline.start(pipelineOptions)) {
            long pid = pipeline.process(Service.ARCHIVER).pid();
            String pinned = pin(pid);
            ProcessMeter meter = ProcessMeter.sinceStart("archiver", pid, t0);
            URI url = pipeline.url(Service.ARCHIVER);
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            System.out.printf("  archiver launched, %.1f s; %s%n", (System.nanoTime() - t0) / 1e9, pinned);
            long target = clean + stats + deadLetters;
            long t20 = 0;
            long t80 = 0;
            long done = 0;
            long lastChange = System.nanoTime();
            long lastRows = -1;
            long lastPrint = System.nanoTime();
            long deadline = t0 + options.timeout.toNanos();
            Map<String, Long> rows = Map.of();
            while (true) {
                long now = System.nanoTime();
                rows = rows(http, url);
                long logins = rows.getOrDefault(LOGINS, 0L);
                long all = rows.values().stream().mapToLong(Long::longValue).sum();
                if (t20 == 0 && logins >= clean * 0.2) {
                    t20 = now;
                }
                if (t80 == 0 && logins >= clean * 0.8) {
                    t80 = now;
                }
                if (all != lastRows) {
                    lastRows = all;
                    lastChange = now;
                }
                meter.sample();
                if (all >= target) {
                    done = now;
                    break;
                }
                if (!pipeline.process(Service.ARCHIVER).isAlive() || now > deadline
                        || now - lastChange > STALL.toNanos()) {
                    System.out.printf("  archiver %s with %s of %,d rows committed%n",
                            pipeline.process(Service.ARCHIVER).isAlive() ? "stalled or timed out" : "exited", rows,
                            target);
                    break;
                }
                if (now - lastPrint >= Progress.INTERVAL_MS * 1_000_000L) {
                    System.out.printf("  [archiver %5.1fs] committed %s logins of %s, %s rows of %s in all%n",
                            (now - t0) / 1e9, Progress.count(logins), Progress.count(clean), Progress.count(all),
                            Progress.count(target));
                    lastPrint = now;
                }
                Throughput.pause(POLL);
            }
            Results.ProcessUsage usage = meter.usage();
            boolean complete = done > 0;
            String mismatch = complete ? compare(http, url, expected) : "not complete";
            double seconds = ((complete ? done : System.nanoTime()) - t0) / 1e9;
            double overall = complete ? target / seconds : 0;
            double steady = t80 > t20 && t20 > 0 ? 0.6 * clean / ((t80 - t20) / 1e9) : 0;
            Results.ArchiveResult result = new Results.ArchiveResult(clean, stats, deadLetters, complete,
                    mismatch == null, mismatch, seconds, overall, steady, usage.cpuSeconds(),
                    target == 0 ? 0 : usage.cpuSeconds() * 1e6 / target, usage.peakRssMb(), config);
            System.out.printf("  archiver: %s in %.1f s: %,.0f rows/s overall, %,.0f logins/s steady, CPU %.1f s "
                    + "(%.1f µs per row), peak RSS %,.0f MB; lake vs preload per state: %s%n",
                    complete ? "all committed" : "INCOMPLETE", seconds, overall, steady, usage.cpuSeconds(),
                    result.cpuMicrosPerRow(), usage.peakRssMb(), mismatch == null ? "exact" : mismatch);
            return result;
        }
    }

    /** Records of the topic a {@code read_committed} consumer reads from its beginning to its end offsets. */
    static long committedRecords(String bootstrap, String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10_000),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = StatsWatcher.partitions(consumer, topic);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            long records = 0;
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            while (partitions.stream().anyMatch(partition -> consumer.position(partition) < ends.get(partition))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Could not read " + topic + " to its end within 5 minutes");
                }
                records += consumer.poll(Duration.ofMillis(500)).count();
            }
            return records;
        }
    }

    /** Pins every thread of the process to the last CPU; says how, or why not. */
    private static String pin(long pid) {
        int cpu = Runtime.getRuntime().availableProcessors() - 1;
        try {
            Process taskset = new ProcessBuilder("taskset", "-a", "-p", "-c", String.valueOf(cpu), String.valueOf(pid))
                    .redirectErrorStream(true).start();
            String out = new String(taskset.getInputStream().readAllBytes()).trim();
            return taskset.waitFor() == 0 ? "pinned to CPU " + cpu + " (taskset)" : "not pinned: " + out;
        } catch (IOException e) {
            return "not pinned (no taskset: " + e.getMessage() + "); -XX:ActiveProcessorCount=1 only";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }

    /** Committed rows per table, from the archiver's metrics; empty while it does not answer. */
    private static Map<String, Long> rows(HttpClient http, URI url) {
        try {
            String body = http.send(HttpRequest.newBuilder(url.resolve("/q/metrics")).timeout(Duration.ofSeconds(5))
                    .build(), HttpResponse.BodyHandlers.ofString()).body();
            Map<String, Long> rows = new HashMap<>();
            Matcher matcher = ROWS.matcher(body);
            while (matcher.find()) {
                rows.put(matcher.group(1), (long) Double.parseDouble(matcher.group(2)));
            }
            return rows;
        } catch (IOException e) {
            return Map.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }

    /**
     * The lake's logins per state over the preload's days, read through the archiver's history API, against the
     * preload's own per-state clean counts: null when equal, else the first differences.
     */
    private static String compare(HttpClient http, URI url, Expected expected) {
        Instant from = Instant.ofEpochMilli(expected.firstEventMillis()).truncatedTo(ChronoUnit.DAYS);
        Instant to = Instant.ofEpochMilli(expected.lastEventMillis()).truncatedTo(ChronoUnit.DAYS)
                .plus(1, ChronoUnit.DAYS);
        try {
            HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(url.resolve(
                    "/api/history/states?granularity=day&from=" + from + "&to=" + to)).timeout(Duration.ofMinutes(5))
                    .build(), HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                return "history API answered " + response.statusCode() + ": " + new String(response.body());
            }
            Map<String, Long> lake = new HashMap<>();
            for (JsonNode item : Json.MAPPER.readTree(response.body()).path("items")) {
                lake.merge(item.path("state").asText(), item.path("logins").asLong(), Long::sum);
            }
            List<String> differences = new ArrayList<>();
            expected.perState().forEach((state, count) -> {
                if (!count.equals(lake.get(state))) {
                    differences.add(String.format(Locale.ROOT, "%s %d (expected %d)", state, lake.get(state), count));
                }
            });
            lake.keySet().stream().filter(state -> !expected.perState().containsKey(state))
                    .forEach(state -> differences.add(state + " " + lake.get(state) + " (expected none)"));
            return differences.isEmpty() ? null
                    : differences.size() + " states differ, e.g. " + differences.subList(0, Math.min(3,
                            differences.size()));
        } catch (IOException e) {
            return "history API not readable: " + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }
}
