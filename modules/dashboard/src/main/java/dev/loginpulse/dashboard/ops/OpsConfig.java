package dev.loginpulse.dashboard.ops;

import java.time.Duration;
import java.util.List;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The operations view's settings, {@code pulse.dashboard.ops.*} (env {@code PULSE_DASHBOARD_OPS_*}). */
@ConfigMapping(prefix = "pulse.dashboard.ops")
public interface OpsConfig {

    /**
     * How often the cluster is sampled (Kafka Admin API, the services' metrics) and a snapshot pushed to the
     * {@code /ws/ops} clients; only while at least one is connected.
     */
    @WithDefault("PT1S")
    Duration interval();

    /** The longest one Admin API call or one metrics request of a sample may take; what is missing then is shown so. */
    @WithDefault("PT3S")
    Duration timeout();

    /**
     * Consumer groups whose committed offsets give the lag and consume rates: the cleaner's group and the Kafka
     * Streams application id of stats.
     */
    @WithDefault("cleaner,stats")
    List<String> groups();

    /** A partition's lag (records) from which its group is shown as a warning. */
    @WithDefault("1000")
    long lagWarn();

    /** A partition's lag (records) from which its group is shown as critical. */
    @WithDefault("10000")
    long lagCritical();

    /**
     * The services whose Micrometer metrics ({@code <url>/q/metrics}) are scraped, as {@code name=url}; {@code none}
     * for none. The defaults are {@code ./run.sh}'s ports; the launcher passes the ports it really uses.
     */
    @WithDefault("generator=http://localhost:8081,cleaner=http://localhost:8082,stats=http://localhost:8083")
    List<String> services();
}
