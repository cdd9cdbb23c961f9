package dev.loginpulse.generator.config;

import java.util.OptionalLong;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The generator's settings, {@code pulse.generator.*} (env {@code PULSE_GENERATOR_*}). */
@ConfigMapping(prefix = "pulse.generator")
public interface GeneratorConfig {

    /**
     * Events per second, to the thousandth, at most 1,000,000; 0 pauses the generator, so that tests and scripts can
     * feed their own data.
     */
    @WithDefault("50")
    double rate();

    /** Share of events that are deliberately dirty (messy fields, missing fields, a few malformed payloads), 0 to 1. */
    @WithDefault("0.05")
    double dirtyRatio();

    /** How many distinct users logins are drawn from. */
    @WithDefault("20000")
    int users();

    /**
     * Share of logins from one IP ({@code 203.0.113.66}, a documentation address), many users behind it like a
     * credential-stuffing bot, 0 to 1. At the default rate that is 150 logins a minute, above stats' default IP alert
     * threshold (100 per window), so the dashboard flags it.
     */
    @WithDefault("0.05")
    double suspiciousShare();

    /** Seed of the random source, for reproducible streams; random when absent. */
    OptionalLong seed();
}
