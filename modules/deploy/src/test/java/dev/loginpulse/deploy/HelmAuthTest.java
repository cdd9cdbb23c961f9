package dev.loginpulse.deploy;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/**
 * HTTP authentication in the chart ({@code auth.*}): off by default, on in values-production.yaml with the Basic user
 * from an existing Secret and the token key, wired into the services with an HTTP API (dashboard, stats, archiver)
 * only; the WebSocket origins of the dashboard.
 */
class HelmAuthTest {

    private static final List<String> PROTECTED = List.of("dashboard", "stats", "archiver");

    @Test
    void productionValuesGiveDashboardStatsAndArchiverTheBasicUserFromItsSecretAndTheTokenKey() {
        Chart.Rendered rendered = Chart.withProductionValues().render();

        for (String name : PROTECTED) {
            Container container = container(rendered, name);
            assertThat(plainEnv(container)).as(name).containsEntry("PULSE_AUTH_ENABLED", "true")
                    .containsEntry("PULSE_AUTH_JWT_PUBLIC_KEY_LOCATION",
                            "https://sso.example.com/realms/analytics/protocol/openid-connect/certs")
                    .containsEntry("PULSE_AUTH_JWT_ISSUER", "https://sso.example.com/realms/analytics");
            assertThat(container.getEnv()).as(name)
                    .filteredOn(env -> env.getName().startsWith("PULSE_AUTH_") && env.getValueFrom() != null)
                    .extracting(EnvVar::getName, env -> env.getValueFrom().getSecretKeyRef().getName(),
                            env -> env.getValueFrom().getSecretKeyRef().getKey())
                    .containsExactly(tuple("PULSE_AUTH_USERNAME", "login-pulse-http-auth", "username"),
                            tuple("PULSE_AUTH_PASSWORD", "login-pulse-http-auth", "password"));
            assertThat(container.getEnv()).as("secrets only by reference")
                    .filteredOn(env -> env.getName().equals("PULSE_AUTH_PASSWORD"))
                    .allSatisfy(env -> assertThat(env.getValue()).isNull());
        }
        assertThat(container(rendered, "cleaner").getEnv()).extracting(EnvVar::getName)
                .noneMatch(name -> name.startsWith("PULSE_AUTH_"));
    }

    @Test
    void productionDashboardStatsAndArchiverMayFetchTheTokenKeyOverHttpsAndNothingElseMay() {
        Chart.Rendered rendered = Chart.withProductionValues().render();

        for (String name : List.of("dashboard", "stats", "archiver", "cleaner")) {
            List<NetworkPolicyEgressRule> egress = rendered.get(NetworkPolicy.class, name).getSpec().getEgress();
            boolean https = egress.stream().filter(rule -> rule.getTo() == null || rule.getTo().isEmpty())
                    .flatMap(rule -> rule.getPorts().stream())
                    .anyMatch(port -> port.getPort().equals(new IntOrString(443)));
            assertThat(https).as(name + " may reach port 443").isEqualTo(PROTECTED.contains(name));
        }
    }

    @Test
    void byDefaultNoServiceIsToldToAuthenticate() {
        for (Deployment deployment : Chart.withDefaults().render().all(Deployment.class)) {
            assertThat(onlyContainer(deployment).getEnv()).as(deployment.getMetadata().getName())
                    .extracting(EnvVar::getName)
                    .noneMatch(name -> name.startsWith("PULSE_AUTH_") || name.equals("PULSE_DASHBOARD_ALLOWED_ORIGINS"));
        }
    }

    @Test
    void aBasicUserAloneNeedsNoTokenKey() {
        Chart.Rendered rendered = Chart.withDefaults().set("auth.enabled", true).set("auth.basicSecret", "viewers")
                .render();

        Container stats = container(rendered, "stats");
        assertThat(stats.getEnv()).extracting(EnvVar::getName).contains("PULSE_AUTH_ENABLED", "PULSE_AUTH_USERNAME",
                "PULSE_AUTH_PASSWORD").doesNotContain("PULSE_AUTH_JWT_PUBLIC_KEY_LOCATION", "PULSE_AUTH_JWT_ISSUER");
        assertThat(stats.getEnv()).filteredOn(env -> env.getName().startsWith("PULSE_AUTH_") && env.getValueFrom() != null)
                .extracting(env -> env.getValueFrom().getSecretKeyRef()).extracting(SecretKeySelector::getName)
                .containsExactly("viewers", "viewers");
    }

    @Test
    void authenticationWithNeitherUserNorTokenKeyIsRefusedNamingBothKeys() {
        assertThatThrownBy(Chart.withDefaults().set("auth.enabled", true)::template)
                .hasMessageContaining("auth.enabled needs auth.basicSecret")
                .hasMessageContaining("auth.jwt.publicKeyLocation");
    }

    @Test
    void allowedOriginsReachTheDashboardAsOneCommaSeparatedVariable() {
        Chart.Rendered rendered = Chart.withDefaults().set("dashboard.allowedOrigins[0]", "https://ops.example.com")
                .set("dashboard.allowedOrigins[1]", "http://localhost:3000").render();

        assertThat(plainEnv(container(rendered, "dashboard")))
                .containsEntry("PULSE_DASHBOARD_ALLOWED_ORIGINS", "https://ops.example.com,http://localhost:3000");
        assertThat(plainEnv(container(rendered, "stats"))).doesNotContainKey("PULSE_DASHBOARD_ALLOWED_ORIGINS");
    }

    @Test
    void anOriginWithAPathOrAnotherSchemeAndAnInvalidSecretNameAreRejectedByTheSchema() {
        assertThatThrownBy(Chart.withDefaults().set("dashboard.allowedOrigins[0]", "https://ops.example.com/page")::template)
                .hasMessageContaining("allowedOrigins");
        assertThatThrownBy(Chart.withDefaults().set("dashboard.allowedOrigins[0]", "ftp://ops.example.com")::template)
                .hasMessageContaining("allowedOrigins");
        assertThatThrownBy(Chart.withDefaults().set("auth.basicSecret", "Not_A_Name")::template)
                .hasMessageContaining("basicSecret");
    }

    private static Container container(Chart.Rendered rendered, String name) {
        return onlyContainer(rendered.get(Deployment.class, name));
    }

    private static Container onlyContainer(Deployment deployment) {
        List<Container> containers = deployment.getSpec().getTemplate().getSpec().getContainers();
        assertThat(containers).hasSize(1);
        return containers.get(0);
    }

    private static Map<String, String> plainEnv(Container container) {
        return container.getEnv().stream().filter(env -> env.getValue() != null)
                .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
    }
}
