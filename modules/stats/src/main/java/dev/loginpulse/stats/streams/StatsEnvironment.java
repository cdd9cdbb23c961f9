package dev.loginpulse.stats.streams;

import java.time.Clock;

import dev.loginpulse.events.RawOffsets;

/**
 * What the topology needs from outside Kafka Streams.
 *
 * @param clock the wall clock event times are capped at (a login stamped later counts at this clock's time)
 * @param rawOffsets end offsets of {@code user-login}, to recognise impossible source offsets
 * @param metrics where late logins, dropped records and re-deliveries are counted
 * @param pacing how often publications may request a commit
 */
public record StatsEnvironment(Clock clock, RawOffsets rawOffsets, StatsMetrics metrics, CommitPacing pacing) {

    /** Every commit request granted ({@link CommitPacing#unpaced()}). */
    public StatsEnvironment(Clock clock, RawOffsets rawOffsets, StatsMetrics metrics) {
        this(clock, rawOffsets, metrics, CommitPacing.unpaced());
    }

    /** The system clock, no offset checks, no metrics: for tests. */
    public static StatsEnvironment unchecked() {
        return new StatsEnvironment(Clock.systemUTC(), RawOffsets.UNCHECKED, StatsMetrics.NONE);
    }
}
