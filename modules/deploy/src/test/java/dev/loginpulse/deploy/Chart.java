package dev.loginpulse.deploy;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;

import io.fabric8.kubernetes.api.model.HasMetadata;

/** Renders deploy/helm/login-pulse with Helm (helm-java: Helm's own Go code, no binary) and parses the result. */
final class Chart {

    static final Path CHART = Project.file("deploy/helm/login-pulse");
    static final Path PRODUCTION_VALUES = Project.file("deploy/helm/values-production.yaml");
    static final String RELEASE = "login-pulse";
    static final String NAMESPACE = "pulse";
    /** A current Kubernetes; helm-java's client-only default (1.20) is older than the chart supports. */
    static final String KUBE_VERSION = "1.31.0";

    private final Path valuesFile;
    private final Map<String, Object> values = new LinkedHashMap<>();
    private String kubeVersion = KUBE_VERSION;

    private Chart(Path valuesFile) {
        this.valuesFile = valuesFile;
    }

    static Chart withDefaults() {
        return new Chart(null);
    }

    static Chart withProductionValues() {
        return new Chart(PRODUCTION_VALUES);
    }

    Chart set(String key, Object value) {
        values.put(key, value);
        return this;
    }

    Chart kubeVersion(String version) {
        this.kubeVersion = version;
        return this;
    }

    /** {@code helm template}: the manifests as YAML; hooks are left out (helm-java renders the release manifest). */
    String template() {
        TemplateCommand command = new Helm(CHART).template().withName(RELEASE).withNamespace(NAMESPACE)
                .withKubeVersion(kubeVersion);
        if (valuesFile != null) {
            command = command.withValuesFile(valuesFile);
        }
        for (Map.Entry<String, Object> value : values.entrySet()) {
            command = command.set(value.getKey(), value.getValue());
        }
        return command.call();
    }

    /** The rendered manifests, each parsed strictly into the fabric8 model. */
    Rendered render() {
        return new Rendered(StrictManifests.parse(template()));
    }

    record Rendered(List<HasMetadata> resources) {

        <T extends HasMetadata> List<T> all(Class<T> kind) {
            return resources.stream().filter(kind::isInstance).map(kind::cast).toList();
        }

        <T extends HasMetadata> Optional<T> find(Class<T> kind, String name) {
            return all(kind).stream().filter(r -> r.getMetadata().getName().equals(name)).findFirst();
        }

        <T extends HasMetadata> T get(Class<T> kind, String name) {
            return find(kind, name).orElseThrow(() -> new AssertionError(
                    "No " + kind.getSimpleName() + " " + name + " in " + names()));
        }

        <T extends HasMetadata> List<String> names(Class<T> kind) {
            return all(kind).stream().map(r -> r.getMetadata().getName()).toList();
        }

        List<String> names() {
            return resources.stream().map(r -> r.getKind() + "/" + r.getMetadata().getName()).toList();
        }

        Stream<HasMetadata> stream() {
            return resources.stream();
        }
    }
}
