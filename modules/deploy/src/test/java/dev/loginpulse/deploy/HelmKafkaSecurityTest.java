package dev.loginpulse.deploy;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Kafka client security in the chart ({@code kafka.security.*}): a JAAS Secret per service (its own principal, as
 * docs/security.md's ACL table wants) with the shared one as fallback, a trust store mounted into every service, a key
 * store per service for mutual TLS, and the refusal of settings the services would refuse or silently ignore.
 */
class HelmKafkaSecurityTest {

    private static final List<String> SERVICES = List.of("generator", "cleaner", "stats", "archiver", "dashboard");

    @Test
    void eachServiceGetsTheJaasLineOfItsOwnSecretAndNoOtherServicesSecret() {
        Chart chart = saslSsl().set("kafka.security.tls.trustJdkCaCerts", true);
        for (String name : SERVICES) {
            chart.set("kafka.security.jaasConfigSecrets." + name + ".name", "kafka-" + name)
                    .set("kafka.security.jaasConfigSecrets." + name + ".key", name + ".jaas");
        }
        Chart.Rendered rendered = chart.render();

        for (String name : SERVICES) {
            Container container = container(rendered, name);
            assertThat(secretRefs(container)).as(name).containsExactly(
                    tuple("KAFKA_SASL_JAAS_CONFIG", "kafka-" + name, name + ".jaas"));
            assertThat(jaasEnv(container).getValue()).as("only by reference").isNull();
        }
    }

    @Test
    void servicesWithoutASecretOfTheirOwnFallBackToTheSharedOne() {
        Chart.Rendered rendered = saslSsl().set("kafka.security.tls.trustJdkCaCerts", true)
                .set("kafka.security.jaasConfigSecret.name", "login-pulse-kafka")
                .set("kafka.security.jaasConfigSecrets.cleaner.name", "kafka-cleaner").render();

        for (String name : SERVICES) {
            String expected = name.equals("cleaner") ? "kafka-cleaner" : "login-pulse-kafka";
            SecretKeySelector ref = jaasEnv(container(rendered, name)).getValueFrom().getSecretKeyRef();
            assertThat(ref.getName()).as(name).isEqualTo(expected);
            assertThat(ref.getKey()).as(name).isEqualTo("sasl.jaas.config");
        }
    }

    @Test
    void saslWithoutAJaasSecretForADeployedServiceIsRefusedNamingItsKey() {
        Chart chart = saslSsl().set("kafka.security.tls.trustJdkCaCerts", true);
        for (String name : List.of("cleaner", "stats", "archiver", "dashboard")) {
            chart.set("kafka.security.jaasConfigSecrets." + name + ".name", "kafka-" + name);
        }

        assertThatThrownBy(chart::template).hasMessageContaining("kafka.security.protocol=SASL_SSL needs")
                .hasMessageContaining("kafka.security.jaasConfigSecret.name")
                .hasMessageContaining("kafka.security.jaasConfigSecrets.generator.name");
        assertThat(chart.set("generator.enabled", false).render().names(Deployment.class))
                .as("a service that is not deployed needs no credentials")
                .containsExactly("cleaner", "stats", "archiver", "dashboard");
    }

    @Test
    void jaasSecretsWithoutASaslProtocolAreRefusedNamingTheKey() {
        assertThatThrownBy(Chart.withDefaults().set("kafka.security.jaasConfigSecret.name", "login-pulse-kafka")::template)
                .hasMessageContaining(
                        "kafka.security.jaasConfigSecret.name is set, but kafka.security.protocol=\"\" uses no SASL");
        assertThatThrownBy(tls("SSL").set("kafka.security.jaasConfigSecrets.stats.name", "kafka-stats")::template)
                .hasMessageContaining(
                        "kafka.security.jaasConfigSecrets.stats.name is set, but kafka.security.protocol=\"SSL\"");
    }

    @Test
    void theTrustStoreIsMountedReadOnlyIntoEveryServiceWithItsLocationTypeAndPassword() {
        Chart.Rendered rendered = tls("SSL").render();

        for (String name : SERVICES) {
            PodSpec pod = pod(rendered, name);
            Container container = pod.getContainers().get(0);
            Volume volume = volume(pod, "kafka-truststore");
            assertThat(volume.getSecret().getSecretName()).as(name).isEqualTo("kafka-ca");
            assertThat(volume.getSecret().getItems()).as("the store file only, not its password").extracting(
                    KeyToPath::getKey, KeyToPath::getPath).containsExactly(tuple("ca.p12", "ca.p12"));
            VolumeMount mount = mount(container, "kafka-truststore");
            assertThat(mount.getReadOnly()).as(name).isTrue();
            assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).as(name).isTrue();

            assertThat(plainEnv(container)).as(name)
                    .containsEntry("KAFKA_SSL_TRUSTSTORE_LOCATION", mount.getMountPath() + "/ca.p12")
                    .containsEntry("KAFKA_SSL_TRUSTSTORE_TYPE", "PKCS12")
                    .doesNotContainKeys("KAFKA_SSL_KEYSTORE_LOCATION", "KAFKA_SSL_TRUSTSTORE_PASSWORD");
            assertThat(secretRefs(container)).as(name)
                    .containsExactly(tuple("KAFKA_SSL_TRUSTSTORE_PASSWORD", "kafka-ca", "ca.password"));
            assertThat(pod.getVolumes()).extracting(Volume::getName).doesNotContain("kafka-keystore");
        }
        assertThat(rendered.get(ConfigMap.class, "login-pulse-config").getData())
                .containsEntry("KAFKA_SECURITY_PROTOCOL", "SSL");
    }

    @Test
    void aTrustStorePasswordMayComeFromAnotherSecretAndAPemStoreHasNone() {
        Container withOtherSecret = container(tls("SSL").set("kafka.security.tls.truststoreSecret.password.name",
                "kafka-ca-password").render(), "stats");
        assertThat(secretRefs(withOtherSecret))
                .containsExactly(tuple("KAFKA_SSL_TRUSTSTORE_PASSWORD", "kafka-ca-password", "ca.password"));

        Container pem = container(tls("SSL").set("kafka.security.tls.truststoreSecret.key", "ca.crt")
                .set("kafka.security.tls.truststoreSecret.type", "PEM")
                .set("kafka.security.tls.truststoreSecret.password.key", "").render(), "stats");
        assertThat(plainEnv(pem)).containsEntry("KAFKA_SSL_TRUSTSTORE_TYPE", "PEM")
                .hasEntrySatisfying("KAFKA_SSL_TRUSTSTORE_LOCATION", location -> assertThat(location).endsWith("/ca.crt"));
        assertThat(secretRefs(pem)).isEmpty();
    }

    @Test
    void eachServicePresentsItsOwnClientCertificateForMutualTls() {
        Chart chart = tls("SSL");
        List<String> withCertificates = List.of("generator", "cleaner", "stats");
        for (String name : withCertificates) {
            String prefix = "kafka.security.tls.keystoreSecrets." + name;
            chart.set(prefix + ".name", "cert-" + name).set(prefix + ".key", name + ".p12")
                    .set(prefix + ".password.key", name + ".password");
        }
        chart.set("kafka.security.tls.keystoreSecrets.cleaner.keyPassword.key", "cleaner.key-password");
        Chart.Rendered rendered = chart.render();

        for (String name : withCertificates) {
            PodSpec pod = pod(rendered, name);
            Container container = pod.getContainers().get(0);
            Volume volume = volume(pod, "kafka-keystore");
            assertThat(volume.getSecret().getSecretName()).as(name).isEqualTo("cert-" + name);
            assertThat(volume.getSecret().getItems()).as(name).extracting(KeyToPath::getKey)
                    .containsExactly(name + ".p12");
            VolumeMount mount = mount(container, "kafka-keystore");
            assertThat(mount.getReadOnly()).as(name).isTrue();
            assertThat(mount.getMountPath()).as("apart from the trust store")
                    .isNotEqualTo(mount(container, "kafka-truststore").getMountPath());
            assertThat(plainEnv(container)).as(name)
                    .containsEntry("KAFKA_SSL_KEYSTORE_LOCATION", mount.getMountPath() + "/" + name + ".p12")
                    .containsEntry("KAFKA_SSL_KEYSTORE_TYPE", "PKCS12");
            var expected = Stream.of(tuple("KAFKA_SSL_TRUSTSTORE_PASSWORD", "kafka-ca", "ca.password"),
                    tuple("KAFKA_SSL_KEYSTORE_PASSWORD", "cert-" + name, name + ".password"));
            if (name.equals("cleaner")) {
                expected = Stream.concat(expected,
                        Stream.of(tuple("KAFKA_SSL_KEY_PASSWORD", "cert-cleaner", "cleaner.key-password")));
            }
            assertThat(secretRefs(container)).as(name).containsExactlyElementsOf(expected.toList());
        }
        PodSpec dashboard = pod(rendered, "dashboard");
        assertThat(dashboard.getVolumes()).extracting(Volume::getName).doesNotContain("kafka-keystore");
        assertThat(plainEnv(dashboard.getContainers().get(0))).doesNotContainKey("KAFKA_SSL_KEYSTORE_LOCATION");
    }

    @Test
    void aTlsProtocolWithoutATrustStoreIsRefusedUnlessTheJdkCasAreMeant() {
        for (Chart chart : List.of(Chart.withDefaults().set("kafka.security.protocol", "SSL"),
                saslSsl().set("kafka.security.jaasConfigSecret.name", "login-pulse-kafka"))) {
            assertThatThrownBy(chart::template)
                    .hasMessageMatching(
                            "(?s).*kafka.security.protocol=(SSL|SASL_SSL) needs kafka.security.tls.truststoreSecret.name.*")
                    .hasMessageContaining("kafka.security.tls.trustJdkCaCerts");

            Chart.Rendered rendered = chart.set("kafka.security.tls.trustJdkCaCerts", true).render();
            for (String name : SERVICES) {
                assertThat(plainEnv(container(rendered, name))).as(name).doesNotContainKey("KAFKA_SSL_TRUSTSTORE_LOCATION");
                assertThat(pod(rendered, name).getVolumes()).as(name).extracting(Volume::getName)
                        .doesNotContain("kafka-truststore", "kafka-keystore");
            }
        }
    }

    @Test
    void storesWithoutATlsProtocolAreRefusedNamingTheKey() {
        assertThatThrownBy(Chart.withDefaults().set("kafka.security.protocol", "SASL_PLAINTEXT")
                .set("kafka.security.saslMechanism", "SCRAM-SHA-512")
                .set("kafka.security.jaasConfigSecret.name", "login-pulse-kafka")
                .set("kafka.security.tls.truststoreSecret.name", "kafka-ca")::template)
                .hasMessageContaining(
                        "kafka.security.tls.truststoreSecret.name is set, but kafka.security.protocol=\"SASL_PLAINTEXT\" uses no TLS");
        assertThatThrownBy(Chart.withDefaults().set("kafka.security.tls.keystoreSecrets.stats.name", "cert-stats")::template)
                .hasMessageContaining(
                        "kafka.security.tls.keystoreSecrets.stats.name is set, but kafka.security.protocol=\"\" uses no TLS");
    }

    @Test
    void theEmbeddedKafkaRefusesTlsAndSaslSettings() {
        Chart embedded = Chart.withDefaults().set("kafka.embedded.enabled", true);
        assertThatThrownBy(saslSsl().set("kafka.embedded.enabled", true)
                .set("kafka.security.jaasConfigSecret.name", "login-pulse-kafka")::template)
                .hasMessageContaining("the embedded Kafka speaks PLAINTEXT only: leave kafka.security.protocol empty");
        assertThatThrownBy(embedded.set("kafka.security.tls.truststoreSecret.name", "kafka-ca")::template)
                .hasMessageContaining("kafka.security.tls.truststoreSecret.name is set");
    }

    @Test
    void unknownServicesAndStoreTypesAreRejectedByTheSchema() {
        for (Chart chart : List.of(
                Chart.withDefaults().set("kafka.security.jaasConfigSecrets.reporter.name", "kafka-reporter"),
                Chart.withDefaults().set("kafka.security.tls.truststoreSecret.type", "P12"),
                Chart.withDefaults().set("kafka.security.tls.keystoreSecrets.cleaner.name", "Not_A_Name"))) {
            assertThatThrownBy(chart::template).hasMessageContaining("values don't meet the specifications of the schema");
        }
    }

    @Test
    void productionValuesGiveEachServiceItsOwnPrincipalOverSaslSslWithTheTrustStore() {
        Chart.Rendered rendered = Chart.withProductionValues().render();

        assertThat(rendered.get(ConfigMap.class, "login-pulse-config").getData())
                .containsEntry("KAFKA_SECURITY_PROTOCOL", "SASL_SSL").containsEntry("KAFKA_SASL_MECHANISM", "SCRAM-SHA-512");
        Set<String> jaasSecrets = new HashSet<>();
        for (Deployment deployment : rendered.all(Deployment.class)) {
            String name = deployment.getMetadata().getName();
            Container container = container(rendered, name);
            assertThat(secretRefs(container)).as(name).containsExactlyInAnyOrder(
                    tuple("KAFKA_SASL_JAAS_CONFIG", "login-pulse-kafka-" + name, "sasl.jaas.config"),
                    tuple("KAFKA_SSL_TRUSTSTORE_PASSWORD", "login-pulse-kafka-ca", "truststore.password"));
            assertThat(volume(pod(rendered, name), "kafka-truststore").getSecret().getSecretName())
                    .isEqualTo("login-pulse-kafka-ca");
            jaasSecrets.add(jaasEnv(container).getValueFrom().getSecretKeyRef().getName());
        }
        assertThat(jaasSecrets).as("one principal per service").hasSize(rendered.all(Deployment.class).size());
    }

    private static Chart saslSsl() {
        return Chart.withDefaults().set("kafka.security.protocol", "SASL_SSL")
                .set("kafka.security.saslMechanism", "SCRAM-SHA-512");
    }

    /** The given TLS protocol with the trust store ca.p12 (password ca.password) of the Secret kafka-ca. */
    private static Chart tls(String protocol) {
        return Chart.withDefaults().set("kafka.security.protocol", protocol)
                .set("kafka.security.tls.truststoreSecret.name", "kafka-ca")
                .set("kafka.security.tls.truststoreSecret.key", "ca.p12")
                .set("kafka.security.tls.truststoreSecret.password.key", "ca.password");
    }

    private static PodSpec pod(Chart.Rendered rendered, String name) {
        PodSpec pod = rendered.get(Deployment.class, name).getSpec().getTemplate().getSpec();
        assertThat(pod.getContainers()).as(name).hasSize(1);
        return pod;
    }

    private static Container container(Chart.Rendered rendered, String name) {
        return pod(rendered, name).getContainers().get(0);
    }

    private static Volume volume(PodSpec pod, String name) {
        return pod.getVolumes().stream().filter(volume -> volume.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no volume " + name + " in " + pod.getVolumes()));
    }

    private static VolumeMount mount(Container container, String name) {
        return container.getVolumeMounts().stream().filter(mount -> mount.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no mount " + name + " in " + container.getName()));
    }

    private static EnvVar jaasEnv(Container container) {
        List<EnvVar> jaas = container.getEnv().stream().filter(env -> env.getName().equals("KAFKA_SASL_JAAS_CONFIG"))
                .toList();
        assertThat(jaas).as(container.getName()).hasSize(1);
        return jaas.get(0);
    }

    /** Every Kafka client variable from a Secret, as (variable, Secret, key). */
    private static List<Tuple> secretRefs(Container container) {
        return container.getEnv().stream().filter(env -> env.getName().startsWith("KAFKA_")
                && env.getValueFrom() != null && env.getValueFrom().getSecretKeyRef() != null).map(env -> tuple(env.getName(),
                        env.getValueFrom().getSecretKeyRef().getName(), env.getValueFrom().getSecretKeyRef().getKey()))
                .toList();
    }

    private static Map<String, String> plainEnv(Container container) {
        return container.getEnv().stream().filter(env -> env.getValue() != null)
                .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
    }
}
