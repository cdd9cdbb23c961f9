package dev.loginpulse.stats.streams;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The topology's counts as Micrometer counters, on {@code /q/metrics}: {@code pulse_stats_late_logins_total} (tag
 * {@code state}), {@code pulse_stats_dropped_records_total} (tag {@code reason}) and
 * {@code pulse_stats_redeliveries_total}.
 */
final class MicrometerStatsMetrics implements StatsMetrics {

    static final String LATE_LOGINS = "pulse.stats.late.logins";
    static final String DROPPED_RECORDS = "pulse.stats.dropped.records";
    static final String REDELIVERIES = "pulse.stats.redeliveries";

    private final MeterRegistry registry;
    private final Map<String, Counter> late = new ConcurrentHashMap<>();
    private final Map<String, Counter> dropped = new ConcurrentHashMap<>();
    private final Counter redeliveries;

    MicrometerStatsMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.redeliveries = Counter.builder(REDELIVERIES)
                .description("Clean records written again by the cleaner after a crash, skipped (counted once)")
                .register(registry);
        // present from the start, so that a dashboard or an alert sees 0 rather than nothing
        for (String reason : new String[] { SourceGate.MALFORMED_SOURCE, SourceGate.IMPOSSIBLE_SOURCE_OFFSET }) {
            droppedCounter(reason);
        }
    }

    @Override
    public void lateLogin(String state) {
        late.computeIfAbsent(state, s -> Counter.builder(LATE_LOGINS).tag("state", s)
                .description("Logins too late for every window of their state (counted in its total only)")
                .register(registry)).increment();
    }

    @Override
    public void droppedRecord(String reason) {
        droppedCounter(reason).increment();
    }

    private Counter droppedCounter(String reason) {
        return dropped.computeIfAbsent(reason, r -> Counter.builder(DROPPED_RECORDS).tag("reason", r)
                .description("Records on user-login-clean not counted because they cannot come from the cleaner")
                .register(registry));
    }

    @Override
    public void redelivery() {
        redeliveries.increment();
    }
}
