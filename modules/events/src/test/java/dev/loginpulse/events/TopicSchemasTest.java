package dev.loginpulse.events;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.InputFormat;
import com.networknt.schema.SchemaLocation;

import static org.assertj.core.api.Assertions.assertThat;

/** The JSON Schemas of the topics ({@link Schemas}): valid schemas, the contract's examples, what the records write. */
class TopicSchemasTest {

    private static final Path CONTRACTS = Path.of("../../docs/contracts.md");
    private static final String DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema";
    private final TopicSchemaValidator validator = new TopicSchemaValidator();

    private static JsonNode tree(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException(json, e);
        }
    }

    private static String json(Object record) {
        try {
            return Json.MAPPER.writeValueAsString(record);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Test
    void everyTopicHasOneSchemaWhoseHeaderNamesItsTopicAndVersion() {
        assertThat(Schemas.BY_TOPIC.keySet()).containsExactlyElementsOf(Topics.ALL);
        assertThat(Schemas.of(Topics.USER_LOGIN_CLEAN).headerValue()).isEqualTo("user-login-clean/1");
        assertThat(Schemas.of(Topics.USER_LOGIN_CLEAN).httpPath()).isEqualTo("/schemas/user-login-clean/v1.json");
    }

    @Test
    void everySchemaIsAValidDraft202012SchemaWithItsIdTitleAndOpenProperties() {
        com.networknt.schema.Schema meta = com.networknt.schema.SchemaRegistry
                .withDefaultDialect(com.networknt.schema.SpecificationVersion.DRAFT_2020_12)
                .getSchema(SchemaLocation.of(DRAFT_2020_12));
        for (Schemas.Schema schema : Schemas.BY_TOPIC.values()) {
            String document = TopicSchemaValidator.document(schema);
            assertThat(meta.validate(document, InputFormat.JSON)).as(schema.topic()).isEmpty();
            JsonNode node = tree(document);
            assertThat(node.path("$schema").asText()).isEqualTo(DRAFT_2020_12);
            assertThat(node.path("$id").asText()).isEqualTo("https://login-pulse.dev" + schema.httpPath());
            assertThat(node.path("title").asText()).as(schema.topic()).contains(schema.topic())
                    .contains("version " + schema.version());
            assertThat(node.path("description").asText()).as(schema.topic()).isNotBlank();
            assertThat(node.path("required").size()).as(schema.topic()).isPositive();
            assertThat(node.path("additionalProperties").asBoolean()).as(schema.topic()).isTrue();
            // the schema loads (its $refs resolve) and accepts its own examples
            for (JsonNode example : node.path("examples")) {
                assertThat(validator.errors(schema, example.toString())).as(schema.topic()).isEmpty();
            }
        }
    }

    @Test
    void aSchemaMissingItsTypeKeywordValueIsRejectedByTheMetaSchema() {
        com.networknt.schema.Schema meta = com.networknt.schema.SchemaRegistry
                .withDefaultDialect(com.networknt.schema.SpecificationVersion.DRAFT_2020_12)
                .getSchema(SchemaLocation.of(DRAFT_2020_12));

        assertThat(meta.validate("{\"type\": \"strin\", \"required\": \"user_id\"}", InputFormat.JSON)).isNotEmpty();
    }

    /** The JSON examples of each topic's section of docs/contracts.md: every value of its first json block. */
    private static List<JsonNode> contractExamples(String topic) throws IOException {
        String contracts = Files.readString(CONTRACTS, StandardCharsets.UTF_8);
        int section = contracts.indexOf("\n## `" + topic + "`");
        assertThat(section).as("section of " + topic + " in contracts.md").isNotNegative();
        Matcher block = Pattern.compile("```json\\n(.*?)```", Pattern.DOTALL).matcher(contracts);
        assertThat(block.find(section)).as("json example of " + topic).isTrue();
        List<JsonNode> examples = new ArrayList<>();
        try (MappingIterator<JsonNode> values = Json.MAPPER.readerFor(JsonNode.class).readValues(block.group(1))) {
            values.forEachRemaining(examples::add);
        }
        return examples;
    }

    @Test
    void theExamplesOfDocsContractsValidateAgainstTheirTopicsSchemas() throws IOException {
        Map<String, Integer> expectedExamples = Map.of(Topics.USER_LOGIN, 1, Topics.USER_LOGIN_CLEAN, 1,
                Topics.USER_LOGIN_STATS, 1, Topics.USER_LOGIN_INSIGHTS, 2, Topics.USER_LOGIN_STATE_INSIGHTS, 1,
                Topics.USER_LOGIN_INTEGRITY, 1);
        for (Map.Entry<String, Integer> topic : expectedExamples.entrySet()) {
            List<JsonNode> examples = contractExamples(topic.getKey());
            assertThat(examples).as(topic.getKey()).hasSize(topic.getValue());
            for (JsonNode example : examples) {
                assertThat(validator.errors(topic.getKey(), example.toString())).as(example.toString()).isEmpty();
            }
        }
    }

    @Test
    void whatTheContractRecordsSerializeToValidates() {
        String start = "2023-09-12T00:45:00Z";
        String end = "2023-09-12T00:46:00Z";
        assertThat(validator.errors(Topics.USER_LOGIN, json(new RawLogin("u1", "2.3.0", "android", "10.0.0.1", null,
                "d1", 1694479551L)))).isEmpty();
        assertThat(validator.errors(Topics.USER_LOGIN_CLEAN, json(new CleanLogin("2023-09-12T00:45:51Z", "UNK",
                "unknown", "u1", "unknown", "unknown", "unknown")))).isEmpty();
        assertThat(validator.errors(Topics.USER_LOGIN_STATS, json(new StateStats("TX", start, end, 3, 2, 7,
                "2023-09-12T00:45:51Z", 1)))).isEmpty();
        List<Insight> insights = List.of(
                new DeviceMix(Insight.HOPPING, start, end, 5, Map.of("android", 5L), 0),
                new AppVersions(Insight.TUMBLING, start, end, 5, Map.of("ios", Map.of("2.3.0", 5L)), 0),
                new LocaleMix(Insight.HOPPING, start, end, 5, Map.of("UNK", 5L)),
                new DistinctCounts(Insight.HOPPING, start, end, 5, 4, 0.01625, 3),
                new TopIps(Insight.HOPPING, start, end, 100, 0, List.of(new TopIps.IpCount("10.0.0.1", 5, false))));
        for (Insight insight : insights) {
            String written = new String(JsonSerde.insight().serialize(Topics.USER_LOGIN_INSIGHTS, insight),
                    StandardCharsets.UTF_8);
            assertThat(validator.errors(Topics.USER_LOGIN_INSIGHTS, written)).as(written).isEmpty();
        }
        assertThat(validator.errors(Topics.USER_LOGIN_STATE_INSIGHTS, json(new StateInsights("CA", start, end, 2,
                new StateInsights.Ranking(List.of(new StateInsights.Entry("android", 2)), 0),
                StateInsights.Ranking.EMPTY, StateInsights.Ranking.EMPTY)))).isEmpty();
        assertThat(validator.errors(Topics.USER_LOGIN_INTEGRITY, json(new SourceIntegrity(2,
                Map.of("malformed-source-offset", 1L), 4, "2026-12-06T23:41:10Z")))).isEmpty();
    }

    private static final String CLEAN = "{\"timestamp\":\"2023-09-12T00:45:51Z\",\"locale\":\"RI\",\"device_type\":"
            + "\"android\",\"user_id\":\"424cdd21\",\"app_version\":\"2.3.0\",\"ip\":\"199.172.111.135\","
            + "\"device_id\":\"593-47-5928\"}";

    private static String with(String json, String field, Object value) {
        ObjectNode node = (ObjectNode) tree(json);
        if (value == null) {
            node.remove(field);
        } else {
            node.set(field, Json.MAPPER.valueToTree(value));
        }
        return node.toString();
    }

    @Test
    void aCleanLoginWithUnknownExtraFieldsIsValid() {
        assertThat(validator.errors(Topics.USER_LOGIN_CLEAN, with(CLEAN, "session", Map.of("id", 7)))).isEmpty();
    }

    @Test
    void aCleanLoginMissingAFieldIsRejectedNamingTheField() {
        assertThat(validator.errors(Topics.USER_LOGIN_CLEAN, with(CLEAN, "user_id", null)))
                .singleElement().asString().contains("required").contains("user_id");
    }

    @Test
    void aCleanLoginWithANumberForAStringIsRejectedNamingTheField() {
        assertThat(validator.errors(Topics.USER_LOGIN_CLEAN, with(CLEAN, "ip", 17)))
                .singleElement().asString().contains("/ip").contains("integer").contains("string");
    }

    @Test
    void timestampsThatAreNotIsoUtcSecondsAreRejected() {
        for (Object timestamp : List.of("1694479551", "2023-09-12T00:45:51", "2023-09-12T01:45:51+01:00",
                "2023-09-12T00:45:51.123Z", "2023-13-12T00:45:51Z", 1694479551L)) {
            assertThat(validator.errors(Topics.USER_LOGIN_CLEAN, with(CLEAN, "timestamp", timestamp)))
                    .as(String.valueOf(timestamp)).isNotEmpty().allSatisfy(error -> assertThat(error).contains(
                            "/timestamp"));
        }
    }

    @Test
    void aLocaleThatIsNoStateCodeIsRejected() {
        assertThat(validator.errors(Topics.USER_LOGIN_CLEAN, with(CLEAN, "locale", "ZZ")))
                .singleElement().asString().contains("/locale");
        assertThat(validator.errors(Topics.USER_LOGIN_CLEAN, with(CLEAN, "locale", "UNK"))).isEmpty();
    }

    @Test
    void statsWithANegativeCountOrBadWindowAreRejected() {
        String stats = json(new StateStats("RI", "2023-09-12T00:45:00Z", "2023-09-12T00:46:00Z", 12, 9, 4711,
                "2023-09-12T00:45:51Z", 0));
        assertThat(validator.errors(Topics.USER_LOGIN_STATS, with(stats, "logins", -1)))
                .singleElement().asString().contains("/logins");
        assertThat(validator.errors(Topics.USER_LOGIN_STATS, with(stats, "window_end", "tomorrow")))
                .isNotEmpty().allSatisfy(error -> assertThat(error).contains("/window_end"));
        assertThat(validator.errors(Topics.USER_LOGIN_STATS, with(stats, "late_logins", null))).isEmpty();
    }

    @Test
    void anInsightIsCheckedByTheSchemaOfItsKind() {
        String topIps = "{\"kind\":\"top-ips\",\"view\":\"tumbling\",\"window_start\":\"2023-09-12T00:45:00Z\","
                + "\"window_end\":\"2023-09-12T00:45:30Z\",\"alert_threshold\":100,\"ips_over_threshold\":0,"
                + "\"ips\":[{\"ip\":\"10.0.0.1\",\"logins\":3,\"flagged\":\"no\"}]}";
        assertThat(validator.errors(Topics.USER_LOGIN_INSIGHTS, topIps))
                .anySatisfy(error -> assertThat(error).contains("/ips/0/flagged").contains("boolean"));
        String deviceMix = "{\"kind\":\"device-mix\",\"view\":\"hopping\",\"window_start\":\"2023-09-12T00:45:00Z\","
                + "\"window_end\":\"2023-09-12T00:46:00Z\",\"logins\":1,\"device_types\":{\"ios\":1}}";
        assertThat(validator.errors(Topics.USER_LOGIN_INSIGHTS, deviceMix))
                .anySatisfy(error -> assertThat(error).contains("other_logins"));
    }

    @Test
    void aRawLoginWithoutUserIdOrWithABadTimestampIsRejected() {
        String raw = "{\"user_id\":\"424cdd21\",\"locale\":\"RI\",\"timestamp\":\"1694479551\"}";
        assertThat(validator.errors(Topics.USER_LOGIN, raw)).isEmpty();
        assertThat(validator.errors(Topics.USER_LOGIN, with(raw, "user_id", null)))
                .singleElement().asString().contains("user_id");
        assertThat(validator.errors(Topics.USER_LOGIN, with(raw, "timestamp", "yesterday")))
                .isNotEmpty().allSatisfy(error -> assertThat(error).contains("/timestamp"));
        assertThat(validator.errors(Topics.USER_LOGIN, with(raw, "timestamp", "2023-09-12T01:45:51.123+01:00")))
                .isEmpty();
    }

    @Test
    void deadLetterHeadersNeedTheReasonAndWhereTheRawRecordWas() {
        String headers = "{\"dead-letter-reason\":\"NOT_JSON: truncated\",\"dead-letter-topic\":\"user-login\","
                + "\"dead-letter-partition\":\"2\",\"dead-letter-offset\":\"17\",\"pulse-schema\":\"user-login-dlq/1\"}";
        assertThat(validator.errors(Topics.USER_LOGIN_DLQ, headers)).isEmpty();
        assertThat(validator.errors(Topics.USER_LOGIN_DLQ, with(headers, "dead-letter-reason", null)))
                .singleElement().asString().contains("dead-letter-reason");
        assertThat(validator.errors(Topics.USER_LOGIN_DLQ, with(headers, "dead-letter-offset", "x17")))
                .singleElement().asString().contains("/dead-letter-offset");
    }

    @Test
    void theSchemaHeaderIsWrittenOnceAndReadBack() {
        Headers headers = new RecordHeaders();
        headers.add(Topics.SCHEMA, "user-login/1".getBytes(StandardCharsets.US_ASCII));

        Schemas.stamp(headers, Topics.USER_LOGIN_DLQ);

        assertThat(headers.headers(Topics.SCHEMA)).hasSize(1);
        assertThat(Schemas.named(headers)).contains(Schemas.USER_LOGIN_DLQ);
        assertThat(Schemas.named(new RecordHeaders())).isEmpty();
        Headers garbled = new RecordHeaders();
        garbled.add(Topics.SCHEMA, "user-login-clean/one".getBytes(StandardCharsets.US_ASCII));
        assertThat(Schemas.named(garbled)).isEmpty();
    }
}
