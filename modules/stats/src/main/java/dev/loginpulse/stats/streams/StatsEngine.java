package dev.loginpulse.stats.streams;

/**
 * How the per-state stats are computed (config {@code pulse.stats.engine}); both publish the same records, exactly.
 * The two keep their state in different stores, so switching an existing deployment from one to the other starts the
 * per-state figures afresh: reset the application (docs/operations.md) or give it a new state directory and
 * application id.
 */
public enum StatsEngine {

    /**
     * Kafka Streams window stores: per login a fetch and a put for each of its windows, a user-mask read and write, and
     * a changelog record (issue #2's layout).
     */
    WINDOWS,

    /**
     * In-memory panes (one window advance each) with exact distinct users as dictionary-encoded bitmaps, written to one
     * store once per commit ({@link PaneStatsProcessor}; issue #14's layout).
     */
    PANES;

    /** The engine unless configured otherwise. */
    public static final StatsEngine DEFAULT = PANES;

    /** The store the REST API queries for one state's windows and total. */
    public String stateStore() {
        return this == PANES ? StatsTopology.PANES_STORE : StatsTopology.WINDOWS_STORE;
    }
}
