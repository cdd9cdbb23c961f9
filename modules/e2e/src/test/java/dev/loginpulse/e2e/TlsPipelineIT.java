package dev.loginpulse.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.loginpulse.devbroker.KafkaBroker;
import dev.loginpulse.devbroker.TestCertificates;
import dev.loginpulse.events.Topics;
import dev.loginpulse.launcher.Pipeline;
import dev.loginpulse.launcher.PipelineOptions;
import dev.loginpulse.launcher.Service;
import dev.loginpulse.launcher.ServiceInstance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * Kafka security is configuration only: the unchanged services, each its own principal with only the ACLs of
 * {@code ServiceAcls} (deny by default), through TLS; once with SASL/SCRAM over TLS ({@code SASL_SSL}, a SCRAM user
 * per service), once with mutual TLS ({@code SSL}, the principal taken from each service's client certificate). Two
 * pipelines, one per nested class; the certificates are made once, with keytool, for this run only.
 */
class TlsPipelineIT {

    /** The identity the tests' own clients use (a super user: it feeds user-login and reads every topic back). */
    private static final String ADMIN = "pulse-admin";
    /** Throwaway secrets of this run's own broker, made up per run. */
    private static final String STORE_PASSWORD = UUID.randomUUID().toString();
    private static final Map<Service, String> SCRAM_PASSWORDS = new LinkedHashMap<>();

    @TempDir
    static Path certificateDir;
    static TestCertificates certificates;

    @BeforeAll
    static void makeCertificates() {
        List<String> clients = Stream.concat(Stream.of(ADMIN), PipelineSupport.STREAMING.stream().map(Service::moduleName))
                .toList();
        certificates = TestCertificates.create(certificateDir, STORE_PASSWORD, clients);
        for (Service service : PipelineSupport.STREAMING) {
            SCRAM_PASSWORDS.put(service, UUID.randomUUID().toString());
        }
    }

    /** The trust store every service and client gets: the test CA. */
    static PipelineOptions trustTestCa(PipelineOptions options) {
        return options.env("KAFKA_SSL_TRUSTSTORE_LOCATION", certificates.truststore().toString())
                .env("KAFKA_SSL_TRUSTSTORE_PASSWORD", STORE_PASSWORD)
                .env("KAFKA_SSL_TRUSTSTORE_TYPE", TestCertificates.STORE_TYPE);
    }

    /**
     * 2,000 logins (with their 5 % dirty ones) through the secured pipeline: the dashboard's per-state totals are the
     * clean logins per state of the stream itself, every dirty one is dead-lettered.
     */
    static void assertGoldenDataCountedExactly(Pipeline pipeline) throws Exception {
        for (Service service : PipelineSupport.STREAMING) {
            assertThat(PipelineSupport.status(pipeline, service, "/q/health/ready")).as("%s ready", service)
                    .isEqualTo(200);
        }
        LoginStream stream = new LoginStream(11);
        try (KafkaProducer<byte[], byte[]> producer = PipelineSupport.producer(pipeline)) {
            for (int i = 0; i < 2_000; i++) {
                producer.send(new ProducerRecord<>(Topics.USER_LOGIN, stream.next(i)));
            }
            producer.flush();
        }
        await().atMost(PipelineSupport.PROCESSING_TIMEOUT).pollInterval(Duration.ofMillis(500)).untilAsserted(
                () -> assertThat(PipelineSupport.stateTotals(pipeline)).as(() -> PipelineSupport.diagnosis(pipeline))
                        .isEqualTo(stream.cleanByState()));
        assertThat(PipelineSupport.endOffsets(pipeline, Topics.USER_LOGIN_DLQ)).isEqualTo(stream.deadLetterCount());
    }

    /** The error {@code send} fails with, and its causes. */
    static Stream<Throwable> refusal(Map<String, Object> config, String topic) {
        Map<String, Object> producerConfig = new HashMap<>(config);
        producerConfig.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 20_000);
        producerConfig.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 20_000);
        producerConfig.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerConfig, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            Throwable refused = catchThrowable(() -> producer.send(new ProducerRecord<>(topic, new byte[] { '{', '}' }))
                    .get(30, TimeUnit.SECONDS));
            assertThat(refused).as("the send to %s", topic).isNotNull();
            return Stream.iterate(refused, Objects::nonNull, Throwable::getCause);
        }
    }

    @Nested
    class SaslOverTls extends PipelineTest {

        @Override
        protected PipelineOptions options() {
            Map<String, String> users = new LinkedHashMap<>();
            SCRAM_PASSWORDS.forEach((service, password) -> users.put(service.moduleName(), password));
            PipelineOptions options = trustTestCa(PipelineSupport.options("tls-sasl"))
                    .acls(true)
                    .broker(builder -> builder.scramUser(ADMIN, STORE_PASSWORD).scramUsers(users)
                            .tls(certificates.brokerTls(false, null)))
                    .env("KAFKA_SECURITY_PROTOCOL", "SASL_SSL")
                    .env("KAFKA_SASL_MECHANISM", KafkaBroker.SCRAM_MECHANISM);
            SCRAM_PASSWORDS.forEach((service, password) -> options.env(service, "KAFKA_SASL_JAAS_CONFIG",
                    KafkaBroker.jaasConfig(service.moduleName(), password)));
            return options;
        }

        /** A client of the pipeline's broker authenticated as {@code user}. */
        private Map<String, Object> clientAs(String user, String password) {
            Map<String, Object> config = new HashMap<>(PipelineSupport.clientConfig(pipeline));
            config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, pipeline.bootstrapServers());
            config.put(SaslConfigs.SASL_JAAS_CONFIG, KafkaBroker.jaasConfig(user, password));
            return config;
        }

        @Test
        void pipelineWithAScramPrincipalPerServiceAndOnlyTheirAclsCleansCountsAndServesExactTotals() throws Exception {
            assertThat(pipeline.broker().securityProtocol()).isEqualTo("SASL_SSL");
            assertGoldenDataCountedExactly(pipeline);
        }

        @Test
        void generatorPrincipalWritingToTheCleanTopicIsRefusedWithAnAuthorizationErrorAndNothingIsWritten()
                throws Exception {
            long before = PipelineSupport.endOffsets(pipeline, Topics.USER_LOGIN_CLEAN);

            Stream<Throwable> refused = refusal(clientAs(Service.GENERATOR.moduleName(),
                    SCRAM_PASSWORDS.get(Service.GENERATOR)), Topics.USER_LOGIN_CLEAN);

            assertThat(refused).as("the refusal and its causes").hasAtLeastOneElementOfType(
                    TopicAuthorizationException.class);
            assertThat(PipelineSupport.endOffsets(pipeline, Topics.USER_LOGIN_CLEAN)).as("records in user-login-clean")
                    .isEqualTo(before);
        }

        @Test
        void brokerRefusesAClientWithAWrongPasswordWithAnAuthenticationErrorAndNothingIsWritten() throws Exception {
            long before = PipelineSupport.endOffsets(pipeline, Topics.USER_LOGIN);

            Stream<Throwable> refused = refusal(clientAs(Service.GENERATOR.moduleName(),
                    SCRAM_PASSWORDS.get(Service.GENERATOR) + "-wrong"), Topics.USER_LOGIN);

            assertThat(refused).as("the refusal and its causes").hasAtLeastOneElementOfType(
                    SaslAuthenticationException.class);
            assertThat(PipelineSupport.endOffsets(pipeline, Topics.USER_LOGIN)).as("records in user-login")
                    .isEqualTo(before);
        }

        @Test
        void serviceGivenTlsAndAMissingTruststoreRefusesToStartNamingTheVariable() throws Exception {
            Path missing = certificateDir.resolve("no-such-truststore.p12");
            ServiceInstance misconfigured = pipeline.startInstance(Service.GENERATOR, "generator-missing-truststore",
                    0, Map.of("KAFKA_SSL_TRUSTSTORE_LOCATION", missing.toString()));

            assertThat(misconfigured.process().waitFor(60, TimeUnit.SECONDS)).as("exited").isTrue();
            assertThat(misconfigured.process().exitValue()).as("exit code").isNotZero();
            assertThat(Files.readString(misconfigured.log()))
                    .contains("KAFKA_SSL_TRUSTSTORE_LOCATION (kafka.ssl.truststore.location) names " + missing
                            + ", which does not exist or cannot be read");
        }
    }

    @Nested
    class MutualTls extends PipelineTest {

        @Override
        protected PipelineOptions options() {
            PipelineOptions options = trustTestCa(PipelineSupport.options("tls-mutual"))
                    .acls(true)
                    .broker(builder -> builder.tls(certificates.brokerTls(true, ADMIN)))
                    .env("KAFKA_SECURITY_PROTOCOL", "SSL")
                    .env("KAFKA_SSL_KEYSTORE_PASSWORD", STORE_PASSWORD)
                    .env("KAFKA_SSL_KEY_PASSWORD", STORE_PASSWORD)
                    .env("KAFKA_SSL_KEYSTORE_TYPE", TestCertificates.STORE_TYPE);
            for (Service service : PipelineSupport.STREAMING) {
                options.env(service, "KAFKA_SSL_KEYSTORE_LOCATION",
                        certificates.keystore(service.moduleName()).toString());
            }
            return options;
        }

        @Test
        void pipelineWithAClientCertificatePerServiceAndOnlyTheirAclsCleansCountsAndServesExactTotals()
                throws Exception {
            assertThat(pipeline.broker().securityProtocol()).isEqualTo("SSL");
            assertGoldenDataCountedExactly(pipeline);
        }

        @Test
        void brokerRefusesAClientWithoutACertificateAndNothingIsWritten() throws Exception {
            long before = PipelineSupport.endOffsets(pipeline, Topics.USER_LOGIN);
            Map<String, Object> config = new HashMap<>();
            config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, pipeline.bootstrapServers());
            config.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SSL");
            config.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, certificates.truststore().toString());
            config.put(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, STORE_PASSWORD);
            config.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, TestCertificates.STORE_TYPE);

            assertThat(refusal(config, Topics.USER_LOGIN)).as("the refusal and its causes")
                    .hasAtLeastOneElementOfType(SslAuthenticationException.class);
            assertThat(PipelineSupport.endOffsets(pipeline, Topics.USER_LOGIN)).as("records in user-login")
                    .isEqualTo(before);
        }
    }
}
