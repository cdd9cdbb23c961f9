package dev.loginpulse.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.loginpulse.devbroker.KafkaBroker;
import dev.loginpulse.events.Json;
import dev.loginpulse.events.Topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code ./run.sh} as a user runs it (its default ports, 9092 and 8080–8083), with a {@code KAFKA_BOOTSTRAP_SERVERS}
 * pointing elsewhere inherited from the shell: the services use the script's own broker anyway. Stats is SIGKILLed;
 * the script restarts it, says so, and the totals are exact afterwards. SIGTERM to the script stops everything.
 */
@SecondLane // the only class on the default ports; here it evens out the lanes
class RunScriptIT {

    private static final String[] STATES = { "CA", "TX", "NY", "VT" };

    private final Path home = Path.of(System.getProperty("pulse.home", "../..")).toAbsolutePath().normalize();
    private final List<String> output = new CopyOnWriteArrayList<>();
    private Process script;

    @AfterEach
    void stopScript() throws Exception {
        if (script != null && script.isAlive()) {
            List<ProcessHandle> children = script.descendants().toList();
            script.destroy();
            if (!script.waitFor(60, TimeUnit.SECONDS)) {
                script.destroyForcibly();
            }
            children.forEach(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void runShUsesItsOwnBrokerRestartsAKilledServiceAndStaysExact() throws Exception {
        ProcessBuilder builder = new ProcessBuilder("bash", "run.sh").directory(home.toFile()).redirectErrorStream(true);
        builder.environment().put("PULSE_GENERATOR_RATE", "0");
        builder.environment().put("PULSE_OPEN_BROWSER", "false");
        builder.environment().put("KAFKA_BOOTSTRAP_SERVERS", "another-cluster.invalid:9092");
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        script = builder.start();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(script.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    output.add(line);
                    System.out.println("run.sh | " + line);
                }
            } catch (IOException e) {
                // the script ended
            }
        }, "run-sh-output");
        reader.setDaemon(true);
        reader.start();

        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200))
                .until(() -> output.stream().anyMatch(line -> line.startsWith("Dashboard:")) || !script.isAlive());
        assertThat(script.isAlive()).as("run.sh runs: %s", output).isTrue();
        assertThat(output).anySatisfy(line -> assertThat(line).startsWith("stats:").contains(
                "(Kafka 127.0.0.1:" + KafkaBroker.DEFAULT_PORT + ")"));
        assertThat(output).as("the archiver starts with the others")
                .anySatisfy(line -> assertThat(line).startsWith("archiver:").contains("8084"));

        Map<String, Long> expected = new HashMap<>();
        send(0, 1_000, expected);
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .untilAsserted(() -> assertThat(totals()).isEqualTo(expected));

        ProcessHandle stats = stats().orElseThrow();
        stats.destroyForcibly();
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
                .until(() -> stats().filter(handle -> handle.pid() != stats.pid()).isPresent());
        assertThat(output).anySatisfy(line -> assertThat(line).contains("stats exited", "restarting it in"))
                .anySatisfy(line -> assertThat(line).contains("Restarting stats"));

        send(1_000, 2_000, expected);
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .untilAsserted(() -> assertThat(totals()).isEqualTo(expected));

        List<ProcessHandle> children = script.descendants().toList();
        script.destroy();
        assertThat(script.waitFor(60, TimeUnit.SECONDS)).as("run.sh stops on SIGTERM").isTrue();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> children.stream().noneMatch(ProcessHandle::isAlive));
    }

    /** The stats service under the script: a descendant process running the stats jar. */
    private Optional<ProcessHandle> stats() {
        return script.descendants().filter(ProcessHandle::isAlive)
                .filter(handle -> handle.info().commandLine().orElse("").contains("modules/stats/target"))
                .findFirst();
    }

    private static void send(int from, int to, Map<String, Long> expected) throws Exception {
        long now = Instant.now().getEpochSecond();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + KafkaBroker.DEFAULT_PORT),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = from; i < to; i++) {
                String state = STATES[i % STATES.length];
                String json = "{\"user_id\":\"u" + i % 50 + "\",\"locale\":\"" + state + "\",\"timestamp\":" + now + "}";
                producer.send(new ProducerRecord<>(Topics.USER_LOGIN, json.getBytes(StandardCharsets.UTF_8)));
                expected.merge(state, 1L, Long::sum);
            }
            producer.flush();
        }
    }

    private static Map<String, Long> totals() throws Exception {
        JsonNode stats = Json.MAPPER.readTree(PipelineSupport.get(URI.create("http://127.0.0.1:8080/api/stats")).body());
        Map<String, Long> totals = new HashMap<>();
        for (JsonNode state : stats.get("states")) {
            totals.put(state.get("state").asText(), state.get("total_logins").asLong());
        }
        return totals;
    }
}
