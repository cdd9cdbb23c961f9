package dev.loginpulse.events;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;

/**
 * Validates JSON documents against the topics' schemas ({@link Schemas}), read from this module's class path as the
 * services serve them. Formats ({@code date-time}) are asserted, not only annotated. Thread-safe; shared with the
 * end-to-end tests through the test-jar.
 */
public final class TopicSchemaValidator {

    private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
            builder -> builder.schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));
    private final Map<Schemas.Schema, Schema> schemas = new ConcurrentHashMap<>();

    /** The schema document of {@code schema}, as text, from the class path. */
    public static String document(Schemas.Schema schema) {
        try (InputStream in = TopicSchemaValidator.class.getClassLoader().getResourceAsStream(schema.resource())) {
            if (in == null) {
                throw new IllegalStateException("no schema resource " + schema.resource());
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The loaded schema of {@code schema}. */
    public Schema schema(Schemas.Schema schema) {
        return schemas.computeIfAbsent(schema, s -> registry.getSchema(document(s), InputFormat.JSON));
    }

    /**
     * What is wrong with {@code json} by {@code schema}, one line per error ({@code <location>: <message>}, e.g.
     * {@code /timestamp: does not match the regex pattern ...} or {@code (root): required property 'user_id' not found}); empty
     * when
     * it is valid.
     */
    public List<String> errors(Schemas.Schema schema, String json) {
        return schema(schema).validate(json, InputFormat.JSON).stream().map(TopicSchemaValidator::describe).toList();
    }

    /** What is wrong with {@code json} by the current schema of {@code topic}. */
    public List<String> errors(String topic, String json) {
        return errors(Schemas.of(topic), json);
    }

    private static String describe(Error error) {
        String location = String.valueOf(error.getInstanceLocation());
        return (location.isEmpty() ? "(root)" : location) + ": " + error.getMessage();
    }
}
