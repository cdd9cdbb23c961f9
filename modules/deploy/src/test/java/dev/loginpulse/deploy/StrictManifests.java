package dev.loginpulse.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;

/**
 * Parses rendered manifests into the fabric8 Kubernetes model as strictly as the API server decodes them: an unknown
 * field, a wrong type (a string where an integer belongs, a number where a string belongs) or an unknown kind fails.
 * <p>
 * The fabric8 model classes keep unknown fields in an {@code @JsonAnySetter} map, which would make
 * {@code FAIL_ON_UNKNOWN_PROPERTIES} toothless; this mapper ignores those any-setters, so unknown fields fail.
 */
final class StrictManifests {

    /** The {@code apiVersion/kind}s the chart may render, with their model classes; anything else fails. */
    private static final Map<String, Class<? extends HasMetadata>> KINDS = Map.of(
            "v1/ConfigMap", ConfigMap.class,
            "v1/Service", Service.class,
            "v1/PersistentVolumeClaim", PersistentVolumeClaim.class,
            "apps/v1/Deployment", Deployment.class,
            "apps/v1/StatefulSet", StatefulSet.class,
            "batch/v1/Job", Job.class,
            "policy/v1/PodDisruptionBudget", PodDisruptionBudget.class,
            "autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class,
            "networking.k8s.io/v1/Ingress", Ingress.class,
            "networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class);

    private static final ObjectMapper MAPPER = strictMapper();

    private StrictManifests() {
    }

    /** Every document of a multi-document YAML stream, typed; empty documents are skipped. */
    static List<HasMetadata> parse(String yaml) {
        List<HasMetadata> resources = new ArrayList<>();
        try {
            for (JsonNode document : MAPPER.readerFor(JsonNode.class).<JsonNode> readValues(yaml).readAll()) {
                if (document == null || document.isNull() || document.isEmpty()) {
                    continue;
                }
                resources.add(parse(document));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Not valid YAML: " + e.getMessage(), e);
        }
        return resources;
    }

    private static HasMetadata parse(JsonNode document) throws IOException {
        String type = document.path("apiVersion").asText() + "/" + document.path("kind").asText();
        Class<? extends HasMetadata> modelClass = KINDS.get(type);
        if (modelClass == null) {
            throw new IllegalArgumentException("Unexpected resource type " + type + " in\n" + document);
        }
        try {
            return MAPPER.treeToValue(document, modelClass);
        } catch (IOException e) {
            String name = document.path("metadata").path("name").asText();
            throw new IllegalArgumentException(type + " " + name + " does not parse strictly: " + e.getMessage(), e);
        }
    }

    private static ObjectMapper strictMapper() {
        YAMLMapper mapper = YAMLMapper.builder()
                .annotationIntrospector(new JacksonAnnotationIntrospector() {
                    @Override
                    public Boolean hasAnySetter(Annotated annotated) {
                        return Boolean.FALSE;
                    }
                })
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .build();
        // Like the API server: no number or boolean where a string belongs (e.g. an unquoted annotation value).
        for (CoercionInputShape shape : List.of(CoercionInputShape.Integer, CoercionInputShape.Float,
                CoercionInputShape.Boolean)) {
            mapper.coercionConfigFor(LogicalType.Textual).setCoercion(shape, CoercionAction.Fail);
        }
        for (LogicalType type : List.of(LogicalType.Integer, LogicalType.Float, LogicalType.Boolean)) {
            mapper.coercionConfigFor(type).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        }
        return mapper;
    }
}
