package dev.loginpulse.events;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The JSON Schemas (draft 2020-12) of the pipeline's topics and their versions. Each is a resource of this module at
 * {@code META-INF/resources/schemas/<topic>/v<version>.json}, so every Quarkus service that depends on it serves it at
 * {@code /schemas/<topic>/v<version>.json}; {@code docs/asyncapi.yaml} refers to the same files. Records carry their
 * schema and version in the header {@link Topics#SCHEMA}, {@code <topic>/<version>}. See {@code docs/contracts.md},
 * "Schemas and versions", for what needs a new version.
 */
public final class Schemas {

    /**
     * One topic's schema.
     *
     * @param topic the topic whose values (for {@link Topics#USER_LOGIN_DLQ}: whose headers) it describes
     * @param version the current version, from 1
     */
    public record Schema(String topic, int version) {

        /** The value of the {@link Topics#SCHEMA} header, {@code <topic>/<version>}, e.g. {@code user-login-clean/1}. */
        public String headerValue() {
            return topic + "/" + version;
        }

        /** Where the services serve it, e.g. {@code /schemas/user-login-clean/v1.json}. */
        public String httpPath() {
            return "/schemas/" + topic + "/v" + version + ".json";
        }

        /** The class path resource, e.g. {@code META-INF/resources/schemas/user-login-clean/v1.json}. */
        public String resource() {
            return "META-INF/resources" + httpPath();
        }
    }

    /** The raw login as the generator writes it; the topic itself takes any bytes. */
    public static final Schema USER_LOGIN = new Schema(Topics.USER_LOGIN, 1);
    /** {@link CleanLogin}. */
    public static final Schema USER_LOGIN_CLEAN = new Schema(Topics.USER_LOGIN_CLEAN, 1);
    /** {@link StateStats}. */
    public static final Schema USER_LOGIN_STATS = new Schema(Topics.USER_LOGIN_STATS, 1);
    /** {@link Insight}, every kind. */
    public static final Schema USER_LOGIN_INSIGHTS = new Schema(Topics.USER_LOGIN_INSIGHTS, 1);
    /** {@link StateInsights}. */
    public static final Schema USER_LOGIN_STATE_INSIGHTS = new Schema(Topics.USER_LOGIN_STATE_INSIGHTS, 1);
    /** Dead letters: the value is the raw record's bytes, so this schema describes the headers. */
    public static final Schema USER_LOGIN_DLQ = new Schema(Topics.USER_LOGIN_DLQ, 1);
    /** {@link SourceIntegrity}. */
    public static final Schema USER_LOGIN_INTEGRITY = new Schema(Topics.USER_LOGIN_INTEGRITY, 1);

    /** Every topic of {@link Topics#ALL} and its schema, in flow order. */
    public static final Map<String, Schema> BY_TOPIC;

    static {
        Map<String, Schema> byTopic = new LinkedHashMap<>();
        for (Schema schema : new Schema[] { USER_LOGIN, USER_LOGIN_CLEAN, USER_LOGIN_STATS, USER_LOGIN_INSIGHTS,
                USER_LOGIN_STATE_INSIGHTS, USER_LOGIN_DLQ, USER_LOGIN_INTEGRITY }) {
            byTopic.put(schema.topic(), schema);
        }
        BY_TOPIC = Collections.unmodifiableMap(byTopic);
    }

    private Schemas() {
    }

    /** The schema of a topic of {@link Topics#ALL}. */
    public static Schema of(String topic) {
        Schema schema = BY_TOPIC.get(topic);
        if (schema == null) {
            throw new IllegalArgumentException("no schema for topic " + topic);
        }
        return schema;
    }

    /** Fresh headers holding only the {@link Topics#SCHEMA} header of {@code topic}'s schema. */
    public static Headers headers(String topic) {
        return stamp(new RecordHeaders(), topic);
    }

    /** Sets the {@link Topics#SCHEMA} header of {@code topic}'s schema, replacing any, and returns {@code headers}. */
    public static Headers stamp(Headers headers, String topic) {
        headers.remove(Topics.SCHEMA);
        headers.add(Topics.SCHEMA, of(topic).headerValue().getBytes(StandardCharsets.US_ASCII));
        return headers;
    }

    /**
     * The schema named by a record's {@link Topics#SCHEMA} header (its last one), if it has one that parses as
     * {@code <topic>/<version>}; empty for records without it (written before it existed, or by other producers).
     */
    public static Optional<Schema> named(Headers headers) {
        Header header = headers.lastHeader(Topics.SCHEMA);
        if (header == null || header.value() == null) {
            return Optional.empty();
        }
        String value = new String(header.value(), StandardCharsets.UTF_8);
        int slash = value.lastIndexOf('/');
        if (slash <= 0) {
            return Optional.empty();
        }
        try {
            int version = Integer.parseInt(value.substring(slash + 1));
            return version > 0 ? Optional.of(new Schema(value.substring(0, slash), version)) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
