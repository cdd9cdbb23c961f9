package dev.loginpulse.dashboard.ops;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.loginpulse.devbroker.KafkaBroker;
import dev.loginpulse.devbroker.TopicClient;
import dev.loginpulse.events.Topics;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.websockets.next.BasicWebSocketConnector;
import io.quarkus.websockets.next.WebSocketClientConnection;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

/**
 * The operations view of a real single broker: {@code /ws/ops} pushes snapshots with the broker up and the active
 * controller, every pipeline topic, the lag of a group that committed part of a partition, and the services: the
 * dashboard's own metrics read over HTTP, and one down; {@code GET /ops} renders and links back to the live page.
 */
@QuarkusTest
@WithTestResource(value = OpsBrokerResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class OpsViewTest {

    /** Only for when a condition never comes. */
    private static final Duration BOUND = Duration.ofSeconds(60);
    private static final String GROUP = "cleaner";
    private static final int PRODUCED = 5;
    private static final long COMMITTED = 2;

    KafkaBroker broker;

    @Inject
    BasicWebSocketConnector webSocket;

    @Inject
    ObjectMapper mapper;

    @Inject
    OpsConfig config;

    @TestHTTPResource("/")
    URI baseUri;

    @Test
    void socketPushesTheBrokerUpAsActiveControllerTheTopicsAndTheLagOfACommittedGroup() throws Exception {
        TopicPartition raw0 = new TopicPartition(Topics.USER_LOGIN, 0);
        try (KafkaProducer<byte[], byte[]> producer = TopicClient.of(broker).rawProducer()) {
            for (int i = 0; i < PRODUCED; i++) {
                producer.send(new ProducerRecord<>(Topics.USER_LOGIN, 0, null, ("{\"n\":" + i + "}").getBytes()))
                        .get(30, TimeUnit.SECONDS);
            }
        }
        try (Admin admin = broker.admin()) {
            admin.alterConsumerGroupOffsets(GROUP, Map.of(raw0, new OffsetAndMetadata(COMMITTED))).all()
                    .get(30, TimeUnit.SECONDS);
        }
        assertThat(config.groups()).contains(GROUP);

        List<JsonNode> messages = new CopyOnWriteArrayList<>();
        WebSocketClientConnection connection = webSocket.baseUri(baseUri).path(OpsSocket.PATH)
                .onTextMessage((c, text) -> messages.add(read(text)))
                .connectAndAwait();
        try {
            await().atMost(BOUND).until(() -> messages.stream().anyMatch(m -> lagOf(m, GROUP, raw0) != null));
            JsonNode message = messages.stream().filter(m -> lagOf(m, GROUP, raw0) != null).findFirst().orElseThrow();
            assertThat(message.get("type").asText()).isEqualTo(OpsMessage.SNAPSHOT);
            JsonNode ops = message.get("ops");
            assertThat(ops.get("brokers_up").asInt()).isEqualTo(1);
            JsonNode node = ops.get("brokers").get(0);
            assertThat(node.get("id").asInt()).isEqualTo(broker.nodeId());
            assertThat(node.get("up").asBoolean()).isTrue();
            assertThat(node.get("voter").asBoolean()).isTrue();
            assertThat(node.get("active_controller").asBoolean()).isTrue();
            assertThat(node.get("level").asText()).isEqualTo("ok");
            assertThat(ops.get("active_controller").asInt()).isEqualTo(broker.nodeId());
            assertThat(ops.get("topics").findValuesAsText("topic")).containsExactlyInAnyOrderElementsOf(Topics.ALL);
            assertThat(ops.get("under_replicated").asInt()).isZero();
            assertThat(ops.get("offline").asInt()).isZero();
            JsonNode rawTopic = topic(ops, Topics.USER_LOGIN);
            assertThat(rawTopic.get("end_offset").asLong()).isEqualTo(PRODUCED);
            assertThat(lagOf(message, GROUP, raw0)).isEqualTo(PRODUCED - COMMITTED);
            JsonNode self = ops.get("services").get(0);
            assertThat(self.get("name").asText()).isEqualTo(OpsBrokerResource.SELF);
            assertThat(self.get("up").asBoolean()).as("its own /q/metrics").isTrue();
            assertThat(self.get("uptime_seconds").asDouble()).isPositive();
            assertThat(self.get("heap_used_bytes").asDouble()).isPositive();
            assertThat(self.get("level").asText()).isEqualTo("ok");
            JsonNode down = ops.get("services").get(1);
            assertThat(down.get("name").asText()).isEqualTo(OpsBrokerResource.DOWN_SERVICE);
            assertThat(down.get("up").asBoolean()).isFalse();
            assertThat(down.get("level").asText()).isEqualTo("critical");
            assertThat(ops.get("level").asText()).as("a service down").isEqualTo("critical");

            // Every interval another snapshot, now with rates: nothing produced since, so 0 per second.
            int seen = messages.size();
            await().atMost(BOUND).until(() -> messages.size() > seen
                    && !topic(messages.get(messages.size() - 1).get("ops"), Topics.USER_LOGIN).get("produce_rate")
                            .isNull());
            assertThat(topic(messages.get(messages.size() - 1).get("ops"), Topics.USER_LOGIN).get("produce_rate")
                    .asDouble()).isZero();
        } finally {
            connection.closeAndAwait();
        }
    }

    @Test
    void opsPageRendersWithItsThresholdsAndLinksToAndFromTheLivePage() {
        given().get(OpsPage.PATH).then().statusCode(200)
                .contentType(containsString("text/html"))
                .body(containsString("src=\"/js/ops.js\""))
                .body(containsString("href=\"/\""))
                .body(containsString("lag of " + config.lagWarn() + " records or more"))
                .body(containsString("<code>" + GROUP + "</code>"));
        given().get("/js/ops.js").then().statusCode(200).body(containsString(OpsSocket.PATH));
        given().get("/ops.css").then().statusCode(200);
        given().get("/").then().statusCode(200).body(containsString("href=\"" + OpsPage.PATH + "\""));
    }

    private JsonNode read(String text) {
        try {
            return mapper.readTree(text);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode topic(JsonNode ops, String name) {
        for (JsonNode topic : ops.get("topics")) {
            if (topic.get("topic").asText().equals(name)) {
                return topic;
            }
        }
        throw new AssertionError("no topic " + name + " in " + ops);
    }

    /** The lag of a group's partition in a message, or null if it has none. */
    private static Long lagOf(JsonNode message, String group, TopicPartition partition) {
        for (JsonNode g : message.get("ops").get("groups")) {
            if (!g.get("group").asText().equals(group)) {
                continue;
            }
            for (JsonNode p : g.get("partitions")) {
                if (p.get("topic").asText().equals(partition.topic())
                        && p.get("partition").asInt() == partition.partition() && !p.get("lag").isNull()) {
                    return p.get("lag").asLong();
                }
            }
        }
        return null;
    }
}
