package dev.loginpulse.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.loginpulse.events.Topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * docker-compose.yml: docker-compose (v1.29, the strictest of the two) accepts it, and its structure matches the
 * services: each is built from the shared Dockerfiles with its own name and the port its application.properties
 * declares, configured only with documented environment variables, health-checked on its readiness endpoint, and
 * started after a healthy single-node KRaft Kafka and a one-shot topic creator.
 */
class ComposeTest {

    private static final String COMPOSE_FILE = "docker-compose.yml";
    private static final String KAFKA_IMAGE = "apache/kafka:4.2.2";
    private static final String STATE_DIR = "/var/lib/login-pulse/state";

    private static JsonNode compose;

    /** The three Kafka nodes. */
    private static final List<String> KAFKA_NODES = List.of("kafka-1", "kafka-2", "kafka-3");
    private static final String BOOTSTRAP = "kafka-1:9092,kafka-2:9092,kafka-3:9092";

    /** The file as Compose reads it: with its anchors and merge keys ({@code <<: *kafka}) resolved (SnakeYAML). */
    @BeforeAll
    static void parseComposeFile() throws IOException {
        Object yaml = new Yaml().load(Project.read(COMPOSE_FILE));
        compose = new ObjectMapper().valueToTree(yaml);
    }

    @Test
    void dockerComposeValidatesTheFileInJvmAndNativeMode() {
        List<String> command = dockerCompose();

        Commands.Result jvm = run(command, Project.root(), Map.of(), "-f", COMPOSE_FILE, "config", "-q");
        assertThat(jvm.exitCode()).as(jvm.describe()).isZero();

        Commands.Result jvmConfig = run(command, Project.root(), Map.of(), "-f", COMPOSE_FILE, "config");
        assertThat(jvmConfig.output()).contains("dockerfile: src/main/docker/Dockerfile.jvm");
        Commands.Result nativeConfig = run(command, Project.root(), Map.of("QUARKUS_MODE", "native"), "-f", COMPOSE_FILE,
                "config");
        assertThat(nativeConfig.exitCode()).as(nativeConfig.output()).isZero();
        assertThat(nativeConfig.output()).contains("dockerfile: src/main/docker/Dockerfile.native")
                .contains("image: login-pulse/cleaner:native").contains("image: login-pulse/archiver:jvm");
        assertThat(nativeConfig.output().split("Dockerfile\\.jvm", -1)).as("only the JVM-only services' images")
                .hasSize(Project.JVM_ONLY.size() + 1);
    }

    @Test
    void dockerComposeRejectsWhatVersionOneCannotRead(@TempDir Path dir) throws IOException {
        List<String> command = dockerCompose();
        String withName = "name: login-pulse\n" + Project.read(COMPOSE_FILE);
        Files.writeString(dir.resolve(COMPOSE_FILE), withName);

        Commands.Result result = run(command, dir, Map.of(), "-f", COMPOSE_FILE, "config", "-q");

        assertThat(result.exitCode()).as("the validation has teeth: %s", result.output()).isNotZero();
    }

    @Test
    void theFileUsesNothingDockerComposeVersionOneRejects() {
        assertThat(compose.has("name")).as("top-level name:").isFalse();
        compose.path("services").properties().forEach(service -> service.getValue().path("depends_on").properties()
                .forEach(dependency -> assertThat(dependency.getValue().has("required"))
                        .as("%s depends_on.%s.required", service.getKey(), dependency.getKey()).isFalse()));
    }

    @Test
    void everyServiceIsBuiltFromTheSharedDockerfilesWithItsNameAndItsApplicationPort() {
        for (String name : Project.SERVICES) {
            JsonNode service = service(name);
            JsonNode build = service.path("build");
            int port = Project.httpPort(name);

            assertThat(build.path("context").asText()).as(name).isEqualTo(".");
            String mode = Project.JVM_ONLY.contains(name) ? "jvm" : "${QUARKUS_MODE:-jvm}";
            assertThat(build.path("dockerfile").asText()).as(name).isEqualTo("src/main/docker/Dockerfile." + mode);
            assertThat(build.path("args").path("SERVICE").asText()).as(name).isEqualTo(name);
            assertThat(build.path("args").path("PORT").asText()).as(name).isEqualTo(String.valueOf(port));
            assertThat(service.path("image").asText()).as(name).isEqualTo("login-pulse/" + name + ":" + mode);
            assertThat(containerPorts(service)).as("%s exposes or publishes its port", name)
                    .contains(String.valueOf(port));
        }
    }

    @Test
    void onlyTheDashboardIsPublishedOnTheHostOn8080() {
        assertThat(texts(service("dashboard").path("ports"))).containsExactly("8080:8080");
        for (String name : List.of("generator", "cleaner", "stats", "archiver")) {
            assertThat(service(name).has("ports")).as(name).isFalse();
        }
        for (int node = 1; node <= 3; node++) {
            assertThat(texts(service("kafka-" + node).path("ports"))).as("Kafka for tools on the host, loopback only")
                    .containsExactly("127.0.0.1:" + (29091 + node) + ":29092");
            assertThat(service("kafka-" + node).path("environment").path("KAFKA_ADVERTISED_LISTENERS").asText())
                    .contains("HOST://localhost:" + (29091 + node));
        }
    }

    @Test
    void everyServiceIsConfiguredOnlyWithDocumentedVariablesAndReachesKafkaInsideTheNetwork() {
        for (String name : Project.SERVICES) {
            JsonNode environment = service(name).path("environment");

            assertThat(environment.isObject()).as(name).isTrue();
            assertThat(fieldNames(environment)).as(name)
                    .isSubsetOf(Project.documentedEnvironmentVariables());
            assertThat(environment.path("KAFKA_BOOTSTRAP_SERVERS").asText()).as(name).isEqualTo(BOOTSTRAP);
        }
        assertThat(service("generator").path("environment").path("PULSE_GENERATOR_RATE").asText())
                .isEqualTo("${PULSE_GENERATOR_RATE:-50}");
    }

    @Test
    void everyServiceIsHealthCheckedOnItsReadinessEndpointWithoutCurl() {
        for (String name : Project.SERVICES) {
            List<String> test = texts(service(name).path("healthcheck").path("test"));

            assertThat(test).as(name).startsWith("CMD", "bash", "-c");
            assertThat(String.join(" ", test)).as(name)
                    .contains("/dev/tcp/127.0.0.1/" + Project.httpPort(name) + " ")
                    .contains("GET /q/health/ready")
                    .contains("' 200 '")
                    .doesNotContain("curl", "wget");
        }
    }

    @Test
    void kafkaIsAThreeNodeKraftClusterThatKeepsEveryRecordOnTwoNodesAtLeastWithHealthChecks() {
        assertThat(fieldNames(compose.path("services"))).noneMatch(name -> name.contains("zookeeper"))
                .doesNotContain("kafka");
        Set<String> nodeIds = new HashSet<>();
        for (String name : KAFKA_NODES) {
            JsonNode kafka = service(name);
            JsonNode environment = kafka.path("environment");

            assertThat(kafka.path("image").asText()).as(name).isEqualTo(KAFKA_IMAGE);
            assertThat(kafka.path("hostname").asText()).isEqualTo(name);
            nodeIds.add(environment.path("KAFKA_NODE_ID").asText());
            assertThat(environment.path("KAFKA_PROCESS_ROLES").asText()).as(name).isEqualTo("broker,controller");
            assertThat(environment.path("KAFKA_CONTROLLER_QUORUM_VOTERS").asText()).as(name)
                    .isEqualTo("1@kafka-1:9093,2@kafka-2:9093,3@kafka-3:9093");
            assertThat(environment.path("KAFKA_ADVERTISED_LISTENERS").asText()).as(name)
                    .contains("PLAINTEXT://" + name + ":9092");
            assertThat(environment.path("KAFKA_AUTO_CREATE_TOPICS_ENABLE").asText()).isEqualTo("false");
            assertThat(environment.path("KAFKA_DEFAULT_REPLICATION_FACTOR").asInt()).isEqualTo(3);
            assertThat(environment.path("KAFKA_MIN_INSYNC_REPLICAS").asInt()).isEqualTo(2);
            assertThat(environment.path("KAFKA_UNCLEAN_LEADER_ELECTION_ENABLE").asText()).isEqualTo("false");
            assertThat(environment.path("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR").asInt()).isEqualTo(3);
            assertThat(environment.path("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR").asInt()).isEqualTo(3);
            assertThat(environment.path("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR").asInt()).isEqualTo(2);
            assertThat(environment.path("CLUSTER_ID").asText()).matches("[A-Za-z0-9_-]{22}");
            assertThat(texts(kafka.path("volumes"))).as(name).containsExactly(name + "-data:/var/lib/kafka/data");
            assertThat(compose.path("volumes").has(name + "-data")).as(name).isTrue();
            assertThat(String.join(" ", texts(kafka.path("healthcheck").path("test")))).as(name)
                    .contains("kafka-broker-api-versions.sh", "--bootstrap-server localhost:9092");
        }
        assertThat(nodeIds).containsExactlyInAnyOrder("1", "2", "3");
        assertThat(KAFKA_NODES.stream().map(name -> service(name).path("environment").path("CLUSTER_ID").asText())
                .distinct()).as("one cluster").hasSize(1);
    }

    @Test
    void theTopicCreatorCreatesEveryPipelineTopicWithThreePartitionsOnce() {
        JsonNode topics = service("topics");
        String script = String.join("\n", texts(topics.path("entrypoint"))) + "\n"
                + String.join("\n", texts(topics.path("command")));

        assertThat(topics.path("image").asText()).isEqualTo(KAFKA_IMAGE);
        assertThat(topics.path("restart").asText()).isEqualTo("no");
        for (String node : KAFKA_NODES) {
            assertThat(topics.path("depends_on").path(node).path("condition").asText()).as(node)
                    .isEqualTo("service_healthy");
        }
        assertThat(script).contains("/opt/kafka/bin/kafka-topics.sh", "--create", "--if-not-exists",
                "--partitions 3 --replication-factor 3 --config min.insync.replicas=2", "--bootstrap-server " + BOOTSTRAP);
        for (String topic : Topics.ALL) {
            assertThat(script).containsPattern("(?m)^create " + topic + "( |$)");
        }
        // every topic refuses records that decompress beyond its limit (Kafka 4.2.2+), e.g. a compressed GiB
        for (String topic : Topics.ALL) {
            assertThat(script).containsPattern("(?m)create " + topic + " .*--config max.decompressed.message.bytes="
                    + Topics.maxDecompressedMessageBytes(topic) + "$");
        }
        assertThat(script).contains(
                "create user-login --config max.message.bytes=" + Topics.RAW_MAX_MESSAGE_BYTES,
                "create user-login-dlq --config max.message.bytes=" + Topics.RAW_MAX_MESSAGE_BYTES,
                "create " + Topics.USER_LOGIN_INTEGRITY + " --config cleanup.policy=compact",
                "create " + Topics.USER_LOGIN_STATE_INSIGHTS + " --config retention.ms="
                        + Topics.STATE_INSIGHTS_RETENTION_MS);
    }

    @Test
    void everyServiceStartsAfterAHealthyKafkaAndTheCreatedTopics() {
        for (String name : Project.SERVICES) {
            JsonNode dependsOn = service(name).path("depends_on");

            for (String node : KAFKA_NODES) {
                assertThat(dependsOn.path(node).path("condition").asText()).as("%s on %s", name, node)
                        .isEqualTo("service_healthy");
            }
            assertThat(dependsOn.path("topics").path("condition").asText()).as(name)
                    .isEqualTo("service_completed_successfully");
        }
    }

    @Test
    void everyContainerHasAMemoryAndCpuLimit() {
        compose.path("services").properties().forEach(service -> {
            assertThat(service.getValue().path("mem_limit").asText()).as(service.getKey()).matches("[0-9]+[mg]");
            assertThat(service.getValue().path("cpus").asDouble()).as(service.getKey()).isBetween(0.1, 2.0);
        });
    }

    @Test
    void statsKeepsItsStateOnANamedVolumeAtTheDirectoryItIsTold() {
        JsonNode stats = service("stats");

        assertThat(stats.path("environment").path("PULSE_STATS_STATE_DIR").asText()).isEqualTo(STATE_DIR);
        assertThat(texts(stats.path("volumes"))).containsExactly("stats-state:" + STATE_DIR);
        assertThat(compose.path("volumes").has("stats-state")).isTrue();
    }

    private static JsonNode service(String name) {
        JsonNode service = compose.path("services").path(name);
        assertThat(service.isObject()).as("service %s in %s", name, COMPOSE_FILE).isTrue();
        return service;
    }

    /** The container side of every {@code expose} and {@code ports} entry. */
    private static List<String> containerPorts(JsonNode service) {
        List<String> ports = new ArrayList<>(texts(service.path("expose")));
        for (String published : texts(service.path("ports"))) {
            ports.add(published.substring(published.lastIndexOf(':') + 1));
        }
        return ports;
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static List<String> texts(JsonNode node) {
        if (node.isMissingNode() || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            return List.of(node.asText());
        }
        List<String> texts = new ArrayList<>();
        node.forEach(element -> texts.add(element.asText()));
        return texts;
    }

    /**
     * {@code docker-compose} v1 (1.29), the tool the docs name for validating the file: it rejects what Compose v2
     * accepts (a top-level {@code name:}, {@code depends_on.*.required}), so a file it accepts works with both. No
     * fallback to {@code docker compose}, which would pass what v1 rejects; skips with a message when v1 is missing.
     */
    private static List<String> dockerCompose() {
        Optional<Path> v1 = Commands.onPath("docker-compose");
        assumeTrue(v1.isPresent(), "docker-compose (v1) is not installed: skipping the validation of " + COMPOSE_FILE
                + " (.ci/run installs Debian's docker-compose 1.29)");
        return List.of(v1.get().toString());
    }

    private static Commands.Result run(List<String> command, Path dir, Map<String, String> env, String... args) {
        Map<String, String> environment = new HashMap<>(env);
        environment.putIfAbsent("QUARKUS_MODE", "");
        return Commands.run(dir, environment, Duration.ofMinutes(2), Commands.concat(command, args));
    }
}
