package dev.loginpulse.stats.streams;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;

import dev.loginpulse.stats.config.StatsConfig;
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

    @Produces
    public Topology topology(InsightSpec insights) {
        return StatsTopology.build(insights.windows(), insights);
    }

    /** The windows and limits, also used by the REST API. */
    @Produces
    @Singleton
    public InsightSpec insightSpec(StatsConfig config) {
        WindowSpec windows = new WindowSpec(config.windowSize(), config.windowAdvance(), config.grace(),
                config.emitInterval());
        return new InsightSpec(windows, config.tumblingSize(), config.topIps(), config.ipAlertThreshold());
    }
}
