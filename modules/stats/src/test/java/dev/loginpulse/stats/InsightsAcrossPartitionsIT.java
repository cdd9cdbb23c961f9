package dev.loginpulse.stats;

import dev.loginpulse.devbroker.KafkaBroker;
import dev.loginpulse.devbroker.KafkaBrokerTestResource;
import dev.loginpulse.stats.streams.StatsEngine;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link AbstractInsightsAcrossPartitions} with the default engine, {@code panes}: IP counts go by IP in batches. */
@QuarkusIntegrationTest
@WithTestResource(value = KafkaBrokerTestResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
@WithTestResource(value = FreshStateDir.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
@WithTestResource(value = AbstractInsightsAcrossPartitions.Settings.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class InsightsAcrossPartitionsIT extends AbstractInsightsAcrossPartitions {

    KafkaBroker broker;

    @Override
    KafkaBroker broker() {
        return broker;
    }

    @Override
    StatsEngine engine() {
        return StatsEngine.PANES;
    }
}
