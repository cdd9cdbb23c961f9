package dev.loginpulse.stats.streams;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

import dev.loginpulse.events.CleanLogin;
import dev.loginpulse.events.JsonSerde;
import dev.loginpulse.events.StateInsights;
import dev.loginpulse.events.StateStats;
import dev.loginpulse.events.Topics;
import dev.loginpulse.events.UsState;

/**
 * The one place the stats topology is built. Production ({@code TopologyProducer}) and the {@code TopologyTestDriver}
 * tests both call {@link #build(WindowSpec, InsightSpec)}.
 *
 * <pre>
 * user-login-clean ─▶ SourceGate ───────┬▶ PaneStatsProcessor ─────────────────────────────▶ user-login-stats
 *   (by state)                          │                    └─────────────────────────────▶ user-login-state-insights
 *                                       ├▶ IntegrityPublisher (the gate's drops and skips) ──▶ user-login-integrity
 *                                       ├▶ PaneInsightsProcessor ────────────────┐ partials
 *                                       └▶ IpBatcher ─▶ login-ip-batches ─▶ IpProcessor ┴▶ login-insight-partials
 *                                                    (1 partition) ─▶ InsightMerger ─▶ user-login-insights
 * </pre>
 *
 * The per-state stats and the device, version and locale counts scale with the partitions of {@code user-login-clean};
 * the IP counts with the partitions of the IP repartition topic (as many); only the merge of their small per-window
 * partials runs on a single partition.
 * <p>
 * Which windows are open is decided by a watermark over the source partitions of {@code user-login}, not by stream time
 * ({@link SourceGate}, {@link SourceProgress}): the cleaner interleaves its raw partitions' fetches, and a backlog must
 * not close a window that a slower raw partition still has logins for. Event times are capped at the wall clock
 * ({@link CleanLoginTimestampExtractor}), so a login stamped in the future cannot close the present windows.
 */
public final class StatsTopology {

    /**
     * Per raw partition: the highest raw offset counted (to skip the cleaner's re-deliveries) and the largest event time
     * (the watermark's progress).
     */
    public static final String SOURCE_PROGRESS_STORE = "login-source-progress";
    /** Per task: running counts of dropped records and skipped re-deliveries ({@link IntegrityPublisher}). */
    public static final String SOURCE_INTEGRITY_STORE = "login-source-integrity";
    /** Per IP and pane (one window advance): logins. */
    public static final String IP_PANES_STORE = "login-ip-panes";
    /** Per window and source partition: the latest partial insights. */
    public static final String PARTIALS_STORE = "login-insight-partials";
    /** Per view and window: the merged insights, as published; queried by the REST API. */
    public static final String INSIGHTS_STORE = "login-insights";
    /**
     * Per state its total, per window its counters, per pane its users, per user id its dictionary number
     * ({@link PaneStatsProcessor}); queried by the REST API.
     */
    public static final String PANES_STORE = "login-panes";
    /**
     * Per pane of a clean partition its device, version and locale counts and distinct-device sketch
     * ({@link PaneInsightsProcessor}).
     */
    public static final String INSIGHT_PANES_STORE = "login-insight-panes";
    /** Per clean partition, the IP counts not yet sent when a commit came ({@link IpBatcher}). */
    public static final String IP_BATCHES_STORE = "login-ip-batches";
    /** The repartition topic by IP of the IP batches ({@link IpBatch}), {@code stats-login-ip-batches-repartition}. */
    public static final String IP_BATCH_REPARTITION = "login-ip-batches";
    /** Name of the per-state processor node. */
    public static final String PROCESSOR = "login-stats";
    /** The single-partition repartition topic of the partials, {@code stats-login-insight-partials-repartition}. */
    public static final String PARTIALS_REPARTITION = "login-insight-partials";
    /**
     * The one key of the partials topic and of {@link #INSIGHTS_STORE}'s partition: the REST API asks Kafka Streams
     * which instance owns it.
     */
    public static final String INSIGHTS_KEY = "insights";

    /**
     * What the cleaner writes for a missing IP or device id: such logins count in the device, version and locale
     * figures but not as an IP or a device.
     */
    static final String UNKNOWN = "unknown";

    /** The state a clean login counts under: the record key, else its locale, else {@code UNK}. */
    static String stateOf(String key, CleanLogin login) {
        return key != null ? key : login.locale() != null ? login.locale() : UsState.UNKNOWN;
    }

    /** The value, or {@link #UNKNOWN} for a missing one. */
    static String orUnknown(String value) {
        return value == null ? UNKNOWN : value;
    }

    private StatsTopology() {
    }

    /** The topology with the default insight settings ({@link InsightSpec#defaults()}, on {@code spec}'s windows). */
    public static Topology build(WindowSpec spec) {
        return build(spec, StatsEnvironment.unchecked());
    }

    /** The topology with the default insight settings, in the given environment. */
    public static Topology build(WindowSpec spec, StatsEnvironment environment) {
        InsightSpec defaults = InsightSpec.defaults();
        return build(spec, new InsightSpec(spec, defaults.tumblingSize(), defaults.topIps(),
                defaults.ipAlertThreshold()), environment);
    }

    /** With the system clock, no offset checks and no metrics: for tests. */
    public static Topology build(WindowSpec spec, InsightSpec insights) {
        return build(spec, insights, StatsEnvironment.unchecked());
    }

    /** The topology on {@code spec}'s windows, with these insight settings, in the given environment. */
    public static Topology build(WindowSpec spec, InsightSpec insights, StatsEnvironment environment) {
        if (!insights.windows().equals(spec)) {
            throw new IllegalArgumentException("the insights must use the stats windows: " + spec);
        }
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(PaneStore.builder(PANES_STORE));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(SOURCE_PROGRESS_STORE),
                Serdes.String(), Counts.SourcePosition.SERDE).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(SOURCE_INTEGRITY_STORE),
                Serdes.String(), Serdes.Long()).withCachingEnabled());
        builder.addStateStore(PaneStore.builder(INSIGHT_PANES_STORE));
        builder.addStateStore(PaneStore.builder(IP_BATCHES_STORE));
        builder.addStateStore(Stores.windowStoreBuilder(
                Stores.persistentWindowStore(IP_PANES_STORE, insights.retention(), spec.advance(), false),
                Serdes.String(), Serdes.Long()).withCachingDisabled());
        builder.addStateStore(Stores.windowStoreBuilder(
                Stores.persistentWindowStore(PARTIALS_STORE, insights.retention(), spec.advance(), false),
                Serdes.String(), InsightPartial.SERDE).withCachingEnabled());
        builder.addStateStore(Stores.windowStoreBuilder(
                Stores.persistentWindowStore(INSIGHTS_STORE, insights.retention(), spec.advance(), false),
                Serdes.String(), InsightPartial.SERDE).withCachingEnabled());

        KStream<String, CleanLogin> clean = builder.stream(Topics.USER_LOGIN_CLEAN,
                Consumed.with(Serdes.String(), JsonSerde.cleanLogin())
                        .withTimestampExtractor(new CleanLoginTimestampExtractor(environment.clock())))
                .processValues(() -> new SourceGate(spec, environment.rawOffsets(), environment.metrics()),
                        Named.as("login-source-gate"), SOURCE_PROGRESS_STORE, SOURCE_INTEGRITY_STORE);
        clean.process(() -> new IntegrityPublisher(spec.emitInterval(), environment.pacing()),
                Named.as("login-source-integrity"),
                SOURCE_INTEGRITY_STORE)
                .to(Topics.USER_LOGIN_INTEGRITY, Produced.with(Serdes.String(), JsonSerde.sourceIntegrity()));

        KStream<String, Object> records = clean.process(
                () -> new PaneStatsProcessor(spec, environment.metrics(), environment.pacing()), Named.as(PROCESSOR),
                PANES_STORE);
        KStream<String, StateStats> stats = records
                .filter((state, record) -> record instanceof StateStats, Named.as("login-stats-records"))
                .mapValues(record -> (StateStats) record, Named.as("login-stats-as-stats"));
        records.filter((state, record) -> record instanceof StateInsights, Named.as("login-state-insights"))
                .mapValues(record -> (StateInsights) record, Named.as("login-state-insights-as-insights"))
                .to(Topics.USER_LOGIN_STATE_INSIGHTS, Produced.with(Serdes.String(), JsonSerde.stateInsights()));
        stats.to(Topics.USER_LOGIN_STATS, Produced.with(Serdes.String(), JsonSerde.stateStats()));

        KStream<String, InsightPartial> statePartials = clean.process(
                () -> new PaneInsightsProcessor(insights, environment.pacing()),
                Named.as("login-insights-by-state"), INSIGHT_PANES_STORE);
        KStream<String, InsightPartial> ipPartials = clean
                .process(() -> new IpBatcher(insights, environment.pacing()), Named.as("login-ip-batcher"), IP_BATCHES_STORE)
                .repartition(Repartitioned.<String, IpBatch> as(IP_BATCH_REPARTITION)
                        .withKeySerde(Serdes.String()).withValueSerde(IpBatch.SERDE)
                        .withStreamPartitioner(IpBatcher.PARTITIONER))
                .process(() -> new IpProcessor(insights, environment.pacing()), Named.as("login-ip-counts"), IP_PANES_STORE);
        statePartials.merge(ipPartials, Named.as("login-insight-partials-merge"))
                .repartition(Repartitioned.<String, InsightPartial> as(PARTIALS_REPARTITION)
                        .withKeySerde(Serdes.String()).withValueSerde(InsightPartial.SERDE).withNumberOfPartitions(1))
                .process(() -> new InsightMerger(insights, environment.pacing()), Named.as("login-insight-merger"),
                        PARTIALS_STORE,
                        INSIGHTS_STORE)
                .to(Topics.USER_LOGIN_INSIGHTS, Produced.with(Serdes.String(), JsonSerde.insight()));
        return builder.build();
    }
}
