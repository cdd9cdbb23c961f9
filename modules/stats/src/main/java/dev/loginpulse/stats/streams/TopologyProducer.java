package dev.loginpulse.stats.streams;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.loginpulse.events.AdminRawOffsets;
import dev.loginpulse.stats.config.StatsConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Hands the topology to the Quarkus Kafka Streams extension, which runs and health-checks it.
 * <p>
 * Kafka Streams creates the deserialization exception handler named in {@code application.properties} by its class
 * name; a native executable can do that only for a class registered for reflection (found by {@code StatsIT} under
 * {@code -Dnative}: the executable did not start without it).
 */
@ApplicationScoped
@RegisterForReflection(targets = LogAndContinueExceptionHandler.class)
public class TopologyProducer {

    private static final String DEFAULT_BOOTSTRAP = "localhost:9092";
    /** The TLS settings of application.properties' {@code kafka-streams.ssl.*}, also given to the Admin client. */
    private static final List<String> SSL_KEYS = List.of(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG,
            SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG,
            SslConfigs.SSL_KEYSTORE_LOCATION_CONFIG, SslConfigs.SSL_KEYSTORE_PASSWORD_CONFIG,
            SslConfigs.SSL_KEYSTORE_TYPE_CONFIG, SslConfigs.SSL_KEY_PASSWORD_CONFIG);
    /** How long to wait for the broker to say which cluster it is before keeping the state unchecked. */
    private static final long OWNER_TIMEOUT_MS = 10_000;

    /**
     * The topology. Produced before Kafka Streams opens its state directory, so this is where state that belongs to
     * another cluster is wiped ({@link StateOwnership}).
     */
    @Produces
    public Topology topology(InsightSpec insights, StatsEnvironment environment, AdminRawOffsets broker,
            @ConfigProperty(name = "kafka-streams.state.dir") Optional<String> stateDir,
            @ConfigProperty(name = "quarkus.kafka-streams.application-id") Optional<String> applicationId,
            @ConfigProperty(name = "quarkus.application.name") String applicationName) {
        stateDir.ifPresent(dir -> StateOwnership.check(Path.of(dir), applicationId.orElse(applicationName),
                broker.admin(), OWNER_TIMEOUT_MS));
        return StatsTopology.build(insights.windows(), insights, environment);
    }

    /**
     * The system clock, the broker's end offsets of user-login, Micrometer counters, commit requests paced to
     * {@code pulse.stats.max-commit-share} (at most one per commit interval, whatever the commits cost).
     */
    @Produces
    @Singleton
    public StatsEnvironment environment(MeterRegistry registry, AdminRawOffsets rawOffsets, StatsConfig config,
            @ConfigProperty(name = "kafka-streams.commit.interval.ms") Optional<Long> commitIntervalMs) {
        return new StatsEnvironment(Clock.systemUTC(), rawOffsets, new MicrometerStatsMetrics(registry),
                new CommitPacing(config.emitInterval(), Duration.ofMillis(commitIntervalMs.orElse(1_000L)),
                        config.maxCommitShare()));
    }

    /** An Admin client configured like Kafka Streams (bootstrap servers and security), created on first use. */
    @Produces
    @Singleton
    AdminRawOffsets rawOffsets(
            @ConfigProperty(name = "quarkus.kafka-streams.bootstrap-servers") Optional<String> streamsBootstrap,
            @ConfigProperty(name = "kafka.bootstrap.servers") Optional<String> bootstrap,
            @ConfigProperty(name = "quarkus.kafka-streams.security.protocol") Optional<String> protocol,
            @ConfigProperty(name = "quarkus.kafka-streams.sasl.mechanism") Optional<String> mechanism,
            @ConfigProperty(name = "quarkus.kafka-streams.sasl.jaas-config") Optional<String> jaas,
            Config settings) {
        Properties config = new Properties();
        // as the Kafka Streams extension does: its own key unless it is only the default, then kafka.bootstrap.servers
        String servers = streamsBootstrap.filter(value -> !value.equals(DEFAULT_BOOTSTRAP))
                .or(() -> bootstrap).orElse(DEFAULT_BOOTSTRAP);
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, "stats-source-offsets");
        protocol.ifPresent(value -> config.put(AdminClientConfig.SECURITY_PROTOCOL_CONFIG, value));
        if (protocol.filter(value -> value.startsWith("SASL")).isPresent()) {
            mechanism.ifPresent(value -> config.put(SaslConfigs.SASL_MECHANISM, value));
            jaas.ifPresent(value -> config.put(SaslConfigs.SASL_JAAS_CONFIG, value));
        }
        // the trust store and the client key store (mutual TLS), as Kafka Streams gets them
        for (String key : SSL_KEYS) {
            settings.getOptionalValue("kafka-streams." + key, String.class).ifPresent(value -> config.put(key, value));
        }
        return new AdminRawOffsets(config);
    }

    void closeRawOffsets(@Disposes AdminRawOffsets rawOffsets) {
        rawOffsets.close();
    }

    /** The windows and limits, also used by the REST API. */
    @Produces
    @Singleton
    public InsightSpec insightSpec(StatsConfig config) {
        WindowSpec windows = new WindowSpec(config.windowSize(), config.windowAdvance(), config.grace(),
                config.emitInterval(), config.maxSourceLag());
        return new InsightSpec(windows, config.tumblingSize(), config.topIps(), config.ipAlertThreshold());
    }
}
