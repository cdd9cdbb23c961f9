package dev.loginpulse.generator.messaging;

import java.util.HashMap;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;

/** Switches the generator's channel to the in-memory connector and runs it at 2,000 logins/s. */
public class InMemoryChannels implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        Map<String, String> properties = new HashMap<>(
                InMemoryConnector.switchOutgoingChannelsToInMemory(LoginPublisher.CHANNEL));
        properties.put("pulse.generator.rate", "2000");
        properties.put("pulse.generator.dirty-ratio", "0");
        return properties;
    }

    @Override
    public void stop() {
        InMemoryConnector.clear();
    }
}
