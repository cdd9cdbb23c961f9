package dev.loginpulse.cleaner.messaging;

import java.util.HashMap;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;

/** Switches the cleaner's channels to the in-memory connector, for the tests that ask for it. */
public class InMemoryChannels implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        Map<String, String> properties = new HashMap<>();
        properties.putAll(InMemoryConnector.switchIncomingChannelsToInMemory(LoginCleaningProcessor.RAW_CHANNEL));
        properties.putAll(InMemoryConnector.switchOutgoingChannelsToInMemory(LoginCleaningProcessor.CLEAN_CHANNEL));
        return properties;
    }

    @Override
    public void stop() {
        InMemoryConnector.clear();
    }
}
