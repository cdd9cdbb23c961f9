package dev.loginpulse.stats.streams;

/**
 * What the topology counts beside its output, for the service's metrics ({@code /q/metrics}); see
 * {@code MicrometerStatsMetrics}. Called on the stream thread: implementations must be quick and thread-safe.
 */
public interface StatsMetrics {

    /** Counts nothing (the {@code TopologyTestDriver} tests that do not look at metrics). */
    StatsMetrics NONE = new StatsMetrics() {
        @Override
        public void lateLogin(String state) {
        }

        @Override
        public void droppedRecord(String reason) {
        }

        @Override
        public void redelivery() {
        }
    };

    /** A login of this state came too late for every window: it counts in the state's total only. */
    void lateLogin(String state);

    /**
     * A record on {@code user-login-clean} was not counted at all because it cannot come from the cleaner; the reasons
     * are {@link SourceGate#MALFORMED_SOURCE} and {@link SourceGate#IMPOSSIBLE_SOURCE_OFFSET}.
     */
    void droppedRecord(String reason);

    /** A clean record the cleaner wrote again after a crash was skipped (it was counted the first time). */
    void redelivery();
}
