package dev.loginpulse.dashboard.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The dashboard's settings, {@code pulse.dashboard.*} (env {@code PULSE_DASHBOARD_*}). */
@ConfigMapping(prefix = "pulse.dashboard")
public interface DashboardConfig {

    /**
     * How often changed figures are pushed to the {@code /ws/stats} clients (at most one message per client per
     * interval, each with the latest figures). Part of the event-to-screen latency: on average half of it.
     */
    @WithDefault("PT0.1S")
    Duration broadcastInterval();

    /** A client that has not taken an update for this long is closed (it reconnects and gets a fresh snapshot). */
    @WithDefault("PT10S")
    Duration slowClientTimeout();

    /**
     * Origins, besides the page's own (the request's {@code Host}), from which a browser may open a WebSocket, e.g.
     * {@code https://ops.example.com}; {@code *} allows any. An upgrade with another {@code Origin} is refused with 403.
     */
    Optional<List<String>> allowedOrigins();

    /**
     * Base URL of the archiver, which answers the history queries ({@code /api/history/*}) that the dashboard
     * forwards to it, e.g. {@code http://archiver:8084}.
     */
    @WithDefault("http://localhost:8084")
    URI archiverUrl();

    /**
     * How long a forwarded history query may take (connecting included) before the dashboard gives up and answers
     * 503.
     */
    @WithDefault("PT10S")
    Duration archiverTimeout();
}
