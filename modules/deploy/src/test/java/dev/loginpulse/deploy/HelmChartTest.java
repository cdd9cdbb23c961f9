package dev.loginpulse.deploy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;

import dev.loginpulse.events.Topics;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The Helm chart deploy/helm/login-pulse, rendered by Helm's own code (helm-java) and parsed strictly into the fabric8
 * Kubernetes model: it lints, renders with its defaults and with values-production.yaml, and what it renders is what
 * the services need (their ports and health endpoints from their own application.properties), hardened, scalable
 * within the topics' partitions, and refuses values its schema does not describe.
 */
class HelmChartTest {

    private static final String CONFIG_MAP = "login-pulse-config";
    private static final Set<String> SCALABLE = Set.of("cleaner", "stats");
    private static final Set<String> WORKLOAD_KINDS = Set.of("Pod", "Deployment", "ReplicaSet", "StatefulSet",
            "DaemonSet", "Job", "CronJob", "ReplicationController");

    /**
     * Helm 4.2.0-4.2.3 drop null values before checking the schema, so a key set to null that the schema requires fails
     * lint, template and install there (a {@code seed: null} did). No values file sets a null, and every key the schema
     * requires is set, so Helm 3 and 4 read the same values.
     */
    @ParameterizedTest
    @MethodSource("valuesFiles")
    void valuesFilesSetNoNullsSoHelm4ReadsWhatHelm3Reads(Path values) throws Exception {
        JsonNode tree = new YAMLMapper().readTree(values.toFile());
        List<String> nulls = new ArrayList<>();
        collectNulls(tree, "", nulls);
        assertThat(nulls).as("keys set to null in %s", values).isEmpty();
    }

    @Test
    void defaultValuesWithoutTheirNullsStillSatisfyTheSchemaAndRender() throws Exception {
        JsonNode schema = new ObjectMapper().readTree(Chart.CHART.resolve("values.schema.json").toFile());
        JsonNode values = new YAMLMapper().readTree(Chart.CHART.resolve("values.yaml").toFile());
        List<String> missing = new ArrayList<>();
        collectMissingRequired(schema, values, "", missing);
        assertThat(missing).as("required by the schema but not set in values.yaml").isEmpty();
    }

    static Stream<Path> valuesFiles() {
        return Stream.of(Chart.CHART.resolve("values.yaml"), Chart.PRODUCTION_VALUES);
    }

    private static void collectNulls(JsonNode node, String path, List<String> nulls) {
        if (node.isNull()) {
            nulls.add(path);
        }
        node.properties().forEach(entry -> collectNulls(entry.getValue(), path + "." + entry.getKey(), nulls));
    }

    private static void collectMissingRequired(JsonNode schema, JsonNode values, String path, List<String> missing) {
        for (JsonNode required : schema.path("required")) {
            JsonNode value = values.get(required.asText());
            if (value == null || value.isNull()) {
                missing.add(path + "." + required.asText());
            }
        }
        schema.path("properties").properties().forEach(entry -> {
            JsonNode value = values.get(entry.getKey());
            if (value != null && value.isObject()) {
                collectMissingRequired(entry.getValue(), value, path + "." + entry.getKey(), missing);
            }
        });
    }

    @Test
    void strictLintPassesWithNoWarnings() {
        LintResult result = new Helm(Chart.CHART).lint().strict().call();

        assertThat(result.isFailed()).as("lint messages: %s", result.getMessages()).isFalse();
        assertThat(result.getMessages()).allSatisfy(message -> assertThat(message).startsWith("[INFO]"));
    }

    @Test
    void defaultValuesRenderTheFourServicesAgainstAnExistingKafka() {
        Chart.Rendered rendered = Chart.withDefaults().render();

        assertThat(rendered.names(Deployment.class)).containsExactlyElementsOf(Project.SERVICES);
        assertThat(rendered.names(Service.class)).containsExactlyInAnyOrderElementsOf(Project.SERVICES);
        assertThat(rendered.names(ConfigMap.class)).containsExactly(CONFIG_MAP);
        assertThat(rendered.all(StatefulSet.class)).as("no embedded Kafka by default").isEmpty();
        assertThat(rendered.all(Job.class)).isEmpty();
        assertThat(rendered.all(HorizontalPodAutoscaler.class)).as("autoscaling is opt-in").isEmpty();
        assertThat(rendered.names(PodDisruptionBudget.class)).containsExactlyInAnyOrder("cleaner", "stats");
        assertThat(rendered.all(Ingress.class)).isEmpty();
        assertThat(rendered.get(ConfigMap.class, CONFIG_MAP).getData())
                .containsEntry("KAFKA_BOOTSTRAP_SERVERS", "kafka:9092");
    }

    @Test
    void productionValuesRenderReplicatedAutoscaledServicesBehindAnIngressWithoutTheGenerator() {
        Chart.Rendered rendered = Chart.withProductionValues().render();

        assertThat(rendered.names(Deployment.class)).as("real producers replace the generator")
                .containsExactly("cleaner", "stats", "archiver", "dashboard");
        assertThat(rendered.all(StatefulSet.class)).isEmpty();
        assertThat(rendered.get(ConfigMap.class, CONFIG_MAP).getData().get("KAFKA_BOOTSTRAP_SERVERS"))
                .isEqualTo("kafka-0.kafka.example.com:9093,kafka-1.kafka.example.com:9093,"
                        + "kafka-2.kafka.example.com:9093");
        assertThat(rendered.get(Deployment.class, "dashboard").getSpec().getReplicas()).isEqualTo(2);

        Ingress ingress = rendered.get(Ingress.class, "dashboard");
        assertThat(ingress.getSpec().getIngressClassName()).isEqualTo("nginx");
        assertThat(ingress.getSpec().getTls()).singleElement().satisfies(tls -> {
            assertThat(tls.getHosts()).containsExactly("login-pulse.example.com");
            assertThat(tls.getSecretName()).isEqualTo("login-pulse-dashboard-tls");
        });
        IngressRule rule = ingress.getSpec().getRules().get(0);
        assertThat(rule.getHost()).isEqualTo("login-pulse.example.com");
        assertThat(rule.getHttp().getPaths()).singleElement().satisfies(path -> {
            assertThat(path.getPath()).isEqualTo("/");
            assertThat(path.getBackend().getService().getName()).isEqualTo("dashboard");
            assertThat(path.getBackend().getService().getPort().getName()).isEqualTo("http");
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valueSets")
    void everyDeploymentProbesItsOwnHealthEndpointsOnThePortItsApplicationDeclares(ValueSet valueSet) {
        Chart.Rendered rendered = valueSet.render();

        for (Deployment deployment : rendered.all(Deployment.class)) {
            String name = deployment.getMetadata().getName();
            int port = Project.httpPort(name);
            Container container = onlyContainer(deployment.getSpec().getTemplate().getSpec());

            assertThat(container.getPorts()).as(name).extracting(ContainerPort::getName, ContainerPort::getContainerPort)
                    .containsExactly(tuple("http", port));
            assertThat(env(container)).as(name).containsEntry("QUARKUS_HTTP_PORT", String.valueOf(port));
            assertProbe(name, container, container.getStartupProbe().getHttpGet(), "/q/health/live", port);
            assertProbe(name, container, container.getLivenessProbe().getHttpGet(), "/q/health/live", port);
            assertProbe(name, container, container.getReadinessProbe().getHttpGet(), "/q/health/ready", port);

            Service service = rendered.get(Service.class, name);
            assertThat(service.getSpec().getPorts()).as(name).singleElement().satisfies(servicePort -> {
                assertThat(servicePort.getPort()).isEqualTo(port);
                assertThat(resolve(container, servicePort.getTargetPort())).isEqualTo(port);
            });
            assertThat(service.getSpec().getSelector())
                    .isEqualTo(deployment.getSpec().getSelector().getMatchLabels());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valueSets")
    void everyDeploymentIsNamedAndLabelledAfterItsServiceAndRunsItsImage(ValueSet valueSet) {
        for (Deployment deployment : valueSet.render().all(Deployment.class)) {
            String name = deployment.getMetadata().getName();

            assertThat(Project.SERVICES).contains(name);
            assertThat(deployment.getMetadata().getLabels()).containsEntry("app", name);
            assertThat(deployment.getSpec().getSelector().getMatchLabels()).containsEntry("app", name);
            assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
                    .containsEntry("app", name)
                    .containsAllEntriesOf(deployment.getSpec().getSelector().getMatchLabels());
            Container container = onlyContainer(deployment.getSpec().getTemplate().getSpec());
            assertThat(container.getName()).isEqualTo(name);
            assertThat(container.getImage()).matches("(.+/)?login-pulse/" + name + ":[^:/]+");
            assertThat(Project.applicationProperties(name).getProperty("quarkus.application.name")).isEqualTo(name);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valueSets")
    void everyPodRunsAsNonRootOnAReadOnlyRootWithoutCapabilitiesAndWithResources(ValueSet valueSet) {
        Map<String, PodSpec> pods = podSpecs(valueSet.render());
        assertThat(pods).isNotEmpty();

        pods.forEach((name, pod) -> {
            assertThat(pod.getSecurityContext().getRunAsNonRoot()).as(name).isTrue();
            assertThat(pod.getSecurityContext().getSeccompProfile().getType()).as(name).isEqualTo("RuntimeDefault");
            assertThat(pod.getAutomountServiceAccountToken()).as(name + " needs no API token").isFalse();
            for (Container container : pod.getContainers()) {
                var security = container.getSecurityContext();
                assertThat(security.getRunAsNonRoot()).as(name).isTrue();
                assertThat(security.getReadOnlyRootFilesystem()).as(name).isTrue();
                assertThat(security.getAllowPrivilegeEscalation()).as(name).isFalse();
                assertThat(security.getCapabilities().getDrop()).as(name).containsExactly("ALL");
                assertThat(security.getCapabilities().getAdd()).as(name).isNullOrEmpty();
                assertThat(security.getSeccompProfile().getType()).as(name).isEqualTo("RuntimeDefault");
                assertThat(security.getPrivileged()).as(name).isNotEqualTo(Boolean.TRUE);

                assertThat(container.getResources().getRequests()).as(name).containsKeys("cpu", "memory");
                assertThat(container.getResources().getLimits()).as(name).containsKey("memory");

                assertThat(emptyDirMountedAt(pod, container, "/tmp")).as(name + ": a writable /tmp").isTrue();
            }
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valueSets")
    void statsKeepsItsKafkaStreamsStateOnAnEmptyDirAtTheDirectoryItIsTold(ValueSet valueSet) {
        PodSpec pod = valueSet.render().get(Deployment.class, "stats").getSpec().getTemplate().getSpec();
        Container container = onlyContainer(pod);

        String stateDir = env(container).get("PULSE_STATS_STATE_DIR");
        assertThat(stateDir).isEqualTo("/var/lib/login-pulse/state");
        assertThat(emptyDirMountedAt(pod, container, stateDir)).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valueSets")
    void everyServiceReadsThePipelineConfigMapWhoseKeysAreDocumentedEnvironmentVariables(ValueSet valueSet) {
        Chart.Rendered rendered = valueSet.render();
        ConfigMap config = rendered.get(ConfigMap.class, CONFIG_MAP);

        assertThat(config.getData().keySet()).isSubsetOf(Project.documentedEnvironmentVariables());
        assertThat(config.getData()).containsKeys("KAFKA_BOOTSTRAP_SERVERS", "PULSE_STATS_STANDBY_REPLICAS",
                "PULSE_STATS_STREAM_THREADS");
        for (Deployment deployment : rendered.all(Deployment.class)) {
            Container container = onlyContainer(deployment.getSpec().getTemplate().getSpec());
            assertThat(container.getEnvFrom()).as(deployment.getMetadata().getName())
                    .anySatisfy(from -> assertThat(from.getConfigMapRef().getName()).isEqualTo(CONFIG_MAP));
            assertThat(deployment.getSpec().getTemplate().getMetadata().getAnnotations())
                    .as("pods roll when the configuration changes").containsKey("checksum/config");
        }
    }

    @Test
    void pipelineSettingsReachTheConfigMapAsTheServicesExpectThem() {
        Map<String, String> data = Chart.withDefaults()
                .set("config.generator.rate", 2000)
                .set("config.generator.seed", 42)
                .set("config.cleaner.maxRecordBytes", 2097152)
                .set("config.stats.grace", "PT30S")
                .render().get(ConfigMap.class, CONFIG_MAP).getData();

        assertThat(data).containsEntry("PULSE_GENERATOR_RATE", "2000")
                .containsEntry("PULSE_GENERATOR_SEED", "42")
                .containsEntry("PULSE_CLEANER_MAX_RECORD_BYTES", "2097152")
                .containsEntry("PULSE_STATS_GRACE", "PT30S")
                .containsEntry("PULSE_GENERATOR_DIRTY_RATIO", "0.05")
                .containsEntry("PULSE_GENERATOR_SUSPICIOUS_SHARE", "0.05");
        assertThat(Chart.withDefaults().render().get(ConfigMap.class, CONFIG_MAP).getData())
                .as("no seed: a random one per start").doesNotContainKey("PULSE_GENERATOR_SEED");
    }

    @Test
    void cleanerAndStatsHaveDisruptionBudgetsAndAutoscalersInProduction() {
        Chart.Rendered rendered = Chart.withProductionValues().render();

        assertThat(rendered.names(PodDisruptionBudget.class)).containsExactlyInAnyOrder("cleaner", "stats");
        assertThat(rendered.names(HorizontalPodAutoscaler.class)).containsExactlyInAnyOrder("cleaner", "stats");
        for (String name : SCALABLE) {
            Deployment deployment = rendered.get(Deployment.class, name);
            Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();

            PodDisruptionBudget budget = rendered.get(PodDisruptionBudget.class, name);
            assertThat(podLabels).containsAllEntriesOf(budget.getSpec().getSelector().getMatchLabels());
            assertThat(budget.getSpec().getMaxUnavailable()).isEqualTo(new IntOrString(1));

            HorizontalPodAutoscaler autoscaler = rendered.get(HorizontalPodAutoscaler.class, name);
            assertThat(autoscaler.getSpec().getScaleTargetRef().getKind()).isEqualTo("Deployment");
            assertThat(autoscaler.getSpec().getScaleTargetRef().getName()).isEqualTo(name);
            assertThat(autoscaler.getSpec().getMinReplicas()).isEqualTo(2);
            assertThat(autoscaler.getSpec().getMaxReplicas()).as("no more than the 6 partitions").isEqualTo(6);
            assertThat(autoscaler.getSpec().getMetrics()).singleElement()
                    .satisfies(metric -> assertThat(metric.getResource().getName()).isEqualTo("cpu"));
            assertThat(deployment.getSpec().getReplicas()).as("the autoscaler owns the replica count").isNull();
        }
    }

    @Test
    void anExistingKafkaGetsNoBrokerOrTopicJobAndItsBootstrapServersReachTheConfigMap() {
        String servers = "broker-1.kafka.svc:9093,broker-2.kafka.svc:9093";
        Chart.Rendered rendered = Chart.withDefaults()
                .set("kafka.embedded.enabled", false)
                .set("kafka.bootstrapServers", servers)
                .render();

        assertThat(rendered.all(StatefulSet.class)).isEmpty();
        assertThat(rendered.all(Job.class)).isEmpty();
        assertThat(rendered.find(Service.class, "kafka")).isEmpty();
        assertThat(rendered.find(NetworkPolicy.class, "kafka")).isEmpty();
        assertThat(rendered.get(ConfigMap.class, CONFIG_MAP).getData())
                .containsEntry("KAFKA_BOOTSTRAP_SERVERS", servers);
    }

    @Test
    void theEmbeddedKafkaIsAKraftStatefulSetWithAJobCreatingEveryPipelineTopic() {
        Chart.Rendered rendered = embeddedKafka().render();

        StatefulSet kafka = rendered.get(StatefulSet.class, "kafka");
        assertThat(kafka.getSpec().getServiceName()).isEqualTo("kafka");
        Container broker = onlyContainer(kafka.getSpec().getTemplate().getSpec());
        assertThat(broker.getImage()).isEqualTo("apache/kafka:4.2.2");
        assertThat(env(broker).get("CLUSTER_ID")).as("a KRaft cluster id: base64url of 16 bytes")
                .matches("[A-Za-z0-9_-]{22}");
        assertThat(kafka.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsUser())
                .as("the image's user by number, so that runAsNonRoot can be verified").isEqualTo(1000L);
        assertThat(kafka.getSpec().getVolumeClaimTemplates()).as("a volume per node").singleElement()
                .satisfies(claim -> assertThat(claim.getMetadata().getName()).isEqualTo("data"));

        String serverProperties = serverProperties(rendered);
        assertThat(serverProperties).contains("process.roles=broker,controller", "auto.create.topics.enable=false");
        assertThat(serverProperties).doesNotContainIgnoringCase("zookeeper");
        assertThat(rendered.get(Service.class, "kafka").getSpec().getClusterIP()).isEqualTo("None");
        assertThat(rendered.get(ConfigMap.class, CONFIG_MAP).getData())
                .as("the headless Service resolves to every node").containsEntry("KAFKA_BOOTSTRAP_SERVERS", "kafka:9092");

        String script = topicScript(rendered);
        assertThat(script).contains("bootstrap=kafka:9092");
        for (String topic : Topics.ALL) {
            assertThat(script).containsPattern("create " + topic + "( |\\n|$)");
            // every topic refuses records that decompress beyond its limit (Kafka 4.2.2+), e.g. a compressed GiB
            assertThat(script).containsPattern("(?m)create " + topic + " .*--config max.decompressed.message.bytes="
                    + Topics.maxDecompressedMessageBytes(topic) + "$");
        }
        assertThat(script).contains("--if-not-exists", "--partitions 3",
                "create user-login --config max.message.bytes=" + Topics.RAW_MAX_MESSAGE_BYTES,
                "create user-login-dlq --config max.message.bytes=" + Topics.RAW_MAX_MESSAGE_BYTES,
                "create " + Topics.USER_LOGIN_INTEGRITY + " --config cleanup.policy=compact",
                "create " + Topics.USER_LOGIN_STATE_INSIGHTS + " --config retention.ms="
                        + Topics.STATE_INSIGHTS_RETENTION_MS);
    }

    @Test
    void byDefaultTheEmbeddedKafkaIsThreeNodesStartedTogetherAndSpreadOverMachines() {
        StatefulSet kafka = embeddedKafka().render().get(StatefulSet.class, "kafka");

        assertThat(kafka.getSpec().getReplicas()).isEqualTo(3);
        assertThat(kafka.getSpec().getPodManagementPolicy())
                .as("one node alone has no quorum and never gets ready: an ordered start would stop at kafka-0")
                .isEqualTo("Parallel");
        Map<String, String> podLabels = kafka.getSpec().getTemplate().getMetadata().getLabels();
        assertThat(kafka.getSpec().getTemplate().getSpec().getAffinity().getPodAntiAffinity()
                .getPreferredDuringSchedulingIgnoredDuringExecution()).singleElement().satisfies(preference -> {
                    assertThat(preference.getWeight()).isEqualTo(100);
                    assertThat(preference.getPodAffinityTerm().getTopologyKey()).isEqualTo("kubernetes.io/hostname");
                    assertThat(preference.getPodAffinityTerm().getLabelSelector().getMatchLabels())
                            .isEqualTo(kafka.getSpec().getSelector().getMatchLabels());
                    assertThat(podLabels).containsAllEntriesOf(
                            preference.getPodAffinityTerm().getLabelSelector().getMatchLabels());
                });
    }

    @Test
    void theThreeNodesFormTheirQuorumOverTheHeadlessServiceByPodOrdinal() {
        Chart.Rendered rendered = embeddedKafka().render();

        String serverProperties = serverProperties(rendered);
        assertThat(serverProperties)
                .contains("controller.quorum.voters=0@kafka-0.kafka:9093,1@kafka-1.kafka:9093,2@kafka-2.kafka:9093\n",
                        "listeners=PLAINTEXT://:9092,CONTROLLER://:9093\n", "controller.listener.names=CONTROLLER\n")
                .as("node.id is each pod's own").doesNotContain("node.id=");

        Container node = onlyContainer(rendered.get(StatefulSet.class, "kafka").getSpec().getTemplate().getSpec());
        String start = String.join("\n", node.getCommand());
        assertThat(start).contains("echo \"node.id=${POD_NAME##*-}\"",
                "advertised.listeners=PLAINTEXT://${POD_NAME}.kafka:9092");
        assertThat(node.getPorts()).extracting(ContainerPort::getName, ContainerPort::getContainerPort)
                .containsExactly(tuple("kafka", 9092), tuple("controller", 9093));

        Service service = rendered.get(Service.class, "kafka");
        assertThat(service.getSpec().getClusterIP()).isEqualTo("None");
        assertThat(service.getSpec().getPublishNotReadyAddresses())
                .as("the nodes must resolve each other before the quorum makes them ready").isTrue();
        assertThat(service.getSpec().getPorts()).extracting(ServicePort::getName, ServicePort::getPort,
                port -> resolve(node, port.getTargetPort()))
                .containsExactly(tuple("kafka", 9092, 9092), tuple("controller", 9093, 9093));
    }

    @Test
    void theEmbeddedKafkaControllerPortAdmitsOnlyTheOtherNodes() {
        Chart.Rendered rendered = embeddedKafka().render();
        Map<String, String> nodes = rendered.get(StatefulSet.class, "kafka").getSpec().getSelector().getMatchLabels();

        NetworkPolicy policy = rendered.get(NetworkPolicy.class, "kafka");
        assertThat(policy.getSpec().getIngress()).anySatisfy(rule -> {
            assertThat(rule.getPorts()).singleElement()
                    .satisfies(port -> assertThat(port.getPort()).isEqualTo(new IntOrString("controller")));
            assertThat(rule.getFrom()).singleElement()
                    .satisfies(peer -> assertThat(peer.getPodSelector().getMatchLabels()).isEqualTo(nodes));
        });
        assertThat(policy.getSpec().getIngress()).anySatisfy(rule -> assertThat(rule.getPorts()).singleElement()
                .satisfies(port -> assertThat(port.getPort()).isEqualTo(new IntOrString("kafka"))));
    }

    @Test
    void oneEmbeddedKafkaNodeAtATimeMayBeDisrupted() {
        Chart.Rendered rendered = embeddedKafka().render();

        assertThat(rendered.names(PodDisruptionBudget.class)).containsExactlyInAnyOrder("cleaner", "stats", "kafka");
        PodDisruptionBudget budget = rendered.get(PodDisruptionBudget.class, "kafka");
        assertThat(budget.getSpec().getMaxUnavailable()).isEqualTo(new IntOrString(1));
        assertThat(rendered.get(StatefulSet.class, "kafka").getSpec().getTemplate().getMetadata().getLabels())
                .containsAllEntriesOf(budget.getSpec().getSelector().getMatchLabels());
        assertThat(budget.getSpec().getSelector().getMatchLabels()).containsEntry("app", "kafka");
    }

    @Test
    void byDefaultEveryTopicHasThreeReplicasOfWhichTwoMustBeInSync() {
        Chart.Rendered rendered = embeddedKafka().render();

        assertThat(serverProperties(rendered).lines()).contains("default.replication.factor=3",
                "min.insync.replicas=2", "unclean.leader.election.enable=false", "offsets.topic.replication.factor=3",
                "transaction.state.log.replication.factor=3", "transaction.state.log.min.isr=2");
        String script = topicScript(rendered);
        assertThat(script).contains("until [ \"$(brokers)\" -ge 3 ]",
                "--replication-factor 3 --config min.insync.replicas=2");
        assertThat(script).doesNotContain("--replication-factor 1");
    }

    @Test
    void aSingleNodeEmbeddedKafkaHasOneReplicaAndOneInSyncReplicaThroughout() {
        Chart.Rendered rendered = embeddedKafka().set("kafka.embedded.replicas", 1)
                .set("kafka.embedded.replicationFactor", 1).set("kafka.embedded.minInsyncReplicas", 1).render();

        assertThat(rendered.get(StatefulSet.class, "kafka").getSpec().getReplicas()).isEqualTo(1);
        assertThat(serverProperties(rendered).lines()).contains("controller.quorum.voters=0@kafka-0.kafka:9093",
                "default.replication.factor=1", "min.insync.replicas=1", "offsets.topic.replication.factor=1",
                "transaction.state.log.replication.factor=1", "transaction.state.log.min.isr=1");
        assertThat(topicScript(rendered)).contains("until [ \"$(brokers)\" -ge 1 ]",
                "--replication-factor 1 --config min.insync.replicas=1");
        assertThat(rendered.get(PodDisruptionBudget.class, "kafka").getSpec().getMaxUnavailable())
                .as("a single node may still be drained").isEqualTo(new IntOrString(1));
    }

    @Test
    void threeNodesWithAReplicationFactorNotAboveMinInsyncReplicasAreRefusedNamingTheKey() {
        Chart chart = embeddedKafka().set("kafka.embedded.replicas", 3).set("kafka.embedded.replicationFactor", 2)
                .set("kafka.embedded.minInsyncReplicas", 2);

        assertThatThrownBy(chart::template).hasMessageContaining("kafka.embedded.replicationFactor is 2, but with "
                + "kafka.embedded.replicas=3 it must be at least kafka.embedded.minInsyncReplicas + 1 = 3");
    }

    @Test
    void aReplicationFactorAboveTheNodeCountIsRefusedNamingTheKey() {
        assertThatThrownBy(embeddedKafka().set("kafka.embedded.replicationFactor", 4)::template)
                .hasMessageContaining("kafka.embedded.replicationFactor is 4, but kafka.embedded.replicas is 3");
        assertThatThrownBy(embeddedKafka().set("kafka.embedded.replicas", 1)::template)
                .as("one node keeps the default replication factor of 3")
                .hasMessageContaining("kafka.embedded.replicationFactor is 3, but kafka.embedded.replicas is 1");
    }

    @Test
    void moreMinInsyncReplicasThanReplicasIsRefusedNamingTheKey() {
        Chart chart = embeddedKafka().set("kafka.embedded.replicas", 1).set("kafka.embedded.replicationFactor", 1)
                .set("kafka.embedded.minInsyncReplicas", 2);

        assertThatThrownBy(chart::template)
                .hasMessageContaining("kafka.embedded.minInsyncReplicas is 2, above kafka.embedded.replicationFactor 1");
    }

    @Test
    void withoutTheEmbeddedKafkaItsReplicationSettingsAreNotChecked() {
        assertThat(Chart.withDefaults().set("kafka.embedded.replicas", 1).render().all(StatefulSet.class)).isEmpty();
    }

    /** The chart with the embedded Kafka, its topic job a plain Job (helm-java renders no hooks; same body). */
    private static Chart embeddedKafka() {
        return Chart.withDefaults().set("kafka.embedded.enabled", true).set("kafka.embedded.topicsJob.helmHook", false);
    }

    private static String serverProperties(Chart.Rendered rendered) {
        return rendered.get(ConfigMap.class, "kafka-config").getData().get("server.properties");
    }

    private static String topicScript(Chart.Rendered rendered) {
        return String.join("\n",
                onlyContainer(rendered.get(Job.class, "kafka-topics-1").getSpec().getTemplate().getSpec()).getCommand());
    }

    @Test
    void theEmbeddedKafkaKeepsItsDataOnlyInAnEmptyDirWhenPersistenceIsOff() {
        StatefulSet kafka = Chart.withDefaults()
                .set("kafka.embedded.enabled", true)
                .set("kafka.embedded.persistence.enabled", false)
                .render().get(StatefulSet.class, "kafka");

        assertThat(kafka.getSpec().getVolumeClaimTemplates()).isNullOrEmpty();
        assertThat(kafka.getSpec().getTemplate().getSpec().getVolumes())
                .anySatisfy(volume -> {
                    assertThat(volume.getName()).isEqualTo("data");
                    assertThat(volume.getEmptyDir()).isNotNull();
                });
    }

    @Test
    void theEmbeddedKafkaPodRollsWhenItsConfigurationChanges() {
        Function<Integer, String> checksum = partitions -> Chart.withDefaults()
                .set("kafka.embedded.enabled", true).set("kafka.topics.partitions", partitions)
                .render().get(StatefulSet.class, "kafka").getSpec().getTemplate().getMetadata().getAnnotations()
                .get("checksum/config");

        assertThat(checksum.apply(3)).matches("[0-9a-f]{64}").isEqualTo(checksum.apply(3))
                .isNotEqualTo(checksum.apply(6));
    }

    @Test
    void anEmbeddedKafkaWithForeignBootstrapServersIsRefused() {
        Chart chart = Chart.withDefaults()
                .set("kafka.embedded.enabled", true)
                .set("kafka.bootstrapServers", "elsewhere:9092");

        assertThatThrownBy(chart::template)
                .hasMessageContaining("kafka.embedded.enabled deploys the cluster at kafka:9092");
    }

    @Test
    void everyServiceAcceptsTrafficOnlyOnItsHttpPort() {
        Chart.Rendered rendered = ValueSet.production().render();

        for (Deployment deployment : rendered.all(Deployment.class)) {
            String name = deployment.getMetadata().getName();
            NetworkPolicy policy = rendered.get(NetworkPolicy.class, name);
            assertThat(policy.getSpec().getPodSelector().getMatchLabels())
                    .isEqualTo(deployment.getSpec().getSelector().getMatchLabels());
            assertThat(policy.getSpec().getPolicyTypes()).containsExactly("Ingress", "Egress");
            assertThat(policy.getSpec().getIngress()).singleElement().satisfies(rule -> assertThat(rule.getPorts())
                    .singleElement().satisfies(port -> assertThat(port.getPort()).isEqualTo(new IntOrString("http"))));
        }
        assertThat(rendered.get(NetworkPolicy.class, "cleaner").getSpec().getIngress().get(0).getFrom())
                .as("metrics from the monitoring namespace, besides the release's own pods").hasSize(2);
    }

    @Test
    void statsAdvertisesItsPodIpForInteractiveQueriesAndMayReachTheOtherStatsPodsHttpPort() {
        Chart.Rendered rendered = Chart.withProductionValues().render();
        Deployment stats = rendered.get(Deployment.class, "stats");
        Container container = onlyContainer(stats.getSpec().getTemplate().getSpec());

        assertThat(container.getEnv()).filteredOn(env -> env.getName().equals("PULSE_STATS_HOST")).singleElement()
                .satisfies(env -> assertThat(env.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("status.podIP"));
        assertThat(rendered.get(NetworkPolicy.class, "stats").getSpec().getEgress()).anySatisfy(rule -> {
            assertThat(rule.getTo()).singleElement().satisfies(peer -> assertThat(peer.getPodSelector()
                    .getMatchLabels()).isEqualTo(stats.getSpec().getSelector().getMatchLabels()));
            assertThat(rule.getPorts()).singleElement()
                    .satisfies(port -> assertThat(port.getPort()).isEqualTo(new IntOrString("http")));
        });
        assertThat(rendered.get(NetworkPolicy.class, "cleaner").getSpec().getEgress())
                .noneSatisfy(rule -> assertThat(rule.getTo()).isNotEmpty());
    }

    @Test
    void kafkaCredentialsComeFromAnExistingSecretNeverFromValues() {
        Chart.Rendered rendered = ValueSet.production().render();

        Map<String, String> config = rendered.get(ConfigMap.class, CONFIG_MAP).getData();
        assertThat(config).containsEntry("KAFKA_SECURITY_PROTOCOL", "SASL_SSL")
                .containsEntry("KAFKA_SASL_MECHANISM", "SCRAM-SHA-512")
                .doesNotContainKey("KAFKA_SASL_JAAS_CONFIG");
        for (Deployment deployment : rendered.all(Deployment.class)) {
            Container container = onlyContainer(deployment.getSpec().getTemplate().getSpec());
            assertThat(container.getEnv()).as(deployment.getMetadata().getName())
                    .filteredOn(env -> env.getName().equals("KAFKA_SASL_JAAS_CONFIG")).singleElement()
                    .satisfies(env -> {
                        assertThat(env.getValue()).isNull();
                        assertThat(env.getValueFrom().getSecretKeyRef().getName())
                                .isEqualTo("login-pulse-kafka-" + deployment.getMetadata().getName());
                        assertThat(env.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("sasl.jaas.config");
                    });
        }
        assertThat(Chart.withDefaults().render().get(ConfigMap.class, CONFIG_MAP).getData())
                .doesNotContainKeys("KAFKA_SECURITY_PROTOCOL", "KAFKA_SASL_MECHANISM");
    }

    @Test
    void saslWithoutItsSecretOrMechanismOrOnTheEmbeddedKafkaIsRefused() {
        assertThatThrownBy(Chart.withDefaults().set("kafka.security.protocol", "SASL_SSL")
                .set("kafka.security.saslMechanism", "SCRAM-SHA-512")::template)
                .hasMessageContaining("needs kafka.security.jaasConfigSecret.name");
        assertThatThrownBy(Chart.withDefaults().set("kafka.security.protocol", "SASL_SSL")
                .set("kafka.security.jaasConfigSecret.name", "creds")::template)
                .hasMessageContaining("needs kafka.security.saslMechanism");
        assertThatThrownBy(Chart.withDefaults().set("kafka.embedded.enabled", true)
                .set("kafka.security.protocol", "SSL")::template)
                .hasMessageContaining("the embedded Kafka speaks PLAINTEXT only");
    }

    static Stream<Arguments> invalidValues() {
        return Stream.of(
                Arguments.of("a string replica count", "generator.replicas", "abc"),
                Arguments.of("an unknown top-level key", "replicaCount", 2),
                Arguments.of("an unknown nested key", "dashboard.ingress.hostname", "x.example.com"),
                Arguments.of("a pull policy Kubernetes does not know", "image.pullPolicy", "Sometimes"),
                Arguments.of("a window size that is no ISO-8601 duration", "config.stats.windowSize", "60s"),
                Arguments.of("a dirty ratio above 1", "config.generator.dirtyRatio", 2),
                Arguments.of("bootstrap servers without a port", "kafka.bootstrapServers", "kafka"),
                Arguments.of("a non-boolean switch", "kafka.embedded.enabled", "maybe"),
                Arguments.of("an embedded Kafka of no nodes", "kafka.embedded.replicas", 0),
                Arguments.of("a replication factor of 0", "kafka.embedded.replicationFactor", 0),
                Arguments.of("a min.insync.replicas that is no number", "kafka.embedded.minInsyncReplicas", "two"),
                Arguments.of("a security protocol Kafka does not know", "kafka.security.protocol", "SASL"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidValues")
    void valuesOutsideTheSchemaAreRejected(String scenario, String key, Object value) {
        Chart chart = Chart.withDefaults().set(key, value);

        assertThatThrownBy(chart::template)
                .hasMessageContaining("values don't meet the specifications of the schema");
    }

    @Test
    void moreCleanerOrStatsReplicasThanCanGetAPartitionAreRefused() {
        assertThatThrownBy(Chart.withDefaults().set("cleaner.replicas", 4)::template)
                .hasMessageContaining("cleaner.replicas is 4, but only 3 cleaner replicas can get work");
        assertThatThrownBy(Chart.withDefaults().set("stats.autoscaling.enabled", true)
                .set("stats.autoscaling.maxReplicas", 5)::template)
                .hasMessageContaining("stats.autoscaling.maxReplicas is 5, but only 3 stats replicas");

        assertThat(Chart.withDefaults().set("stats.replicas", 6).set("config.stats.standbyReplicas", 1)
                .render().get(Deployment.class, "stats").getSpec().getReplicas())
                .as("standby tasks give 3 more stats replicas work").isEqualTo(6);
        assertThat(Chart.withDefaults().set("kafka.topics.partitions", 12).set("cleaner.replicas", 12)
                .render().get(Deployment.class, "cleaner").getSpec().getReplicas()).isEqualTo(12);
    }

    @Test
    void clustersWithoutPolicyV1AndAutoscalingV2AreRefused() {
        assertThatThrownBy(Chart.withDefaults().kubeVersion("1.22.0")::template)
                .hasMessageContaining("incompatible with Kubernetes v1.22.0");
    }

    @Test
    void theDefaultsContainNoSecrets() {
        String values = Project.read("deploy/helm/login-pulse/values.yaml").toLowerCase();

        // a key named like a credential, with a non-empty value of its own (Secret names are fine)
        assertThat(values).doesNotContainPattern(
                "(?m)^\\s*[\\w.-]*(password|passwd|token|apikey|api_key|jaas)[\\w.-]*:[ \\t]*(?!\"\"|''|$|#)\\S");
        assertThat(values).doesNotContain("scramloginmodule", "plainloginmodule");
        assertThat(Chart.withDefaults().set("kafka.embedded.enabled", true).render().stream()
                .map(HasMetadata::getKind)).doesNotContain("Secret");
    }

    static Stream<ValueSet> valueSets() {
        return Stream.of(ValueSet.defaults(), ValueSet.production(), ValueSet.embeddedKafka());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valueSets")
    void eachValueSetRendersExactlyTheWorkloadsItIsMeantToRun(ValueSet valueSet) {
        Chart.Rendered rendered = valueSet.chart().render();

        assertThat(workloadsIn(rendered)).as("workloads rendered with %s", valueSet)
                .containsExactlyInAnyOrderElementsOf(valueSet.workloads());
    }

    /**
     * A way to render the chart and the workloads (kind/name) it must then render, written down here rather than read
     * from the chart, so that a test looping over what was rendered cannot pass on an empty or partial render.
     */
    record ValueSet(String name, Chart chart, List<String> workloads) {

        static ValueSet defaults() {
            return new ValueSet("default values", Chart.withDefaults(), List.of("Deployment/generator",
                    "Deployment/cleaner", "Deployment/stats", "Deployment/archiver", "Deployment/dashboard"));
        }

        static ValueSet production() {
            return new ValueSet("values-production.yaml", Chart.withProductionValues(),
                    List.of("Deployment/cleaner", "Deployment/stats", "Deployment/archiver", "Deployment/dashboard"));
        }

        static ValueSet embeddedKafka() {
            // helm-java renders no hooks; as a plain Job the topic job becomes visible (revision 1: helm template)
            return new ValueSet("embedded Kafka", Chart.withDefaults().set("kafka.embedded.enabled", true)
                    .set("kafka.embedded.topicsJob.helmHook", false),
                    List.of("Deployment/generator", "Deployment/cleaner", "Deployment/stats", "Deployment/archiver",
                            "Deployment/dashboard", "StatefulSet/kafka", "Job/kafka-topics-1"));
        }

        /** The rendered chart, once it is known to hold exactly the expected workloads. */
        Chart.Rendered render() {
            Chart.Rendered rendered = chart.render();
            assertThat(workloadsIn(rendered)).as("workloads rendered with %s", name)
                    .containsExactlyInAnyOrderElementsOf(workloads);
            return rendered;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** Every resource that runs pods, as kind/name. */
    private static List<String> workloadsIn(Chart.Rendered rendered) {
        return rendered.stream().filter(resource -> WORKLOAD_KINDS.contains(resource.getKind()))
                .map(resource -> resource.getKind() + "/" + resource.getMetadata().getName()).toList();
    }

    private static void assertProbe(String name, Container container, HTTPGetAction probe, String path, int port) {
        assertThat(probe.getPath()).as(name).isEqualTo(path);
        assertThat(resolve(container, probe.getPort())).as(name + " " + path).isEqualTo(port);
    }

    /** A port number, or a port name resolved against the container's ports. */
    private static int resolve(Container container, IntOrString port) {
        if (port.getIntVal() != null) {
            return port.getIntVal();
        }
        return container.getPorts().stream().filter(p -> port.getStrVal().equals(p.getName()))
                .map(ContainerPort::getContainerPort).findFirst()
                .orElseThrow(() -> new AssertionError("No container port named " + port.getStrVal()));
    }

    private static Container onlyContainer(PodSpec pod) {
        assertThat(pod.getContainers()).hasSize(1);
        return pod.getContainers().get(0);
    }

    private static Map<String, String> env(Container container) {
        return container.getEnv().stream().filter(e -> e.getValue() != null)
                .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
    }

    private static boolean emptyDirMountedAt(PodSpec pod, Container container, String path) {
        Map<String, Volume> volumes = pod.getVolumes().stream()
                .collect(Collectors.toMap(Volume::getName, Function.identity()));
        return container.getVolumeMounts().stream()
                .filter(mount -> mount.getMountPath().equals(path))
                .map(VolumeMount::getName)
                .map(volumes::get)
                .anyMatch(volume -> volume != null && volume.getEmptyDir() != null);
    }

    /** Every pod template the chart renders (Deployments, the embedded Kafka, the topic Job), by workload name. */
    private static Map<String, PodSpec> podSpecs(Chart.Rendered rendered) {
        Map<String, PodSpec> pods = new LinkedHashMap<>();
        rendered.all(Deployment.class)
                .forEach(d -> pods.put(d.getMetadata().getName(), d.getSpec().getTemplate().getSpec()));
        rendered.all(StatefulSet.class)
                .forEach(s -> pods.put(s.getMetadata().getName(), s.getSpec().getTemplate().getSpec()));
        rendered.all(Job.class).forEach(j -> pods.put(j.getMetadata().getName(), j.getSpec().getTemplate().getSpec()));
        return pods;
    }
}
