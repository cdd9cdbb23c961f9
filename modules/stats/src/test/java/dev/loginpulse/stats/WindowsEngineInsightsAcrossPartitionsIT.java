package dev.loginpulse.stats;

import java.util.Map;

import dev.loginpulse.devbroker.KafkaBroker;
import dev.loginpulse.devbroker.KafkaBrokerTestResource;
import dev.loginpulse.stats.streams.StatsEngine;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;

/**
 * {@link AbstractInsightsAcrossPartitions} with {@code pulse.stats.engine=windows}: every login with an IP goes to
 * {@code stats-login-ips-repartition} by IP.
 */
@QuarkusIntegrationTest
@WithTestResource(value = KafkaBrokerTestResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
@WithTestResource(value = FreshStateDir.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
@WithTestResource(value = AbstractInsightsAcrossPartitions.Settings.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
@WithTestResource(value = WindowsEngineInsightsAcrossPartitionsIT.WindowsEngine.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class WindowsEngineInsightsAcrossPartitionsIT extends AbstractInsightsAcrossPartitions {

    /** The engine under test. */
    public static class WindowsEngine implements QuarkusTestResourceLifecycleManager {

        @Override
        public Map<String, String> start() {
            return Map.of("pulse.stats.engine", "windows");
        }

        @Override
        public void stop() {
        }
    }

    KafkaBroker broker;

    @Override
    KafkaBroker broker() {
        return broker;
    }

    @Override
    StatsEngine engine() {
        return StatsEngine.WINDOWS;
    }
}
