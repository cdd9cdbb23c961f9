package dev.loginpulse.devbroker;

import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A real in-process {@link KafkaBroker} on free ports for {@code @QuarkusTest} classes:
 * {@code @WithTestResource(value = KafkaBrokerTestResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)}.
 */
public class KafkaBrokerTestResource implements QuarkusTestResourceLifecycleManager {

    /** Held here so that the levels set on them are not lost with the loggers. */
    private static final List<Logger> QUIET = List.of(Logger.getLogger("kafka"), Logger.getLogger("org.apache.kafka"),
            Logger.getLogger("state.change.logger"));

    private KafkaBroker broker;

    @Override
    public Map<String, String> start() {
        // The broker's INFO lines would bury the test's own output (JUL levels reach the JBoss LogManager tests use).
        QUIET.forEach(logger -> logger.setLevel(Level.WARNING));
        broker = KafkaBroker.builder().build().start();
        return Map.of(
                "kafka.bootstrap.servers", broker.bootstrapServers(),
                "quarkus.kafka-streams.bootstrap-servers", broker.bootstrapServers());
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(broker, new TestInjector.MatchesType(KafkaBroker.class));
    }

    @Override
    public void stop() {
        if (broker != null) {
            broker.close();
        }
    }
}
