package dev.loginpulse.deploy;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The dashboard's operations view on Kubernetes: it reads the metrics of generator, cleaner and stats through their
 * Services (PULSE_DASHBOARD_OPS_SERVICES), the lag of dashboard.ops.groups (PULSE_DASHBOARD_OPS_GROUPS), and the
 * network policies let it, and only it besides monitoring (and stats for its own interactive queries), reach their
 * HTTP port.
 */
class HelmOpsViewTest {

    @Test
    void theDashboardReadsTheMetricsOfEveryOtherServiceThroughItsInClusterService() {
        Chart.Rendered rendered = Chart.withDefaults().render();

        Map<String, String> expected = rendered.all(Service.class).stream()
                .filter(service -> !service.getMetadata().getName().equals("dashboard"))
                .collect(Collectors.toMap(service -> service.getMetadata().getName(), service -> "http://"
                        + service.getMetadata().getName() + ":" + service.getSpec().getPorts().get(0).getPort()));
        assertThat(expected).containsOnlyKeys("generator", "cleaner", "stats", "archiver");
        Map<String, String> env = plainEnv(container(rendered, "dashboard"));
        assertThat(services(env.get("PULSE_DASHBOARD_OPS_SERVICES"))).isEqualTo(expected);
        assertThat(env).containsEntry("PULSE_DASHBOARD_OPS_GROUPS", "cleaner,stats");
        for (String name : List.of("generator", "cleaner", "stats", "archiver")) {
            assertThat(plainEnv(container(rendered, name))).as(name)
                    .doesNotContainKeys("PULSE_DASHBOARD_OPS_SERVICES", "PULSE_DASHBOARD_OPS_GROUPS");
        }
    }

    @Test
    void withoutTheGeneratorTheOperationsViewReadsTheOtherServicesAndTheGroupsOfItsValues() {
        Chart.Rendered rendered = Chart.withDefaults().set("generator.enabled", false).set("cleaner.port", 9082)
                .set("dashboard.ops.groups[0]", "cleaner").set("dashboard.ops.groups[1]", "stats")
                .set("dashboard.ops.groups[2]", "audit").render();

        Map<String, String> env = plainEnv(container(rendered, "dashboard"));
        assertThat(services(env.get("PULSE_DASHBOARD_OPS_SERVICES")))
                .isEqualTo(Map.of("cleaner", "http://cleaner:9082", "stats", "http://stats:8083", "archiver",
                        "http://archiver:8084"));
        assertThat(env).containsEntry("PULSE_DASHBOARD_OPS_GROUPS", "cleaner,stats,audit");
        assertThatThrownBy(Chart.withDefaults().set("dashboard.ops.groups", "{}")::template)
                .hasMessageContaining("values don't meet the specifications of the schema");
    }

    @Test
    void onlyTheDashboardMonitoringAndForStatsTheOtherStatsPodsMayReachTheServicesHttpPort() {
        Chart.Rendered rendered = Chart.withDefaults().set("networkPolicy.metricsFrom[0].namespaceSelector"
                + ".matchLabels.kubernetes\\.io/metadata\\.name", "monitoring").render();
        Map<String, String> dashboard = selector(rendered, "dashboard");

        for (String name : List.of("generator", "cleaner", "stats", "archiver")) {
            NetworkPolicyIngressRule rule = singleIngress(rendered, name);
            assertThat(rule.getPorts()).singleElement()
                    .satisfies(port -> assertThat(port.getPort()).isEqualTo(new IntOrString("http")));
            List<Map<String, String>> pods = rule.getFrom().stream().filter(peer -> peer.getPodSelector() != null)
                    .map(peer -> peer.getPodSelector().getMatchLabels()).toList();
            List<Map<String, String>> expected = name.equals("stats") ? List.of(dashboard, selector(rendered, "stats"))
                    : List.of(dashboard);
            assertThat(pods).as(name).containsExactlyElementsOf(expected);
            assertThat(rule.getFrom()).as(name + ": and the monitoring namespace")
                    .filteredOn(peer -> peer.getNamespaceSelector() != null).hasSize(1);
        }
    }

    @Test
    void withRestrictedEgressTheDashboardMayReachTheHttpPortOfTheServicesItReads() {
        Chart.Rendered rendered = Chart.withDefaults().set("networkPolicy.egress.restrict", true).render();

        List<NetworkPolicyEgressRule> toPods = rendered.get(NetworkPolicy.class, "dashboard").getSpec().getEgress()
                .stream().filter(rule -> rule.getTo() != null && !rule.getTo().isEmpty()).toList();
        assertThat(toPods).singleElement().satisfies(rule -> {
            assertThat(rule.getTo()).extracting(NetworkPolicyPeer::getPodSelector)
                    .extracting(selector -> selector.getMatchLabels()).containsExactlyInAnyOrder(
                            selector(rendered, "generator"), selector(rendered, "cleaner"), selector(rendered, "stats"),
                            selector(rendered, "archiver"));
            assertThat(rule.getPorts()).singleElement()
                    .satisfies(port -> assertThat(port.getPort()).isEqualTo(new IntOrString("http")));
        });
        for (String name : List.of("generator", "cleaner", "stats", "archiver")) {
            assertThat(container(rendered, name).getPorts()).as("the named port the policy opens")
                    .anySatisfy(port -> assertThat(port.getName()).isEqualTo("http"));
        }
    }

    @Test
    void inProductionTheDashboardMayReachCleanerStatsAndArchiverButNotAGeneratorThatIsNotDeployed() {
        Chart.Rendered rendered = Chart.withProductionValues().render();

        assertThat(rendered.get(NetworkPolicy.class, "dashboard").getSpec().getEgress())
                .filteredOn(rule -> rule.getTo() != null && !rule.getTo().isEmpty()).singleElement()
                .satisfies(rule -> assertThat(rule.getTo()).extracting(peer -> peer.getPodSelector().getMatchLabels())
                        .containsExactlyInAnyOrder(selector(rendered, "cleaner"), selector(rendered, "stats"),
                                selector(rendered, "archiver")));
        assertThat(services(plainEnv(container(rendered, "dashboard")).get("PULSE_DASHBOARD_OPS_SERVICES")))
                .containsOnlyKeys("cleaner", "stats", "archiver");
    }

    private static NetworkPolicyIngressRule singleIngress(Chart.Rendered rendered, String name) {
        List<NetworkPolicyIngressRule> rules = rendered.get(NetworkPolicy.class, name).getSpec().getIngress();
        assertThat(rules).as(name).hasSize(1);
        return rules.get(0);
    }

    private static Map<String, String> selector(Chart.Rendered rendered, String name) {
        return rendered.get(Deployment.class, name).getSpec().getSelector().getMatchLabels();
    }

    /** name=url,name=url as a map. */
    private static Map<String, String> services(String value) {
        assertThat(value).isNotBlank();
        return Arrays.stream(value.split(",")).map(entry -> entry.split("=", 2))
                .collect(Collectors.toMap(pair -> pair[0], pair -> pair[1]));
    }

    private static Container container(Chart.Rendered rendered, String name) {
        List<Container> containers = rendered.get(Deployment.class, name).getSpec().getTemplate().getSpec()
                .getContainers();
        assertThat(containers).hasSize(1);
        return containers.get(0);
    }

    private static Map<String, String> plainEnv(Container container) {
        return container.getEnv().stream().filter(env -> env.getValue() != null)
                .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
    }
}
