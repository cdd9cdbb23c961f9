package dev.loginpulse.deploy;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The strict parser the chart tests rely on really is strict: otherwise their "parses strictly" proves nothing. */
class StrictManifestsTest {

    private static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: cleaner
              annotations:
                prometheus.io/port: "8082"
            spec:
              replicas: 2
              selector:
                matchLabels:
                  app: cleaner
              template:
                metadata:
                  labels:
                    app: cleaner
                spec:
                  containers:
                    - name: cleaner
                      image: login-pulse/cleaner:1
                      env:
                        - name: QUARKUS_HTTP_PORT
                          value: "8082"
            """;

    @Test
    void aValidDeploymentParsesIntoTheModel() {
        List<HasMetadata> resources = StrictManifests.parse("---\n" + DEPLOYMENT + "---\n");

        assertThat(resources).singleElement().isInstanceOfSatisfying(Deployment.class,
                deployment -> assertThat(deployment.getSpec().getReplicas()).isEqualTo(2));
    }

    @Test
    void anUnknownFieldFails() {
        String misspelt = DEPLOYMENT.replace("  replicas: 2", "  replicaz: 2");

        assertThatThrownBy(() -> StrictManifests.parse(misspelt))
                .hasMessageContaining("Deployment cleaner does not parse strictly")
                .hasMessageContaining("replicaz");
    }

    @Test
    void anUnknownNestedFieldFails() {
        String misplaced = DEPLOYMENT.replace("          image: login-pulse/cleaner:1",
                "          image: login-pulse/cleaner:1\n          readOnlyRootFilesystem: true");

        assertThatThrownBy(() -> StrictManifests.parse(misplaced)).hasMessageContaining("readOnlyRootFilesystem");
    }

    @Test
    void aStringWhereAnIntegerBelongsFails() {
        assertThatThrownBy(() -> StrictManifests.parse(DEPLOYMENT.replace("replicas: 2", "replicas: \"2\"")))
                .hasMessageContaining("does not parse strictly");
    }

    @Test
    void aNumberWhereAStringBelongsFails() {
        assertThatThrownBy(() -> StrictManifests.parse(DEPLOYMENT.replace("value: \"8082\"", "value: 8082")))
                .hasMessageContaining("does not parse strictly");
        assertThatThrownBy(() -> StrictManifests.parse(
                DEPLOYMENT.replace("prometheus.io/port: \"8082\"", "prometheus.io/port: 8082")))
                .hasMessageContaining("does not parse strictly");
    }

    @Test
    void theRenderedEmbeddedKafkaParsesAndAMisspeltFieldOfItsClusterSetupFails() {
        String rendered = Chart.withDefaults().set("kafka.embedded.enabled", true).template();

        assertThat(StrictManifests.parse(rendered)).extracting(r -> r.getKind() + "/" + r.getMetadata().getName())
                .contains("StatefulSet/kafka", "Service/kafka", "PodDisruptionBudget/kafka", "ConfigMap/kafka-config");
        assertThat(rendered).contains("podManagementPolicy: Parallel", "publishNotReadyAddresses: true");
        assertThatThrownBy(() -> StrictManifests.parse(rendered.replace("podManagementPolicy:", "podManagmentPolicy:")))
                .hasMessageContaining("StatefulSet kafka does not parse strictly");
        assertThatThrownBy(() -> StrictManifests.parse(
                rendered.replace("publishNotReadyAddresses:", "publishNotReadyAddress:")))
                .hasMessageContaining("Service kafka does not parse strictly");
        assertThatThrownBy(() -> StrictManifests.parse(rendered.replace("publishNotReadyAddresses: true",
                "publishNotReadyAddresses: \"true\"")))
                .as("a string where a boolean belongs").hasMessageContaining("Service kafka does not parse strictly");
    }

    @Test
    void anUnknownKindOrApiVersionFails() {
        assertThatThrownBy(() -> StrictManifests.parse(DEPLOYMENT.replace("apps/v1", "extensions/v1beta1")))
                .hasMessageContaining("Unexpected resource type extensions/v1beta1/Deployment");
    }
}
