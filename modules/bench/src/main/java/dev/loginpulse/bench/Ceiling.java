package dev.loginpulse.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.admin.Admin;

import dev.loginpulse.devbroker.KafkaBroker;

/**
 * The broker's raw ceiling on this box: Kafka's own {@code org.apache.kafka.tools.ProducerPerformance} and
 * {@code ConsumerPerformance}, each as a child JVM (like {@code kafka-producer-perf-test.sh}), against the in-process
 * broker, with {@code recordSize}-byte records on a topic with the pipeline's partition count.
 */
final class Ceiling {

    static final String TOPIC = "bench-ceiling";
    /** The producer settings of the ceiling run: the services' durability (acks=all), Kafka's batching defaults. */
    static final List<String> PRODUCER_PROPS = List.of("acks=all", "linger.ms=5", "batch.size=65536",
            "compression.type=none");
    private static final Pattern PRODUCER_SUMMARY = Pattern.compile(
            "(\\d+) records sent, ([\\d.]+) records/sec \\(([\\d.]+) MB/sec\\), ([\\d.]+) ms avg latency, ([\\d.]+) ms max latency, (\\d+) ms 50th, (\\d+) ms 95th, (\\d+) ms 99th");

    private Ceiling() {
    }

    static Results.CeilingResult run(KafkaBroker broker, long records, int recordSize, Path logDir) {
        broker.createTopics(List.of(TOPIC));
        List<String> producer = new ArrayList<>(List.of("org.apache.kafka.tools.ProducerPerformance",
                "--topic", TOPIC, "--num-records", String.valueOf(records), "--record-size",
                String.valueOf(recordSize), "--throughput", "-1", "--producer-props",
                "bootstrap.servers=" + broker.bootstrapServers()));
        producer.addAll(PRODUCER_PROPS);
        System.out.printf("Broker ceiling: ProducerPerformance, %,d records of %d bytes (%s)%n", records, recordSize,
                String.join(" ", PRODUCER_PROPS));
        List<String> producerOut = runTool(producer, logDir.resolve("producer-performance.log"));
        Matcher summary = null;
        for (String line : producerOut) {
            Matcher m = PRODUCER_SUMMARY.matcher(line);
            if (m.find() && Long.parseLong(m.group(1)) == records) {
                summary = m;
            }
        }
        if (summary == null) {
            throw new IllegalStateException("ProducerPerformance printed no summary: " + producerOut);
        }
        System.out.println("  " + summary.group(0));

        System.out.printf("Broker ceiling: ConsumerPerformance, %,d records%n", records);
        List<String> consumerOut = runTool(List.of("org.apache.kafka.tools.ConsumerPerformance",
                "--bootstrap-server", broker.bootstrapServers(), "--topic", TOPIC, "--messages",
                String.valueOf(records), "--timeout", "120000"), logDir.resolve("consumer-performance.log"));
        String[] values = null;
        for (int i = 0; i < consumerOut.size() - 1; i++) {
            if (consumerOut.get(i).startsWith("start.time")) {
                values = consumerOut.get(i + 1).split(",\\s*");
            }
        }
        if (values == null || values.length < 10) {
            throw new IllegalStateException("ConsumerPerformance printed no summary: " + consumerOut);
        }
        long consumed = Long.parseLong(values[4].trim());
        if (consumed < records) {
            throw new IllegalStateException("ConsumerPerformance read " + consumed + " of " + records);
        }
        double consumerRate = Double.parseDouble(values[5].trim());
        double fetchRate = Double.parseDouble(values[9].trim());
        System.out.printf("  %,.0f records/sec overall, %,.0f records/sec while fetching%n", consumerRate, fetchRate);
        try (Admin admin = broker.admin()) {
            admin.deleteTopics(List.of(TOPIC)).all().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            System.out.println("  (could not delete " + TOPIC + ": " + e.getMessage() + ")");
        }
        return new Results.CeilingResult(records, recordSize, Double.parseDouble(summary.group(2)),
                Double.parseDouble(summary.group(3)), Double.parseDouble(summary.group(8)),
                String.join(" ", PRODUCER_PROPS), consumerRate, fetchRate);
    }

    /** Runs a Kafka tool's main class in a child JVM on this JVM's class path; returns its output lines. */
    private static List<String> runTool(List<String> mainAndArgs, Path log) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx512m", "-cp", System.getProperty("java.class.path")));
        command.addAll(mainAndArgs);
        List<String> lines = new ArrayList<>();
        try {
            Files.createDirectories(log.getParent());
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    lines.add(line);
                }
            }
            if (!process.waitFor(10, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException(mainAndArgs.get(0) + " did not finish");
            }
            Files.write(log, lines);
            if (process.exitValue() != 0) {
                throw new IllegalStateException(mainAndArgs.get(0) + " exited with " + process.exitValue() + ": "
                        + String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size())));
            }
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }
}
