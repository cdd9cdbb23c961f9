package dev.loginpulse.cleaner.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The cleaner's settings, {@code pulse.cleaner.*} (env {@code PULSE_CLEANER_*}). */
@ConfigMapping(prefix = "pulse.cleaner")
public interface CleanerConfig {

    /**
     * Raw records larger than this many bytes are dead-lettered unparsed ({@code TOO_LARGE}). Keep it at or below the
     * dead-letter topic's {@code max.message.bytes}, or the dead letter itself cannot be written.
     */
    @WithDefault("1048576")
    int maxRecordBytes();

    /** How far ahead of the cleaner's clock an event time may lie before it is dead-lettered. */
    @WithDefault("PT1H")
    Duration maxFutureSkew();

    /**
     * How many polled batches may be cleaned and not yet acknowledged by the broker at once. When the clean or the
     * dead-letter topic cannot be written, the cleaner stops taking batches at this bound (the consumer pauses and the
     * logins wait in {@code user-login}) instead of buffering them in memory or giving up on them.
     */
    @WithDefault("4")
    int maxPendingBatches();

    /**
     * After how long without an acknowledgement for its oldest pending batch the cleaner reports itself not ready
     * ({@code /q/health/ready}): its writes are stalled, typically because a partition leader is unavailable. It stays
     * live, so that nothing restarts it, and becomes ready again once the writes go through.
     */
    @WithDefault("PT10S")
    Duration writeStallTimeout();
}
