package dev.loginpulse.stats.streams;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

import dev.loginpulse.events.CleanLogin;
import dev.loginpulse.events.StateInsights;
import dev.loginpulse.events.StateStats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link PaneStatsProcessor} against its store as Kafka Streams drives it: records, a commit ({@code flushCache} on
 * the store, which runs the processor's hook), punctuations, and a restart (a new processor instance initialised on
 * the store as the last commit left it). Expected figures are counted by brute force from the logins sent, with the
 * windows' rule: a login counts in each 60 s window (every 10 s) that contains it and had not closed (start + 70 s >
 * the watermark) when it arrived.
 */
class PaneStatsProcessorTest {

    private static final long T0 = Instant.parse("2023-09-12T00:00:00Z").toEpochMilli();
    private static final WindowSpec SPEC = WindowSpec.defaults();
    private static final List<String> STATES = List.of("CA", "TX", "RI", "UNK");

    /** One login as sent: its state, user, event time and the watermark it arrived with. */
    private record Sent(String state, String user, long millis, long watermark) {
    }

    @Test
    void figuresAfterARestartFromTheStoreEqualThoseOfAnUninterruptedRun() {
        List<Sent> logins = logins(new Random(7), 6_000, 400);
        KeyValueStore<String, byte[]> inner = inMemory();
        Map<WindowKey, StateStats> published = new HashMap<>();

        Instance first = new Instance(inner);
        first.process(logins.subList(0, 2_500));
        first.commit();
        first.emit(published);
        Map<WindowKey, StateStats> beforeRestart = new HashMap<>(published);

        Instance second = new Instance(inner);
        Map<WindowKey, StateStats> republished = new HashMap<>();
        second.emit(republished);
        assertThat(republished).as("every window kept is published again, unchanged").isEqualTo(
                restrictTo(beforeRestart, republished.keySet()));
        assertThat(republished).isNotEmpty();
        assertThat(second.mixes).as("and its mix, read back from the store").isNotEmpty()
                .allSatisfy((window, mix) -> assertThat(mix).isEqualTo(first.mixes.get(window)));

        second.process(logins.subList(2_500, logins.size()));
        second.commit();
        second.emit(published);

        assertMatchesBruteForce(published, logins);
    }

    @Test
    void aCommitThatFailsHalfWayLeavesTheLastCommitAndTheReprocessedLoginsCountOnce() {
        List<Sent> logins = logins(new Random(11), 5_000, 3_000);
        KeyValueStore<String, byte[]> committed = inMemory();
        AtomicInteger writesLeft = new AtomicInteger(Integer.MAX_VALUE);
        Map<WindowKey, StateStats> published = new HashMap<>();

        Instance first = new Instance(failingAfter(committed, writesLeft));
        first.process(logins.subList(0, 2_000));
        first.commit();
        first.emit(published);
        Map<String, byte[]> atLastCommit = snapshot(committed);

        first.process(logins.subList(2_000, 3_500));
        writesLeft.set(5);
        assertThatThrownBy(first::commit).hasMessageContaining("injected");

        // Exactly once: the transaction is aborted, the store is restored from the changelog as of the last commit, the
        // output since then is never seen by read_committed readers, and the input since then is consumed again.
        KeyValueStore<String, byte[]> restored = inMemory();
        restored.init(new MockProcessorContext<>().getStateStoreContext(), restored);
        atLastCommit.forEach(restored::put);
        // what the first instance emitted after its last commit went out in the aborted transaction
        Map<WindowKey, StateStats> seenByReaders = new HashMap<>();
        Instance second = new Instance(restored);
        second.process(logins.subList(2_000, logins.size()));
        second.commit();
        second.emit(seenByReaders);

        assertMatchesBruteForce(seenByReaders, logins);
    }

    @Test
    void usersOfPanesWhoseWindowsHaveAllClosedLeaveMemoryAndStore() {
        KeyValueStore<String, byte[]> inner = inMemory();
        Instance instance = new Instance(inner);
        instance.process(List.of(new Sent("CA", "u1", T0 + 5_000, T0 + 5_000)));
        instance.commit();
        assertThat(keysWithPrefix(inner, StatePanes.prefix(StatePanes.USERS, "CA"))).hasSize(1);

        // the watermark passes the end of the last window containing the pane (00:00:00 + 60 s) plus grace
        instance.process(List.of(new Sent("CA", "u2", T0 + 80_000, T0 + 80_000)));
        instance.emit(new HashMap<>());
        instance.commit();
        assertThat(keysWithPrefix(inner, StatePanes.prefix(StatePanes.USERS, "CA")))
                .allSatisfy(key -> assertThat(key).doesNotContain(StatePanes.pad(T0)));
        assertThat(keysWithPrefix(inner, StatePanes.prefix(StatePanes.WINDOW, "CA")))
                .as("the closed window's counters stay a while").anyMatch(key -> key.endsWith(StatePanes.pad(T0)));

        // six advances later the window's counters go too
        instance.process(List.of(new Sent("CA", "u3", T0 + 140_000, T0 + 140_000)));
        instance.emit(new HashMap<>());
        instance.commit();
        assertThat(keysWithPrefix(inner, StatePanes.prefix(StatePanes.WINDOW, "CA")))
                .noneMatch(key -> key.endsWith(StatePanes.pad(T0)));
    }

    @Test
    void aStateKeyWithTheStoreSeparatorInItSurvivesARestart() {
        KeyValueStore<String, byte[]> inner = inMemory();
        Instance first = new Instance(inner);
        first.process(List.of(new Sent("C\u0000A", "u1", T0 + 5_000, T0 + 5_000)));
        first.commit();

        Map<WindowKey, StateStats> republished = new HashMap<>();
        new Instance(inner).emit(republished);

        assertThat(republished.values()).isNotEmpty().allSatisfy(stats -> {
            assertThat(stats.state()).isEqualTo("C\uFFFDA");
            assertThat(stats.logins()).isEqualTo(1);
        });
    }

    @Test
    void publishingRequestsACommitSoThatReadersSeeTheRecordsAtOnce() {
        Instance instance = new Instance(inMemory());
        instance.emit(new HashMap<>());
        assertThat(instance.context.committed()).as("nothing published, no commit requested").isFalse();

        instance.process(List.of(new Sent("CA", "u1", T0 + 5_000, T0 + 5_000)));
        Map<WindowKey, StateStats> published = new HashMap<>();
        instance.emit(published);

        assertThat(published).isNotEmpty();
        assertThat(instance.context.committed()).isTrue();
    }

    /**
     * Logins over about {@code spreadSeconds} of event time, out of order by up to 40 s, with a watermark that trails
     * the largest time sent by 30 s, so some logins are late for some of their windows and some for all.
     */
    private static List<Sent> logins(Random random, int count, int users) {
        List<Sent> sent = new ArrayList<>();
        long largest = T0;
        for (int i = 0; i < count; i++) {
            long time = T0 + i * 40L + random.nextInt(40_000) - 20_000;
            time = Math.max(T0, time);
            largest = Math.max(largest, time);
            sent.add(new Sent(STATES.get(random.nextInt(STATES.size())), "user-" + random.nextInt(users), time,
                    largest - 30_000));
        }
        return sent;
    }

    private static void assertMatchesBruteForce(Map<WindowKey, StateStats> published, List<Sent> logins) {
        Map<WindowKey, Long> expectedLogins = new TreeMap<>();
        Map<WindowKey, Set<String>> expectedUsers = new HashMap<>();
        Map<String, Long> totals = new HashMap<>();
        for (Sent login : logins) {
            totals.merge(login.state(), 1L, Long::sum);
            long latestStart = Math.floorDiv(login.millis(), 10_000) * 10_000;
            for (long start = latestStart - 50_000; start <= latestStart; start += 10_000) {
                boolean contains = start <= login.millis() && login.millis() < start + 60_000;
                boolean open = start + 70_000 > login.watermark();
                if (start >= 0 && contains && open) {
                    WindowKey key = new WindowKey(login.state(), start);
                    expectedLogins.merge(key, 1L, Long::sum);
                    expectedUsers.computeIfAbsent(key, k -> new HashSet<>()).add(login.user());
                }
            }
        }
        // windows kept (not yet expired) must match exactly; an expired one was published before it expired
        assertThat(expectedLogins).isNotEmpty();
        expectedLogins.forEach((key, count) -> {
            StateStats stats = published.get(key);
            assertThat(stats).as("window %s published", key).isNotNull();
            assertThat(stats.logins()).as("logins of %s", key).isEqualTo(count);
            assertThat(stats.uniqueUsers()).as("users of %s", key).isEqualTo(expectedUsers.get(key).size());
        });
        assertThat(published.keySet()).isEqualTo(expectedLogins.keySet());
        totals.forEach((state, total) -> assertThat(published.values().stream()
                .filter(stats -> stats.state().equals(state)).mapToLong(StateStats::totalLogins).max())
                .as("total of %s", state).hasValue(total));
    }

    private static Map<WindowKey, StateStats> restrictTo(Map<WindowKey, StateStats> map, Set<WindowKey> keys) {
        Map<WindowKey, StateStats> result = new HashMap<>(map);
        result.keySet().retainAll(keys);
        return result;
    }

    /** A (state, window start) pair. */
    private record WindowKey(String state, long start) implements Comparable<WindowKey> {
        @Override
        public int compareTo(WindowKey other) {
            int byState = state.compareTo(other.state);
            return byState != 0 ? byState : Long.compare(start, other.start);
        }
    }

    /** One processor instance on a store, driven as a stream task drives it. */
    private static final class Instance {
        private final MockProcessorContext<String, Object> context = new MockProcessorContext<>();
        /** The latest mix per window, from every emission. */
        private final Map<WindowKey, StateInsights> mixes = new HashMap<>();
        private final PaneStore store;
        private final PaneStatsProcessor processor = new PaneStatsProcessor(SPEC, StatsMetrics.NONE);

        Instance(KeyValueStore<String, byte[]> inner) {
            store = PaneStore.wrapping(inner);
            context.setCurrentSystemTimeMs(T0);
            if (!inner.isOpen()) {
                inner.init(context.getStateStoreContext(), inner);
            }
            context.addStateStore(store);
            processor.init(context);
        }

        void process(List<Sent> logins) {
            for (Sent login : logins) {
                RecordHeaders headers = new RecordHeaders();
                headers.add(SourceGate.WATERMARK_HEADER,
                        ByteBuffer.allocate(12).putInt(0).putLong(login.watermark()).array());
                CleanLogin value = new CleanLogin(Instant.ofEpochMilli(login.millis()).toString(), login.state(),
                        "android", login.user(), "1.0", "10.0.0.1", "d-" + login.user());
                processor.process(new Record<>(login.state(), value, login.millis(), headers));
            }
        }

        void commit() {
            store.flushCache();
        }

        /** Fires the emit punctuator and collects the latest record per window. */
        void emit(Map<WindowKey, StateStats> published) {
            context.scheduledPunctuators().get(0).getPunctuator().punctuate(0);
            for (var forward : context.forwarded()) {
                if (forward.record().value() instanceof StateInsights mix) {
                    mixes.put(new WindowKey(mix.state(), Instant.parse(mix.windowStart()).toEpochMilli()), mix);
                    continue;
                }
                StateStats stats = (StateStats) forward.record().value();
                published.put(new WindowKey(stats.state(), Instant.parse(stats.windowStart()).toEpochMilli()),
                        stats);
            }
            context.resetForwards();
        }
    }

    private static KeyValueStore<String, byte[]> inMemory() {
        return Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(StatsTopology.PANES_STORE), Serdes.String(),
                Serdes.ByteArray()).withLoggingDisabled().withCachingDisabled().build();
    }

    /** The store, failing every write once {@code writesLeft} reaches zero (a commit that fails half way). */
    @SuppressWarnings("unchecked")
    private static KeyValueStore<String, byte[]> failingAfter(KeyValueStore<String, byte[]> store,
            AtomicInteger writesLeft) {
        return (KeyValueStore<String, byte[]>) Proxy.newProxyInstance(PaneStatsProcessorTest.class.getClassLoader(),
                new Class<?>[] { KeyValueStore.class }, (proxy, method, args) -> {
                    if ((method.getName().equals("put") || method.getName().equals("delete"))
                            && writesLeft.getAndDecrement() <= 0) {
                        throw new IllegalStateException("injected: the commit fails half way");
                    }
                    try {
                        return method.invoke(store, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private static Map<String, byte[]> snapshot(KeyValueStore<String, byte[]> store) {
        Map<String, byte[]> copy = new TreeMap<>();
        try (var all = store.all()) {
            all.forEachRemaining(entry -> copy.put(entry.key, entry.value.clone()));
        }
        return copy;
    }

    private static List<String> keysWithPrefix(KeyValueStore<String, byte[]> store, String prefix) {
        List<String> keys = new ArrayList<>();
        try (var all = store.all()) {
            all.forEachRemaining(entry -> {
                if (entry.key.startsWith(prefix)) {
                    keys.add(entry.key);
                }
            });
        }
        return keys;
    }
}
