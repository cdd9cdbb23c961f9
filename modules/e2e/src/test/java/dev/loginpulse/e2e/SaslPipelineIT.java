package dev.loginpulse.e2e;

import java.time.Duration;
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
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

import dev.loginpulse.devbroker.KafkaBroker;
import dev.loginpulse.events.Topics;
import dev.loginpulse.launcher.PipelineOptions;
import dev.loginpulse.launcher.Service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * Kafka security is configuration only: against a broker that requires SASL/SCRAM, the unchanged services work once
 * given {@code KAFKA_SECURITY_PROTOCOL}, {@code KAFKA_SASL_MECHANISM} and {@code KAFKA_SASL_JAAS_CONFIG}.
 */
class SaslPipelineIT extends PipelineTest {

    private static final String USER = "login-pulse";
    /** A throwaway credential of this test's own broker, made up per run. */
    private static final String PASSWORD = UUID.randomUUID().toString();

    @Override
    protected PipelineOptions options() {
        return PipelineSupport.options("sasl")
                .broker(builder -> builder.scramUser(USER, PASSWORD))
                .env("KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT")
                .env("KAFKA_SASL_MECHANISM", KafkaBroker.SCRAM_MECHANISM)
                .env("KAFKA_SASL_JAAS_CONFIG", KafkaBroker.jaasConfig(USER, PASSWORD));
    }

    @Test
    void brokerRefusesAClientWithWrongCredentialsWithAnAuthenticationErrorAndNothingIsWritten() throws Exception {
        long before = PipelineSupport.endOffsets(pipeline, Topics.USER_LOGIN);
        try (KafkaProducer<byte[], byte[]> intruder = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, pipeline.bootstrapServers(),
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 20_000,
                CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT",
                SaslConfigs.SASL_MECHANISM, KafkaBroker.SCRAM_MECHANISM,
                SaslConfigs.SASL_JAAS_CONFIG, KafkaBroker.jaasConfig(USER, PASSWORD + "-wrong")),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            Throwable refused = catchThrowable(() -> intruder.send(new ProducerRecord<>(Topics.USER_LOGIN,
                    new byte[] { '{', '}' })).get(30, TimeUnit.SECONDS));
            assertThat(Stream.iterate(refused, Objects::nonNull, Throwable::getCause))
                    .as("the refusal and its causes: %s", refused)
                    .hasAtLeastOneElementOfType(SaslAuthenticationException.class);
        }
        assertThat(PipelineSupport.endOffsets(pipeline, Topics.USER_LOGIN)).as("records in user-login")
                .isEqualTo(before);
    }

    @Test
    void pipelineWithScramCredentialsFromEnvironmentCleansCountsAndServesExactTotals() throws Exception {
        for (Service service : Service.values()) {
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
                () -> assertThat(PipelineSupport.stateTotals(pipeline)).isEqualTo(stream.cleanByState()));
        assertThat(PipelineSupport.endOffsets(pipeline, Topics.USER_LOGIN_DLQ)).isEqualTo(stream.deadLetterCount());
    }
}
