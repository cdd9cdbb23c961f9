package dev.loginpulse.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.loginpulse.events.CleanLogin;
import dev.loginpulse.events.Json;
import dev.loginpulse.events.JsonSerde;
import dev.loginpulse.events.Topics;
import dev.loginpulse.events.UsState;
import dev.loginpulse.launcher.PipelineOptions;
import dev.loginpulse.launcher.Service;
import dev.loginpulse.launcher.ServiceInstance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two stats instances (packaged jars, separate processes, their own state directories and HTTP ports) of one Kafka
 * Streams application on one real broker. Clean logins for every state go in; then a query to <em>either</em> instance
 * answers for every state (served by the instance that owns the state's partition, proxied otherwise), and both answer
 * the same device, locale and top-IP figures, which only one of them holds.
 */
class InteractiveQueriesIT extends PipelineTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(180);
    private static final String SERVED_BY = "X-Pulse-Served-By";

    private ServiceInstance second;
    private final Map<String, Long> expectedTotals = new LinkedHashMap<>();
    private final Map<String, Long> loginsPerIp = new HashMap<>();
    /** Per state: "device=logins" of its logins, all in one pane, so in its last full window. */
    private final Map<String, Map<String, Long>> devicesPerState = new HashMap<>();
    private long logins;

    @Override
    protected PipelineOptions options() {
        return PipelineSupport.options("interactive-queries").services(List.of(Service.STATS));
    }

    @BeforeAll
    void startSecondInstanceAndFeedEveryState() throws Exception {
        Path target = Path.of(System.getProperty("pulse.home", "../..")).toAbsolutePath().normalize()
                .resolve("modules/e2e/target");
        second = pipeline.startInstance(Service.STATS, "stats-2", 0,
                Map.of("PULSE_STATS_STATE_DIR", target.resolve("stats-state-" + UUID.randomUUID()).toString()));
        second.awaitReady(TIMEOUT);

        List<String> codes = new ArrayList<>();
        for (UsState state : UsState.values()) {
            codes.add(state.code());
        }
        codes.add(UsState.UNKNOWN);
        Instant now = Instant.ofEpochSecond(Instant.now().getEpochSecond());
        try (KafkaProducer<String, CleanLogin> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, pipeline.bootstrapServers()), new StringSerializer(),
                JsonSerde.cleanLogin())) {
            for (int i = 0; i < codes.size(); i++) {
                String code = codes.get(i);
                int count = 1 + i % 5;
                for (int n = 0; n < count; n++) {
                    String ip = "10.1.0." + (n + i % 3); // the same IPs in many states
                    CleanLogin login = new CleanLogin(now.toString(), code, n % 2 == 0 ? "android" : "ios",
                            "user-" + i + "-" + n, "2." + n + ".0", ip, "device-" + i + "-" + n);
                    producer.send(new ProducerRecord<>(Topics.USER_LOGIN_CLEAN, code, login)).get(30, TimeUnit.SECONDS);
                    loginsPerIp.merge(ip, 1L, Long::sum);
                    devicesPerState.computeIfAbsent(code, c -> new HashMap<>()).merge(login.deviceType(), 1L,
                            Long::sum);
                    logins++;
                }
                expectedTotals.put(code, (long) count);
            }
        }
    }

    @AfterAll
    void stopSecondInstance() {
        if (second != null) {
            second.stop();
        }
    }

    @Test
    void aQueryToEitherInstanceAnswersForEveryStateServedByTheInstanceThatOwnsIt() {
        List<URI> instances = List.of(pipeline.url(Service.STATS), second.url());
        Map<String, Set<String>> servedBy = new HashMap<>();

        await().atMost(TIMEOUT).pollInterval(Duration.ofSeconds(1))
                // a request may time out while the instances rebalance
                .ignoreExceptionsInstanceOf(IOException.class).untilAsserted(() -> {
                    servedBy.clear();
                    for (URI instance : instances) {
                        for (Map.Entry<String, Long> state : expectedTotals.entrySet()) {
                            HttpResponse<String> response = PipelineSupport
                                    .get(instance.resolve("/api/states/" + state.getKey()));
                            assertThat(response.statusCode()).as("%s from %s", state.getKey(), instance).isEqualTo(200);
                            JsonNode body = Json.MAPPER.readTree(response.body());
                            assertThat(body.get("total_logins").asLong()).as("%s from %s", state.getKey(), instance)
                                    .isEqualTo(state.getValue());
                            assertThat(firstWindow(response.body()).get("logins").asLong()).isEqualTo(state.getValue());
                            // the state's mix: every login of the state, its device types counted exactly
                            JsonNode mix = body.get("insights");
                            assertThat(mix.get("logins").asLong()).as("mix of %s", state.getKey())
                                    .isEqualTo(state.getValue());
                            Map<String, Long> devices = new HashMap<>();
                            mix.get("devices").get("top").forEach(entry -> devices.put(entry.get("value").asText(),
                                    entry.get("logins").asLong()));
                            assertThat(devices).as("devices of %s", state.getKey())
                                    .isEqualTo(devicesPerState.get(state.getKey()));
                            assertThat(mix.get("ips").get("max_error").asLong()).isZero();
                            assertThat(mix.get("ips").get("top")).hasSize((int) (long) state.getValue());
                            servedBy.computeIfAbsent(instance.toString(), i -> new HashSet<>())
                                    .add(response.headers().firstValue(SERVED_BY).orElseThrow());
                        }
                    }
                });

        String first = "127.0.0.1:" + pipeline.url(Service.STATS).getPort();
        String other = "127.0.0.1:" + second.port();
        // Both instances own some states, so each one served some queries itself and proxied the others.
        assertThat(servedBy.get(instances.get(0).toString())).containsExactlyInAnyOrder(first, other);
        assertThat(servedBy.get(instances.get(1).toString())).containsExactlyInAnyOrder(first, other);
    }

    @Test
    void bothInstancesAnswerTheSameDevicesLocalesAndTopIpsForAllStatesTogether() {
        List<URI> instances = List.of(pipeline.url(Service.STATS), second.url());
        // the top list's order: most logins first, ties by IP
        String topIp = loginsPerIp.entrySet().stream()
                .sorted(Map.Entry.<String, Long> comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .findFirst().orElseThrow().getKey();
        Map<String, JsonNode> devices = new HashMap<>();
        Set<String> servers = new HashSet<>();

        await().atMost(TIMEOUT).pollInterval(Duration.ofSeconds(1))
                // a request may time out while the instances rebalance
                .ignoreExceptionsInstanceOf(IOException.class).untilAsserted(() -> {
                    servers.clear();
                    for (URI instance : instances) {
                        HttpResponse<String> response = PipelineSupport.get(instance.resolve("/api/devices"));
                        assertThat(response.statusCode()).as("devices from %s", instance).isEqualTo(200);
                        JsonNode window = firstWindow(response.body());
                        assertThat(window.get("logins").asLong()).as("devices from %s", instance).isEqualTo(logins);
                        assertThat(window.get("distinct_ips").asLong()).isEqualTo(loginsPerIp.size());
                        devices.put(instance.toString(), window);
                        servers.add(response.headers().firstValue(SERVED_BY).orElseThrow());

                        JsonNode locales = firstWindow(PipelineSupport.get(instance.resolve("/api/locales")).body())
                                .get("locales");
                        for (Map.Entry<String, Long> state : expectedTotals.entrySet()) {
                            assertThat(locales.get(state.getKey()).asLong()).as(state.getKey()).isEqualTo(state.getValue());
                        }

                        JsonNode top = firstWindow(PipelineSupport.get(instance.resolve("/api/ips/top?limit=3")).body());
                        assertThat(top.get("ips")).hasSize(3);
                        assertThat(top.get("ips").get(0).get("ip").asText()).isEqualTo(topIp);
                        assertThat(top.get("ips").get(0).get("logins").asLong()).isEqualTo(loginsPerIp.get(topIp));
                    }
                });

        assertThat(devices.get(instances.get(0).toString())).isEqualTo(devices.get(instances.get(1).toString()));
        assertThat(devices.get(instances.get(0).toString()).get("device_types").get("android").asLong())
                .isPositive();
        // One instance holds the merged insights; the other proxied to it.
        assertThat(servers).hasSize(1);
    }

    /**
     * A bad request is rejected by the instance asked, even one that proxies the same request when it is valid: for
     * each bad request a valid twin with the same key (so the same partition and owner) is served by one owner from
     * both instances, while the bad request is answered by each instance itself. Were bad requests routed like valid
     * ones, the instance that does not own the key would relay the owner's rejection, naming the owner.
     */
    @Test
    void badRequestsAreAnsweredByEitherInstanceWithoutProxying() throws Exception {
        Map<URI, String> instances = Map.of(pipeline.url(Service.STATS), "127.0.0.1:" + pipeline.url(Service.STATS).getPort(),
                second.url(), "127.0.0.1:" + second.port());
        // the unknown code ZZ hashes (Kafka's default partitioner, as the store's key) to the partition of a real state
        int partitions = partitionsOf(Topics.USER_LOGIN_CLEAN);
        String twinState = expectedTotals.keySet().stream()
                .filter(code -> partition(code, partitions) == partition("ZZ", partitions)).findFirst().orElseThrow();
        Map<String, Integer> badRequests = Map.of("/api/states/ZZ", 404, "/api/ips/top?limit=0", 400);
        Map<String, String> validTwins = Map.of("/api/states/ZZ", "/api/states/" + twinState,
                "/api/ips/top?limit=0", "/api/ips/top?limit=3");

        for (Map.Entry<String, Integer> bad : badRequests.entrySet()) {
            String valid = validTwins.get(bad.getKey());
            Set<String> owners = new HashSet<>();
            await().atMost(TIMEOUT).pollInterval(Duration.ofSeconds(1))
                    // a request may time out while the instances rebalance
                    .ignoreExceptionsInstanceOf(IOException.class).untilAsserted(() -> {
                        owners.clear();
                        for (URI instance : instances.keySet()) {
                            HttpResponse<String> response = PipelineSupport.get(instance.resolve(valid));
                            assertThat(response.statusCode()).as("%s from %s", valid, instance).isEqualTo(200);
                            owners.add(response.headers().firstValue(SERVED_BY).orElseThrow());
                        }
                        assertThat(owners).as("who served %s", valid).hasSize(1);
                    });
            String owner = owners.iterator().next();
            assertThat(instances.values()).as("the owner of %s is one of the two", valid).contains(owner);

            for (Map.Entry<URI, String> instance : instances.entrySet()) {
                HttpResponse<String> response = PipelineSupport.get(instance.getKey().resolve(bad.getKey()));
                String proxiedOrNot = instance.getValue().equals(owner) ? "owner" : "proxies " + valid;

                assertThat(response.statusCode()).as("%s from %s (%s)", bad.getKey(), instance.getValue(), proxiedOrNot)
                        .isEqualTo(bad.getValue());
                assertThat(response.headers().firstValue(SERVED_BY))
                        .as("who answered %s asked at %s (%s)", bad.getKey(), instance.getValue(), proxiedOrNot)
                        .contains(instance.getValue());
            }
        }
    }

    private int partitionsOf(String topic) throws Exception {
        try (Admin admin = pipeline.broker().admin()) {
            return admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic)
                    .partitions().size();
        }
    }

    /** Kafka's default partitioner for a String key: murmur2 of its UTF-8 bytes. */
    private static int partition(String key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    /** The newest window of an insights answer; an assertion error (so that it is retried) while there is none yet. */
    private static JsonNode firstWindow(String body) throws IOException {
        JsonNode windows = Json.MAPPER.readTree(body).path("windows");
        assertThat(windows.isEmpty()).as("no windows yet in %s", body).isFalse();
        return windows.get(0);
    }
}
