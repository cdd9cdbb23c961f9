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
}
