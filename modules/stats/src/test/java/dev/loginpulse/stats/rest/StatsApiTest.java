package dev.loginpulse.stats.rest;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.fasterxml.jackson.databind.JsonNode;

import dev.loginpulse.devbroker.KafkaBroker;
import dev.loginpulse.devbroker.KafkaBrokerTestResource;
import dev.loginpulse.events.CleanLogin;
import dev.loginpulse.events.Json;
import dev.loginpulse.events.JsonSerde;
import dev.loginpulse.events.Topics;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The REST API of one stats instance on a real broker: clean logins in, interactive queries out, and every bad request
 * answered with a JSON error. The test profile sets the IP alert threshold to 3 and the top list to 5.
 */
@QuarkusTest
@WithTestResource(value = KafkaBrokerTestResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StatsApiTest {

    private static final Duration PROCESSING_TIMEOUT = Duration.ofSeconds(120);

    KafkaBroker broker;

    @BeforeAll
    void feedLogins() throws Exception {
        Instant now = Instant.now();
        try (KafkaProducer<String, CleanLogin> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()), new StringSerializer(),
                JsonSerde.cleanLogin())) {
            // RI: 4 logins from one IP (over the threshold of 3), 3 users; TX: 2 logins; UNK: 1
            send(producer, now, "RI", "u1", "android", "2.3.0", "10.0.0.1", "d1");
            send(producer, now, "RI", "u1", "android", "2.3.0", "10.0.0.1", "d1");
            send(producer, now, "RI", "u2", "android", "2.4.0", "10.0.0.1", "d2");
            send(producer, now, "RI", "u3", "ios", "2.3.0", "10.0.0.1", "d3");
            send(producer, now, "TX", "u4", "ios", "2.3.0", "10.0.0.2", "d4");
            send(producer, now, "TX", "u5", "web", "3.0.0", "10.0.0.3", "d5");
            send(producer, now, "UNK", "u6", "web", "3.0.0", "10.0.0.2", "d6");
        }
    }

    private static void send(KafkaProducer<String, CleanLogin> producer, Instant time, String state, String user,
            String device, String version, String ip, String deviceId) throws Exception {
        CleanLogin login = new CleanLogin(Instant.ofEpochSecond(time.getEpochSecond()).toString(), state, device, user,
                version, ip, deviceId);
        producer.send(new ProducerRecord<>(Topics.USER_LOGIN_CLEAN, state, login)).get(30, TimeUnit.SECONDS);
    }

    private static Response awaitGet(String path, Predicate<Response> ready) {
        Response[] last = new Response[1];
        await().atMost(PROCESSING_TIMEOUT).pollInterval(Duration.ofMillis(500)).until(() -> {
            last[0] = given().get(path);
            return last[0].statusCode() == 200 && ready.test(last[0]);
        });
        return last[0];
    }

    /** A map of the newest window, in the order of the JSON (most logins first). */
    private static List<Map.Entry<String, Long>> ordered(Response response, String... path) throws IOException {
        JsonNode node = Json.MAPPER.readTree(response.asString()).get("windows").get(0);
        for (String name : path) {
            node = node.get(name);
        }
        List<Map.Entry<String, Long>> entries = new ArrayList<>();
        node.properties().forEach(entry -> entries.add(Map.entry(entry.getKey(), entry.getValue().asLong())));
        return entries;
    }

    @Test
    void aStateAnswersWithItsTotalAndWindowsFromThisInstance() {
        Response response = awaitGet("/api/states/RI", r -> r.jsonPath().getLong("total_logins") == 4);

        assertThat(response.jsonPath().getString("state")).isEqualTo("RI");
        assertThat(response.jsonPath().getString("name")).isEqualTo("Rhode Island");
        assertThat(response.jsonPath().getList("windows.logins", Long.class)).hasSize(6).containsOnly(4L);
        assertThat(response.jsonPath().getList("windows.unique_users", Long.class)).containsOnly(3L);
        assertThat(response.header(QueryRouter.SERVED_BY)).startsWith("127.0.0.1:");
    }

    @Test
    void stateCodesAreCaseInsensitiveAndUnknownLocalesAreAState() {
        awaitGet("/api/states/tx", r -> r.jsonPath().getLong("total_logins") == 2);

        Response unknown = awaitGet("/api/states/UNK", r -> r.jsonPath().getLong("total_logins") == 1);

        assertThat(unknown.jsonPath().getString("name")).isEqualTo("Unknown locale");
    }

    @Test
    void aStateWithoutLoginsHasNoWindows() {
        Response response = awaitGet("/api/states/WY", r -> true);

        assertThat(response.jsonPath().getString("name")).isEqualTo("Wyoming");
        assertThat(response.jsonPath().getLong("total_logins")).isZero();
        assertThat(response.jsonPath().getList("windows")).isEmpty();
    }

    @Test
    void anUnknownStateCodeIsA404WithAJsonError() {
        Response response = given().get("/api/states/ZZ");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.contentType()).startsWith("application/json");
        assertThat(response.jsonPath().getInt("status")).isEqualTo(404);
        assertThat(response.jsonPath().getString("error")).isEqualTo("Not Found");
        assertThat(response.jsonPath().getString("message")).contains("Unknown state code 'ZZ'");
        assertThat(response.header(QueryRouter.SERVED_BY)).as("rejected by this instance").startsWith("127.0.0.1:");
    }

    @Test
    void devicesGiveTheDeviceMixAppVersionsAndDistinctCountsPerWindow() throws IOException {
        Response response = awaitGet("/api/devices",
                r -> !r.jsonPath().getList("windows").isEmpty() && r.jsonPath().getLong("windows[0].logins") == 7
                        && r.jsonPath().getLong("windows[0].distinct_ips") == 3);

        assertThat(response.jsonPath().getString("view")).isEqualTo("hopping");
        assertThat(ordered(response, "device_types")).containsExactly(Map.entry("android", 3L), Map.entry("ios", 2L),
                Map.entry("web", 2L));
        assertThat(ordered(response, "app_versions", "android")).containsExactly(Map.entry("2.3.0", 2L),
                Map.entry("2.4.0", 1L));
        assertThat(response.jsonPath().getLong("windows[0].distinct_devices")).isEqualTo(6);
        assertThat(response.jsonPath().getDouble("windows[0].distinct_devices_rse")).isBetween(0.016, 0.017);

        Response tumbling = awaitGet("/api/devices?view=tumbling",
                r -> !r.jsonPath().getList("windows").isEmpty() && r.jsonPath().getLong("windows[0].logins") == 7);
        assertThat(tumbling.jsonPath().getString("view")).isEqualTo("tumbling");
        assertThat(tumbling.jsonPath().getList("windows")).hasSize(1);
    }

    @Test
    void localesGiveLoginsPerStateCode() throws IOException {
        Response response = awaitGet("/api/locales",
                r -> !r.jsonPath().getList("windows").isEmpty() && r.jsonPath().getLong("windows[0].logins") == 7);

        assertThat(ordered(response, "locales")).containsExactly(Map.entry("RI", 4L), Map.entry("TX", 2L),
                Map.entry("UNK", 1L));
    }

    @Test
    void topIpsAreLimitedAndFlagTheIpOverTheThreshold() {
        Response response = awaitGet("/api/ips/top?limit=2",
                r -> !r.jsonPath().getList("windows").isEmpty() && r.jsonPath().getLong("windows[0].distinct_ips") == 3
                        && r.jsonPath().getList("windows[0].ips").size() == 2);

        assertThat(response.jsonPath().getInt("limit")).isEqualTo(2);
        assertThat(response.jsonPath().getLong("alert_threshold")).isEqualTo(3);
        assertThat(response.jsonPath().getString("windows[0].ips[0].ip")).isEqualTo("10.0.0.1");
        assertThat(response.jsonPath().getLong("windows[0].ips[0].logins")).isEqualTo(4);
        assertThat(response.jsonPath().getBoolean("windows[0].ips[0].flagged")).isTrue();
        assertThat(response.jsonPath().getString("windows[0].ips[1].ip")).isEqualTo("10.0.0.2");
        assertThat(response.jsonPath().getBoolean("windows[0].ips[1].flagged")).isFalse();
        assertThat(response.jsonPath().getLong("windows[0].ips_over_threshold")).isEqualTo(1);
    }

    @Test
    void topIpsWithoutALimitListUpToTheDefault() {
        Response response = awaitGet("/api/ips/top", r -> !r.jsonPath().getList("windows").isEmpty()
                && r.jsonPath().getList("windows[0].ips").size() == 3);

        assertThat(response.jsonPath().getInt("limit")).isEqualTo(5);
    }

    @Test
    void aLimitThatIsNotAWholeNumberFromOneToTheTopSizeIsA400WithAJsonError() {
        for (String limit : new String[] { "0", "-1", "6", "abc", "2.5", "99999999999" }) {
            Response response = given().queryParam("limit", limit).get("/api/ips/top");

            assertThat(response.statusCode()).as("limit=%s", limit).isEqualTo(400);
            assertThat(response.jsonPath().getString("error")).isEqualTo("Bad Request");
            assertThat(response.jsonPath().getString("message")).as("limit=%s", limit).contains("limit must be")
                    .contains("5");
        }
    }

    @Test
    void anUnknownViewIsA400WithAJsonError() {
        for (String path : new String[] { "/api/devices?view=weekly", "/api/ips/top?view=x", "/api/locales?view=1" }) {
            Response response = given().get(path);

            assertThat(response.statusCode()).as(path).isEqualTo(400);
            assertThat(response.jsonPath().getString("message")).as(path).contains("view must be one of hopping, tumbling");
        }
    }

    @Test
    void theOpenApiDocumentDescribesEveryQuery() {
        Response response = given().queryParam("format", "json").get("/q/openapi");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.jsonPath().getMap("paths")).containsKeys("/api/states/{code}", "/api/devices",
                "/api/ips/top", "/api/locales");
        assertThat(response.asString()).contains("\"404\"", "\"400\"", "limit");
    }

    @Test
    void healthStaysUp() {
        await().atMost(PROCESSING_TIMEOUT).until(() -> given().get("/q/health/ready").statusCode() == 200);

        assertThat(given().get("/q/health/live").statusCode()).isEqualTo(200);
    }
}
