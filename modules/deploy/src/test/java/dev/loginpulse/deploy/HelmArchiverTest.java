package dev.loginpulse.deploy;

import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The archiver in the Helm chart: the only writer of its Iceberg warehouse, so exactly one pod, replaced rather than
 * doubled during an upgrade, its tables on a PersistentVolumeClaim that outlives the release (docs/lake.md).
 */
class HelmArchiverTest {

    private static final String WAREHOUSE = "/var/lib/login-pulse/lake";

    @Test
    void defaultValuesRunOneArchiverThatIsReplacedNotDoubledWithItsLakeOnAKeptClaim() {
        Chart.Rendered rendered = Chart.withDefaults().render();
        Deployment archiver = rendered.get(Deployment.class, "archiver");
        PodSpec pod = archiver.getSpec().getTemplate().getSpec();
        Container container = pod.getContainers().get(0);

        assertThat(archiver.getSpec().getReplicas()).isEqualTo(1);
        assertThat(archiver.getSpec().getStrategy().getType()).isEqualTo("Recreate");
        assertThat(archiver.getSpec().getStrategy().getRollingUpdate()).isNull();
        assertThat(env(container)).containsEntry("PULSE_ARCHIVER_WAREHOUSE", WAREHOUSE)
                .containsEntry("QUARKUS_HTTP_PORT", String.valueOf(Project.httpPort("archiver")));
        assertThat(volumeAt(pod, container, WAREHOUSE).getPersistentVolumeClaim().getClaimName())
                .isEqualTo("archiver-lake");

        PersistentVolumeClaim claim = rendered.get(PersistentVolumeClaim.class, "archiver-lake");
        assertThat(claim.getMetadata().getAnnotations()).containsEntry("helm.sh/resource-policy", "keep");
        assertThat(claim.getMetadata().getLabels()).containsEntry("app", "archiver");
        assertThat(claim.getSpec().getAccessModes()).containsExactly("ReadWriteOnce");
        assertThat(claim.getSpec().getResources().getRequests()).containsEntry("storage", new Quantity("20Gi"));
        assertThat(claim.getSpec().getStorageClassName()).as("the cluster's default class").isNull();
        assertThat(rendered.get(Deployment.class, "stats").getSpec().getStrategy().getType())
                .as("the other services still roll").isEqualTo("RollingUpdate");
    }

    @Test
    void anExistingClaimIsMountedAndNoClaimIsCreated() {
        Chart.Rendered rendered = Chart.withDefaults().set("archiver.persistence.existingClaim", "lake-2026")
                .set("archiver.persistence.storageClassName", "ignored").render();
        PodSpec pod = rendered.get(Deployment.class, "archiver").getSpec().getTemplate().getSpec();

        assertThat(volumeAt(pod, pod.getContainers().get(0), WAREHOUSE).getPersistentVolumeClaim().getClaimName())
                .isEqualTo("lake-2026");
        assertThat(rendered.all(PersistentVolumeClaim.class)).isEmpty();
    }

    @Test
    void withoutPersistenceTheLakeIsAnEmptyDirAndAStorageClassIsPassedOnWhenSet() {
        Chart.Rendered ephemeral = Chart.withDefaults().set("archiver.persistence.enabled", false).render();
        PodSpec pod = ephemeral.get(Deployment.class, "archiver").getSpec().getTemplate().getSpec();
        assertThat(volumeAt(pod, pod.getContainers().get(0), WAREHOUSE).getEmptyDir()).isNotNull();
        assertThat(ephemeral.all(PersistentVolumeClaim.class)).isEmpty();

        Chart.Rendered classed = Chart.withDefaults().set("archiver.persistence.storageClassName", "fast-ssd")
                .set("archiver.persistence.size", "200Gi").render();
        PersistentVolumeClaim claim = classed.get(PersistentVolumeClaim.class, "archiver-lake");
        assertThat(claim.getSpec().getStorageClassName()).isEqualTo("fast-ssd");
        assertThat(claim.getSpec().getResources().getRequests()).containsEntry("storage", new Quantity("200Gi"));
    }

    @Test
    void moreThanOneArchiverIsRefusedWithTheReason() {
        assertThatThrownBy(Chart.withDefaults().set("archiver.replicas", 2)::template)
                .hasMessageContaining("archiver.replicas is 2, but the archiver must run as exactly one pod");
    }

    @Test
    void disablingTheArchiverRemovesItsWorkloadClaimAndPolicyAndTheOperationsViewForgetsIt() {
        Chart.Rendered rendered = Chart.withDefaults().set("archiver.enabled", false)
                .set("networkPolicy.enabled", true).render();

        assertThat(rendered.names(Deployment.class)).doesNotContain("archiver");
        assertThat(rendered.all(PersistentVolumeClaim.class)).isEmpty();
        assertThat(rendered.names(NetworkPolicy.class)).doesNotContain("archiver");
        Container dashboard = rendered.get(Deployment.class, "dashboard").getSpec().getTemplate().getSpec()
                .getContainers().get(0);
        assertThat(env(dashboard).get("PULSE_DASHBOARD_OPS_SERVICES")).doesNotContain("archiver");
        assertThat(env(dashboard)).doesNotContainKey("PULSE_DASHBOARD_ARCHIVER_URL");
    }

    @Test
    void theOperationsViewAndTheHistoryViewReachTheArchiverThroughItsService() {
        Chart.Rendered rendered = Chart.withDefaults().render();
        Container dashboard = rendered.get(Deployment.class, "dashboard").getSpec().getTemplate().getSpec()
                .getContainers().get(0);

        assertThat(env(dashboard).get("PULSE_DASHBOARD_OPS_SERVICES"))
                .contains("archiver=http://archiver:" + Project.httpPort("archiver"));
        assertThat(env(dashboard)).containsEntry("PULSE_DASHBOARD_ARCHIVER_URL",
                "http://archiver:" + Project.httpPort("archiver"));
    }

    private static Volume volumeAt(PodSpec pod, Container container, String path) {
        Map<String, Volume> volumes = pod.getVolumes().stream()
                .collect(Collectors.toMap(Volume::getName, Function.identity()));
        return container.getVolumeMounts().stream().filter(mount -> mount.getMountPath().equals(path))
                .map(VolumeMount::getName).map(volumes::get).findFirst()
                .orElseThrow(() -> new AssertionError("nothing mounted at " + path));
    }

    private static Map<String, String> env(Container container) {
        return container.getEnv().stream().filter(e -> e.getValue() != null)
                .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
    }
}
