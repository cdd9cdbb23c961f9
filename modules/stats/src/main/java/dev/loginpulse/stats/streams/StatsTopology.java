package dev.loginpulse.stats.streams;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;

import dev.loginpulse.events.JsonSerde;
import dev.loginpulse.events.Topics;

/**
 * The one place the stats topology is built: {@link Topics#USER_LOGIN_CLEAN} → {@link StatsProcessor} →
 * {@link Topics#USER_LOGIN_STATS}. Production ({@code TopologyProducer}) and the {@code TopologyTestDriver} tests both
 * call {@link #build(WindowSpec)}.
 */
public final class StatsTopology {

    /** All logins and latest event time per state. */
    public static final String TOTALS_STORE = "login-totals";
    /** Logins and distinct users per state and window. */
    public static final String WINDOWS_STORE = "login-windows";
    /** Per (state, user): bitmask of the windows the user is already counted in. */
    public static final String USERS_STORE = "login-window-users";
    /** Highest raw offset counted per raw partition, to skip the cleaner's re-deliveries. */
    public static final String SOURCE_OFFSETS_STORE = "login-source-offsets";
    /** Name of the processor node. */
    public static final String PROCESSOR = "login-stats";

    private StatsTopology() {
    }

    public static Topology build(WindowSpec spec) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(TOTALS_STORE),
                Serdes.String(), Counts.StateTotal.SERDE).withCachingEnabled());
        builder.addStateStore(Stores.windowStoreBuilder(
                Stores.persistentWindowStore(WINDOWS_STORE, spec.windowRetention(), spec.size(), false),
                Serdes.String(), Counts.WindowCount.SERDE).withCachingEnabled());
        builder.addStateStore(Stores.windowStoreBuilder(
                Stores.persistentWindowStore(USERS_STORE, spec.userRetention(),
                        spec.advance().multipliedBy(WindowSpec.SEGMENT_WINDOWS), false),
                Serdes.String(), Serdes.Long()).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(SOURCE_OFFSETS_STORE),
                Serdes.String(), Serdes.Long()).withCachingEnabled());

        builder.stream(Topics.USER_LOGIN_CLEAN, Consumed.with(Serdes.String(), JsonSerde.cleanLogin())
                .withTimestampExtractor(new CleanLoginTimestampExtractor()))
                .process(() -> new StatsProcessor(spec), Named.as(PROCESSOR),
                        TOTALS_STORE, WINDOWS_STORE, USERS_STORE, SOURCE_OFFSETS_STORE)
                .to(Topics.USER_LOGIN_STATS, Produced.with(Serdes.String(), JsonSerde.stateStats()));
        return builder.build();
    }
}
