package dev.loginpulse.archiver.history;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.fasterxml.jackson.databind.JsonNode;

import dev.loginpulse.devbroker.KafkaBroker;
import dev.loginpulse.devbroker.KafkaBrokerTestResource;
import dev.loginpulse.events.CleanLogin;
import dev.loginpulse.events.Json;
import dev.loginpulse.events.Topics;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * The history API on a real broker: clean logins of two days (and a third outside every query) go through the
 * archiver into the lake; each answer equals the test's own count of logins and distinct users per (state, period),
 * made from the logins it sent.
 */
@QuarkusTest
@TestProfile(OwnWarehouseProfile.class)
@WithTestResource(value = KafkaBrokerTestResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HistoryResourceTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String[] STATES = { "TX", "CA", "RI", "UNK" };
    private static final Instant DAY_1 = Instant.parse("2026-11-30T00:00:00Z");

    KafkaBroker broker;

    private final List<CleanLogin> sent = new ArrayList<>();
    private boolean archived;

    @BeforeAll
    void archiveThreeDaysOfLogins() throws Exception {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()), new StringSerializer(),
                new ByteArraySerializer())) {
            // the raw records the clean logins name as their sources (0:0..0:1799): the archiver refuses source
            // offsets beyond the end of the raw partition
            for (int i = 0; i < 1_800; i++) {
                producer.send(new ProducerRecord<>(Topics.USER_LOGIN, 0, null, new byte[] { 1 }));
            }
            // 3 days x 600 logins, 137 s apart from each day's midnight, users repeating within and across states
            for (int i = 0; i < 1_800; i++) {
                Instant time = DAY_1.plus(i / 600, ChronoUnit.DAYS).plusSeconds((i % 600) * 137L % 86_400);
                CleanLogin login = new CleanLogin(time.toString(), STATES[(i * 7) % STATES.length], "ios",
                        "user-" + (i * 13) % 97, "1.0", "10.0.0.1", "device-1");
                ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.USER_LOGIN_CLEAN, login.locale(),
                        Json.MAPPER.writeValueAsBytes(login));
                record.headers().add(Topics.SOURCE_OFFSET, ("0:" + i).getBytes(StandardCharsets.UTF_8));
                producer.send(record);
                sent.add(login);
            }
            producer.flush();
        }
    }

    /** Until the lake holds every login sent (RestAssured knows the application's port only from here on). */
    @BeforeEach
    void awaitArchived() {
        if (!archived) {
            await().atMost(TIMEOUT).untilAsserted(() -> given().get(HistoryResource.PATH
                    + "?from=2026-11-30&to=2026-12-02").then().statusCode(200)
                    .body("items.logins.sum()", equalTo(sent.size())));
            archived = true;
        }
    }

    @Test
    void everyStateByDayEqualsTheTestsOwnCountOfLoginsAndDistinctUsers() {
        JsonNode answer = get(HistoryResource.PATH + "?from=2026-11-30&to=2026-12-01&granularity=day");

        assertThat(answer.path("from").asText()).isEqualTo("2026-11-30T00:00:00Z");
        assertThat(answer.path("to").asText()).as("a date 'to' includes that day").isEqualTo("2026-12-02T00:00:00Z");
        assertThat(answer.path("granularity").asText()).isEqualTo("day");
        assertThat(items(answer)).isEqualTo(expected(DAY_1, DAY_1.plus(2, ChronoUnit.DAYS), null, ChronoUnit.DAYS));
    }

    @Test
    void oneStateByHourWithinInstantsEqualsTheTestsOwnCount() {
        Instant from = DAY_1.plus(1, ChronoUnit.DAYS).plus(5, ChronoUnit.HOURS);
        Instant to = from.plus(14, ChronoUnit.HOURS);
        JsonNode answer = get(HistoryResource.PATH + "/tx?from=" + from + "&to=" + to + "&granularity=hour");

        Map<String, String> expected = expected(from, to, "TX", ChronoUnit.HOURS);
        assertThat(expected).as("the test's own data has TX logins in that range").hasSizeGreaterThan(5);
        assertThat(items(answer)).isEqualTo(expected);
    }

    @Test
    void aPartialPeriodIsWidenedToTheWholePeriod() {
        JsonNode answer = get(HistoryResource.PATH + "?from=2026-12-01T10:15:00Z&to=2026-12-01T11:05:00Z&granularity=hour");

        assertThat(answer.path("from").asText()).isEqualTo("2026-12-01T10:00:00Z");
        assertThat(answer.path("to").asText()).isEqualTo("2026-12-01T12:00:00Z");
        assertThat(items(answer)).isEqualTo(expected(Instant.parse("2026-12-01T10:00:00Z"),
                Instant.parse("2026-12-01T12:00:00Z"), null, ChronoUnit.HOURS));
    }

    @Test
    void aRangeWithoutLoginsHasNoItems() {
        assertThat(get(HistoryResource.PATH + "?from=2026-01-01&to=2026-01-31").path("items")).isEmpty();
    }

    @Test
    void badRangesAreRefusedWithTheReason() {
        given().get(HistoryResource.PATH + "?to=2026-12-01").then().statusCode(400)
                .body("message", containsString("'from' is required"));
        given().get(HistoryResource.PATH + "?from=yesterday&to=2026-12-01").then().statusCode(400)
                .body("message", containsString("neither an ISO date"));
        given().get(HistoryResource.PATH + "?from=2026-12-02&to=2026-12-01").then().statusCode(400)
                .body("message", containsString("must be before"));
        given().get(HistoryResource.PATH + "?from=2026-01-01&to=2026-12-01&granularity=minute").then()
                .statusCode(400).body("message", containsString("'day' or 'hour'"));
        given().get(HistoryResource.PATH + "?from=2026-01-01&to=2026-03-01&granularity=hour").then()
                .statusCode(400).body("message", containsString("longer than the 31 days"));
        given().get(HistoryResource.PATH + "?from=2024-01-01&to=2026-01-01").then().statusCode(400)
                .body("status", equalTo(400)).body("message", containsString("366 days"));
    }

    @Test
    void anUnknownStateIsNotFound() {
        given().get(HistoryResource.PATH + "/XX?from=2026-11-30&to=2026-12-01").then().statusCode(404)
                .body("message", containsString("Unknown state code 'XX'"));
    }

    @Test
    void theOpenApiDocumentDescribesTheHistoryApi() {
        given().get("/q/openapi?format=json").then().statusCode(200)
                .body(containsString(HistoryResource.PATH + "/{code}"));
    }

    /** Logins and distinct users per "state period_start" of what the test sent, counted here. */
    private Map<String, String> expected(Instant from, Instant to, String state, ChronoUnit period) {
        Map<String, List<String>> users = new TreeMap<>();
        for (CleanLogin login : sent) {
            Instant time = Instant.parse(login.timestamp());
            if (!time.isBefore(from) && time.isBefore(to) && (state == null || state.equals(login.locale()))) {
                users.computeIfAbsent(login.locale() + " " + time.truncatedTo(period), key -> new ArrayList<>())
                        .add(login.userId());
            }
        }
        Map<String, String> counts = new TreeMap<>();
        users.forEach((key, ids) -> counts.put(key, ids.size() + " logins, " + new HashSet<>(ids).size() + " users"));
        return counts;
    }

    private static Map<String, String> items(JsonNode answer) {
        Map<String, String> counts = new TreeMap<>();
        Set<String> order = new HashSet<>();
        String previous = "";
        for (JsonNode item : answer.path("items")) {
            String key = item.path("state").asText() + " " + item.path("period_start").asText();
            String sortKey = item.path("period_start").asText() + " " + item.path("state").asText();
            assertThat(sortKey).as("items by period, then state").isGreaterThan(previous);
            previous = sortKey;
            assertThat(order.add(key)).as("one item per (state, period): %s", key).isTrue();
            counts.put(key, item.path("logins").asLong() + " logins, " + item.path("distinct_users").asLong() + " users");
        }
        return counts;
    }

    private static JsonNode get(String path) {
        try {
            return Json.MAPPER.readTree(given().get(path).then().statusCode(200).extract().asByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
