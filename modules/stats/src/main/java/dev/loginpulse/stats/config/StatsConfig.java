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

    /**
     * How far (in event time) a partition of user-login may trail the most advanced one and still hold windows open.
     * Windows close by a watermark: the smallest of the raw partitions' largest event times, so a backlog that the
     * cleaner interleaves partition by partition closes nothing early. A partition that is idle, or further behind than
     * this, stops holding windows open; its logins older than the windows then open count as late.
     */
    @WithDefault("PT2M")
    Duration maxSourceLag();

    /**
     * How often changed windows are published to user-login-stats (wall clock). With the commit interval it bounds how
     * soon a login shows: on average half of each.
     */
    @WithDefault("PT0.1S")
    Duration emitInterval();

    /**
     * The largest share of a stream thread's time that the commits publications request may take, in (0, 1]. Each
     * publication asks for a commit so that it shows at once; when commits are slow (a replicated cluster, a starved
     * machine) the requests are granted less often, at most once per commit interval, so that processing keeps the
     * rest. 1 grants every request.
     */
    @WithDefault("0.2")
    double maxCommitShare();

    /**
     * Length of the tumbling (non-overlapping) windows of the insights on user-login-insights, beside the hopping
     * ones; a whole multiple of {@link #windowAdvance()}.
     */
    @WithDefault("PT30S")
    Duration tumblingSize();

    /** How many IPs each window's top-ips record lists, most logins first; also the largest limit of GET /api/ips/top. */
    @WithDefault("25")
    int topIps();

    /**
     * An IP with more logins than this in one window (of either view) is flagged as possible abuse in the top-ips
     * records, and counted in their ips_over_threshold.
     */
    @WithDefault("100")
    long ipAlertThreshold();

    /**
     * Host name or address under which the other stats instances reach this one's HTTP port; together with
     * quarkus.http.port it is advertised as Kafka Streams' application.server, and the REST API proxies a query for
     * data this instance does not hold to the instance that does. Must be reachable from the other instances (in
     * Kubernetes: the pod IP).
     */
    @WithDefault("127.0.0.1")
    String host();
}
