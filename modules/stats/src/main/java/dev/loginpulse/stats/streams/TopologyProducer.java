package dev.loginpulse.stats.streams;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.apache.kafka.streams.Topology;

import dev.loginpulse.stats.config.StatsConfig;

/** Hands the topology to the Quarkus Kafka Streams extension, which runs and health-checks it. */
@ApplicationScoped
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
