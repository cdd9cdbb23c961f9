package dev.loginpulse.dashboard.messaging;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;

/**
 * Switches the dashboard's stats, insights, integrity and dead-letter channels to the in-memory connector, for the tests that
 * ask for it.
 */
public class InMemoryChannels implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return InMemoryConnector.switchIncomingChannelsToInMemory(StatsConsumer.CHANNEL,
                StatsConsumer.INSIGHTS_CHANNEL, StatsConsumer.DEAD_LETTER_CHANNEL, StatsConsumer.INTEGRITY_CHANNEL,
                StatsConsumer.STATE_INSIGHTS_CHANNEL);
    }

    @Override
    public void stop() {
        InMemoryConnector.clear();
    }
}
