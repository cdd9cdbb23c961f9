package dev.loginpulse.stats.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The stats service's settings, {@code pulse.stats.*} (env {@code PULSE_STATS_*}). */
@ConfigMapping(prefix = "pulse.stats")
public interface StatsConfig {

    /** Length of each hopping window; a whole multiple of {@link #windowAdvance()}. */
    @WithDefault("PT60S")
    Duration windowSize();

    /** Distance between the starts of consecutive windows. */
    @WithDefault("PT10S")
    Duration windowAdvance();

    /** How long after its end (by event time) a window still accepts late logins. */
    @WithDefault("PT10S")
    Duration grace();

    /** How often changed windows are published to user-login-stats (wall clock). */
    @WithDefault("PT0.5S")
    Duration emitInterval();
}
