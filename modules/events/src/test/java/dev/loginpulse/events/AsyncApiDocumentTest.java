package dev.loginpulse.events;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import com.fasterxml.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code docs/asyncapi.yaml} against the code: topics, schema files, versions, who sends and receives what. */
class AsyncApiDocumentTest {

    private static final Path DOCS = Path.of("../../docs");
    private static final Path SCHEMAS = Path.of("src/main/resources/META-INF/resources/schemas");
    private static final Set<String> SERVICES = Set.of("generator", "cleaner", "stats", "dashboard", "archiver");
    private static Map<String, Object> document;

    @BeforeAll
    static void read() throws IOException {
        try (Reader reader = Files.newBufferedReader(DOCS.resolve("asyncapi.yaml"), StandardCharsets.UTF_8)) {
            document = new Yaml().load(reader);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object node, String key) {
        Object value = ((Map<String, Object>) node).get(key);
        assertThat(value).as(key).isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }

    /** Every {@code $ref} value anywhere under {@code node}. */
    private static void refs(Object node, List<String> into) {
        if (node instanceof Map<?, ?> map) {
            map.forEach((key, value) -> {
                if ("$ref".equals(key)) {
                    into.add((String) value);
                } else {
                    refs(value, into);
                }
            });
        } else if (node instanceof List<?> list) {
            list.forEach(item -> refs(item, into));
        }
    }

    /** The node a local reference ({@code #/a/b}) points to, or {@code null}. */
    private static Object resolve(String ref) {
        Object node = document;
        for (String part : ref.substring(2).split("/")) {
            if (!(node instanceof Map<?, ?> map) || !map.containsKey(part)) {
                return null;
            }
            node = map.get(part);
        }
        return node;
    }

    @Test
    void isAnAsyncApi3DocumentWithALocalKafkaServer() {
        assertThat(document.get("asyncapi")).isEqualTo("3.0.0");
        assertThat(map(map(document, "servers"), "local")).containsEntry("host", "localhost:9092")
                .containsEntry("protocol", "kafka");
    }

    @Test
    void everyTopicOfThePipelineIsAChannelAndNothingElseIs() {
        List<Object> addresses = map(document, "channels").values().stream()
                .<Object> map(channel -> ((Map<?, ?>) channel).get("address")).toList();

        assertThat(addresses).containsExactlyInAnyOrderElementsOf(Topics.ALL);
    }

    @Test
    void everyLocalReferenceResolves() {
        List<String> refs = new ArrayList<>();
        refs(document, refs);

        assertThat(refs).filteredOn(ref -> ref.startsWith("#/")).hasSizeGreaterThan(40)
                .allSatisfy(ref -> assertThat(resolve(ref)).as(ref).isNotNull());
        assertThat(refs).allSatisfy(ref -> assertThat(ref).matches("#/.*|\\.\\./modules/events/.*\\.json"));
    }

    @Test
    void everyFileReferenceIsAnExistingSchemaOfItsChannelsTopicAtTheCurrentVersion() throws IOException {
        Set<String> topicsWithSchema = new HashSet<>();
        for (Object value : map(document, "channels").values()) {
            Map<?, ?> channel = (Map<?, ?>) value;
            String topic = (String) channel.get("address");
            Schemas.Schema schema = Schemas.of(topic);
            for (Object messageRef : ((Map<?, ?>) channel.get("messages")).values()) {
                Map<?, ?> message = (Map<?, ?>) resolve((String) ((Map<?, ?>) messageRef).get("$ref"));
                List<String> files = new ArrayList<>();
                refs(message, files);
                files.removeIf(ref -> ref.startsWith("#"));
                assertThat(files).as(topic).singleElement().satisfies(file -> {
                    Path path = DOCS.resolve(file).normalize();
                    assertThat(path).as(file).exists();
                    assertThat(path.toAbsolutePath().normalize()).isEqualTo(
                            SCHEMAS.resolve(topic).resolve("v" + schema.version() + ".json").toAbsolutePath().normalize());
                    assertThat(file).endsWith("/META-INF/resources" + schema.httpPath());
                    JsonNode json = Json.MAPPER.readTree(path.toFile());
                    assertThat(json.path("$id").asText()).endsWith(schema.httpPath());
                });
                topicsWithSchema.add(topic);
                // the header the document names is the one the services write
                if (!topic.equals(Topics.USER_LOGIN_DLQ)) {
                    assertThat(map(map(map(message, "headers"), "properties"), Topics.SCHEMA))
                            .as(topic).containsEntry("const", schema.headerValue());
                }
            }
        }
        assertThat(topicsWithSchema).containsExactlyInAnyOrderElementsOf(Topics.ALL);
    }

    @Test
    void theDeadLetterSchemaDescribesTheHeadersAndTheValueIsTheRawBytes() {
        Map<String, Object> deadLetter = map(map(map(document, "components"), "messages"), "deadLetter");

        assertThat(map(deadLetter, "headers").get("$ref")).asString().endsWith(Schemas.USER_LOGIN_DLQ.httpPath());
        assertThat(map(deadLetter, "payload")).containsEntry("format", "binary");
    }

    @Test
    void everyTopicHasASenderAndTheServicesSendAndReceiveWhatTheContractsSay() {
        Map<String, Set<String>> sends = new HashMap<>();
        Map<String, Set<String>> receives = new HashMap<>();
        for (Object value : map(document, "operations").values()) {
            Map<?, ?> operation = (Map<?, ?>) value;
            Map<?, ?> channel = (Map<?, ?>) resolve((String) ((Map<?, ?>) operation.get("channel")).get("$ref"));
            List<?> tags = (List<?>) operation.get("tags");
            assertThat(tags).hasSize(1);
            String service = (String) ((Map<?, ?>) tags.get(0)).get("name");
            assertThat(SERVICES).contains(service);
            Map<String, Set<String>> byAction = switch ((String) operation.get("action")) {
                case "send" -> sends;
                case "receive" -> receives;
                default -> throw new AssertionError("action " + operation.get("action"));
            };
            byAction.computeIfAbsent(service, s -> new HashSet<>()).add((String) channel.get("address"));
        }

        assertThat(sends).isEqualTo(Map.of(
                "generator", Set.of(Topics.USER_LOGIN),
                "cleaner", Set.of(Topics.USER_LOGIN_CLEAN, Topics.USER_LOGIN_DLQ),
                "stats", Set.of(Topics.USER_LOGIN_STATS, Topics.USER_LOGIN_INSIGHTS, Topics.USER_LOGIN_STATE_INSIGHTS,
                        Topics.USER_LOGIN_INTEGRITY)));
        assertThat(receives).isEqualTo(Map.of(
                "cleaner", Set.of(Topics.USER_LOGIN),
                "stats", Set.of(Topics.USER_LOGIN_CLEAN),
                "dashboard", Set.of(Topics.USER_LOGIN_STATS, Topics.USER_LOGIN_INSIGHTS,
                        Topics.USER_LOGIN_STATE_INSIGHTS, Topics.USER_LOGIN_INTEGRITY, Topics.USER_LOGIN_DLQ),
                "archiver", Set.of(Topics.USER_LOGIN_CLEAN, Topics.USER_LOGIN_STATS, Topics.USER_LOGIN_DLQ)));
    }
}
