package dev.loginpulse.e2e;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;

import com.fasterxml.jackson.databind.JsonNode;

import dev.loginpulse.devbroker.TopicClient;
import dev.loginpulse.events.Insight;
import dev.loginpulse.events.Json;
import dev.loginpulse.events.JsonSerde;
import dev.loginpulse.events.StateInsights;
import dev.loginpulse.events.StateStats;
import dev.loginpulse.events.Topics;
import dev.loginpulse.launcher.Pipeline;
import dev.loginpulse.launcher.PipelineOptions;
import dev.loginpulse.launcher.Service;

import static org.awaitility.Awaitility.await;

/** What the end-to-end tests share: how they start the pipeline and how they look at topics and the dashboard. */
final class PipelineSupport {

    /**
     * The services the end-to-end tests start by default: the streaming pipeline without the archiver, which only
     * {@code ArchiverIT} and {@code RunScriptIT} start (it would cost every other test a JVM).
     */
    static final List<Service> STREAMING = List.of(Service.GENERATOR, Service.CLEANER, Service.STATS,
            Service.DASHBOARD);

    /** The streaming pipeline without the generator: for the tests that write every raw login themselves. */
    static final List<Service> FED_BY_TEST = List.of(Service.CLEANER, Service.STATS, Service.DASHBOARD);

    static final Duration PROCESSING_TIMEOUT = Duration.ofSeconds(90);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private PipelineSupport() {
    }

    /**
     * Options for a pipeline of packaged services (JVM, or native with {@code -Dpulse.mode=native}) on free ports, the
     * generator paused, a fresh stats state directory, logs under {@code modules/e2e/target/<name>-logs}.
     */
    static PipelineOptions options(String name) {
        Path home = Path.of(System.getProperty("pulse.home", "../..")).toAbsolutePath().normalize();
        Path target = home.resolve("modules/e2e/target");
        PipelineOptions options = new PipelineOptions()
                .home(home)
                .logDir(target.resolve(name + "-logs"))
                .version(System.getProperty("pulse.version", "1.0.0-SNAPSHOT"))
                .mode(Pipeline.Mode.valueOf(System.getProperty("pulse.mode", "jvm").toUpperCase(Locale.ROOT)))
                .kafkaPort(0)
                .env("PULSE_GENERATOR_RATE", "0")
                .env("PULSE_STATS_STATE_DIR", target.resolve("stats-state-" + UUID.randomUUID()).toString())
                .services(STREAMING);
        for (Service service : Service.values()) {
            options.port(service, 0);
        }
        return options;
    }

    /** An admin client of the pipeline's Kafka, one broker or a cluster; the caller closes it. */
    static Admin admin(Pipeline pipeline) {
        return pipeline.cluster() != null ? pipeline.cluster().admin() : pipeline.broker().admin();
    }

    /** What a client of the pipeline's Kafka needs besides the bootstrap servers (security settings, or nothing). */
    static Map<String, Object> clientConfig(Pipeline pipeline) {
        return pipeline.broker() != null ? pipeline.broker().clientConfig() : Map.of();
    }

    /** Records in a topic: the sum of its partitions' end offsets (exact for non-transactional topics). */
    static long endOffsets(Pipeline pipeline, String topic) throws Exception {
        try (Admin admin = admin(pipeline)) {
            return TopicClient.endOffsets(admin, topic);
        }
    }

    /** {@code GET /api/stats} of the dashboard. */
    static JsonNode stats(Pipeline pipeline) throws Exception {
        return Json.MAPPER.readTree(get(pipeline.url(Service.DASHBOARD).resolve("/api/stats")).body());
    }

    /** Per-state exact totals served by the dashboard. */
    static Map<String, Long> stateTotals(Pipeline pipeline) throws Exception {
        Map<String, Long> totals = new HashMap<>();
        for (JsonNode state : stats(pipeline).get("states")) {
            totals.put(state.get("state").asText(), state.get("total_logins").asLong());
        }
        return totals;
    }

    static HttpResponse<String> get(URI uri) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static int status(Pipeline pipeline, Service service, String path) throws Exception {
        return get(pipeline.url(service).resolve(path)).statusCode();
    }

    /**
     * The value of a Prometheus sample on a service's {@code /q/metrics}, e.g. {@code pulse_cleaner_pending_batches}
     * or {@code pulse_cleaner_dead_lettered_total{reason="WRITE_FAILED"}} (labels as written there, in order); a
     * missing sample fails rather than reading as 0.
     */
    static double metric(Pipeline pipeline, Service service, String sample) throws Exception {
        String metrics = get(pipeline.url(service).resolve("/q/metrics")).body();
        for (String line : metrics.split("\n")) {
            if (line.startsWith(sample + " ")) {
                return Double.parseDouble(line.substring(sample.length() + 1).trim());
            }
        }
        throw new IllegalStateException("no sample " + sample + " on " + service.moduleName() + "'s /q/metrics");
    }

    /**
     * What a failing end-to-end test prints to say where the pipeline stands: each service's health answers and the
     * last warnings and errors of its log (the producers' repeated reconnect warnings left out).
     */
    static String diagnosis(Pipeline pipeline) {
        StringBuilder text = new StringBuilder();
        for (Service service : Service.values()) {
            if (pipeline.process(service) == null) {
                continue;
            }
            text.append("--- ").append(service.moduleName()).append('\n');
            for (String path : List.of("/q/health/live", "/q/health/ready")) {
                try {
                    HttpResponse<String> answer = get(pipeline.url(service).resolve(path));
                    text.append(path).append(' ').append(answer.statusCode()).append(' ')
                            .append(answer.body().replaceAll("\\s+", " ")).append('\n');
                } catch (Exception e) {
                    text.append(path).append(" unanswered: ").append(e).append('\n');
                }
            }
            try (Stream<String> lines = Files.lines(pipeline.log(service))) {
                List<String> warnings = lines.filter(line -> line.contains(" WARN ") || line.contains(" ERROR ")
                        || line.startsWith("Caused by"))
                        .filter(line -> !line.contains("Bootstrap broker") && !line.contains("could not be established"))
                        .toList();
                warnings.subList(Math.max(0, warnings.size() - 15), warnings.size())
                        .forEach(line -> text.append(line, 0, Math.min(line.length(), 400)).append('\n'));
            } catch (Exception e) {
                text.append("log unreadable: ").append(e).append('\n');
            }
        }
        return text.toString();
    }

    /**
     * Per partition of the topics: the end offset, the last stable offset (what read_committed readers may read; below
     * the end while a transaction is open) and the open transactions (producer id and first offset), and each group's
     * committed offsets: what tells a hanging transaction or a stuck consumer from a slow one.
     */
    static String offsetsDiagnosis(Pipeline pipeline, List<String> topics, List<String> groups) {
        StringBuilder text = new StringBuilder();
        try (Admin admin = admin(pipeline)) {
            List<TopicPartition> partitions = new ArrayList<>();
            admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS)
                    .forEach((topic, description) -> description.partitions()
                            .forEach(partition -> partitions.add(new TopicPartition(topic, partition.partition()))));
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            partitions.forEach(partition -> latest.put(partition, OffsetSpec.latest()));
            var ends = admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS);
            var stable = admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all()
                    .get(30, TimeUnit.SECONDS);
            var producers = admin.describeProducers(partitions).all().get(30, TimeUnit.SECONDS);
            for (TopicPartition partition : partitions) {
                text.append(partition).append(": end ").append(ends.get(partition).offset()).append(", stable ")
                        .append(stable.get(partition).offset()).append(", open transactions ")
                        .append(producers.get(partition).activeProducers().stream()
                                .filter(producer -> producer.currentTransactionStartOffset().isPresent())
                                .map(producer -> producer.producerId() + "@"
                                        + producer.currentTransactionStartOffset().getAsLong())
                                .toList())
                        .append('\n');
            }
            for (String group : groups) {
                text.append("group ").append(group).append(": ").append(admin.listConsumerGroupOffsets(group)
                        .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS).entrySet().stream()
                        .filter(entry -> entry.getValue() != null)
                        .map(entry -> entry.getKey() + "=" + entry.getValue().offset()).sorted().toList())
                        .append('\n');
            }
        } catch (Exception e) {
            text.append("offsets unavailable: ").append(e).append('\n');
        }
        return text.toString();
    }

    /**
     * The partitions a consumer group is behind on, each as {@code group topic-partition committed/end}: for each group
     * (of {@code topicByGroup}) every partition of its topic, with no committed offset or one short of the end.
     */
    static List<String> groupLag(Pipeline pipeline, Map<String, String> topicByGroup) throws Exception {
        List<String> behind = new ArrayList<>();
        try (Admin admin = admin(pipeline)) {
            for (Map.Entry<String, String> entry : topicByGroup.entrySet()) {
                Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                admin.describeTopics(List.of(entry.getValue())).allTopicNames().get(30, TimeUnit.SECONDS)
                        .get(entry.getValue()).partitions().forEach(partition -> latest
                                .put(new TopicPartition(entry.getValue(), partition.partition()), OffsetSpec.latest()));
                var ends = admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS);
                var committed = admin.listConsumerGroupOffsets(entry.getKey()).partitionsToOffsetAndMetadata()
                        .get(30, TimeUnit.SECONDS);
                for (TopicPartition partition : latest.keySet()) {
                    long end = ends.get(partition).offset();
                    var offset = committed.get(partition);
                    if (offset == null || offset.offset() < end) {
                        behind.add(entry.getKey() + " " + partition + " " + (offset == null ? "none" : offset.offset())
                                + "/" + end);
                    }
                }
            }
        }
        return behind;
    }

    /** Resident set size of a process, in KiB, from {@code /proc}. */
    static long rssKb(long pid) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        throw new IllegalStateException("no VmRSS for process " + pid);
    }

    /** Real clients of the pipeline's broker. */
    static TopicClient client(Pipeline pipeline) {
        return new TopicClient(pipeline.bootstrapServers(), clientConfig(pipeline));
    }

    /**
     * Writes the stream's first {@code events} raw logins to {@link Topics#USER_LOGIN} at the pipeline's pace: after
     * every {@code chunk} it waits (up to {@code bound}) until the cleaner has cleaned or dead-lettered all but
     * {@code maxAhead} of them, so that faults land while the pipeline works rather than on a preloaded topic.
     * {@code acknowledged} counts the records the broker acknowledged.
     */
    static void produceAtPipelinePace(Pipeline pipeline, LoginStream stream, int events, int chunk, long maxAhead,
            Duration bound, AtomicLong acknowledged) {
        try (KafkaProducer<byte[], byte[]> producer = producer(pipeline)) {
            for (int i = 0; i < events; i++) {
                producer.send(new ProducerRecord<>(Topics.USER_LOGIN, stream.next(i)), (metadata, error) -> {
                    if (error == null) {
                        acknowledged.incrementAndGet();
                    }
                });
                if (i % chunk == chunk - 1) {
                    producer.flush();
                    long sent = i + 1;
                    await().atMost(bound).pollInterval(Duration.ofMillis(250)).ignoreExceptions().until(
                            () -> endOffsets(pipeline, Topics.USER_LOGIN_CLEAN)
                                    + endOffsets(pipeline, Topics.USER_LOGIN_DLQ) >= sent - maxAhead);
                }
            }
            producer.flush();
        }
    }

    /** A producer of raw bytes that can send the largest record the raw topic takes. */
    static KafkaProducer<byte[], byte[]> producer(Pipeline pipeline) {
        return client(pipeline).rawProducer();
    }

    /** A producer of {@link StateStats} records, for feeding the dashboard directly. */
    static KafkaProducer<String, StateStats> statsProducer(Pipeline pipeline) {
        return client(pipeline).producer(new StringSerializer(), JsonSerde.stateStats());
    }

    /** A producer of {@link Insight} records, for feeding the dashboard's insight panels directly. */
    static KafkaProducer<String, Insight> insightsProducer(Pipeline pipeline) {
        return client(pipeline).producer(new StringSerializer(), JsonSerde.insight());
    }

    /** A producer of {@link StateInsights} records, for feeding the dashboard's state panel directly. */
    static KafkaProducer<String, StateInsights> stateInsightsProducer(Pipeline pipeline) {
        return client(pipeline).producer(new StringSerializer(), JsonSerde.stateInsights());
    }

    /** Reads a whole topic from the start until {@code expected} records arrived, or the timeout. */
    static List<ConsumerRecord<String, byte[]>> readAll(Pipeline pipeline, String topic, long expected) {
        return client(pipeline).readAll(topic, expected, PROCESSING_TIMEOUT);
    }

    /** Hands every record of a topic, from the start, to {@code action} until {@code expected} were seen. */
    static void forEachRecord(Pipeline pipeline, String topic, long expected,
            Consumer<ConsumerRecord<String, byte[]>> action) {
        client(pipeline).forEachRecord(topic, expected, PROCESSING_TIMEOUT, action);
    }
}
