package dev.loginpulse.stats.streams;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import org.apache.kafka.streams.Topology;

import dev.loginpulse.stats.config.StatsConfig;

/** Hands the topology to the Quarkus Kafka Streams extension, which runs and health-checks it. */
@ApplicationScoped
public class TopologyProducer {

    @Produces
    public Topology topology(StatsConfig config) {
        return StatsTopology.build(new WindowSpec(config.windowSize(), config.windowAdvance(), config.grace(),
                config.emitInterval()));
    }
}
