package dev.loginpulse.stats.streams;

import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.QueryableStoreType;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.internals.CacheFlushListener;
import org.apache.kafka.streams.state.internals.CachedStateStore;
import org.apache.kafka.streams.state.internals.StateStoreProvider;

/**
 * The durable copy of a processor's in-memory state: a persistent, changelogged key-value store of strings to bytes
 * that tells its processor when Kafka Streams is about to commit, so the processor keeps its state in memory, updates
 * it per record without any store call, and writes only what changed, once per commit ({@link #beforeCommit}).
 * <p>
 * The hook is the one Kafka Streams' own record caches use: before every commit (and before a task is closed cleanly)
 * it calls {@code flushCache()} on each store that implements its {@code CachedStateStore}, then flushes the producer
 * and commits the transaction. So everything the processor writes in the hook goes out in the same exactly-once
 * transaction as the input offsets and the published records: a crash or a failed commit leaves the store, the
 * offsets and the output at the previous commit, and the processor rebuilds its memory from the store when the task
 * starts again ({@code init} runs again after a task is revived). {@code CachedStateStore} is internal to Kafka
 * Streams; {@code PaneStoreTest} checks that the hook runs before each commit with the Kafka Streams version in use.
 * <p>
 * Not a {@link KeyValueStore} on purpose: Kafka Streams hands processors such stores behind a decorator, and this one
 * must reach the processor as itself. Queryable through {@link #queryableType()}.
 */
public final class PaneStore implements StateStore, CachedStateStore<String, byte[]> {

    private final KeyValueStore<String, byte[]> inner;
    private Runnable beforeCommit = () -> {
    };

    private PaneStore(KeyValueStore<String, byte[]> inner) {
        this.inner = inner;
    }

    /** A persistent (RocksDB), changelogged, uncached store of this name. */
    static StoreBuilder<PaneStore> builder(String name) {
        return new Builder(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(),
                Serdes.ByteArray()).withCachingDisabled());
    }

    /** A pane store over any key-value store (tests: an in-memory one, with a {@code MockProcessorContext}). */
    static PaneStore wrapping(KeyValueStore<String, byte[]> inner) {
        return new PaneStore(inner);
    }

    /** Called before every commit of the store's task, on the stream thread: write what changed since the last. */
    void beforeCommit(Runnable hook) {
        this.beforeCommit = hook;
    }

    public byte[] get(String key) {
        return inner.get(key);
    }

    void put(String key, byte[] value) {
        inner.put(key, value);
    }

    void delete(String key) {
        inner.delete(key);
    }

    /** Every entry, in key order. */
    public void forEach(BiConsumer<String, byte[]> action) {
        try (KeyValueIterator<String, byte[]> all = inner.all()) {
            all.forEachRemaining(entry -> action.accept(entry.key, entry.value));
        }
    }

    /** Every entry whose key starts with {@code prefix}, in key order. */
    public void forEachWithPrefix(String prefix, BiConsumer<String, byte[]> action) {
        try (KeyValueIterator<String, byte[]> all = inner.prefixScan(prefix, Serdes.String().serializer())) {
            all.forEachRemaining(entry -> action.accept(entry.key, entry.value));
        }
    }

    @Override
    public void flushCache() {
        beforeCommit.run();
        if (inner instanceof CachedStateStore<?, ?> cached) {
            cached.flushCache();
        }
    }

    @Override
    public void clearCache() {
        if (inner instanceof CachedStateStore<?, ?> cached) {
            cached.clearCache();
        }
    }

    @Override
    public boolean setFlushListener(CacheFlushListener<String, byte[]> listener, boolean sendOldValues) {
        return false;
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        inner.init(context, root);
    }

    @Override
    public void flush() {
        inner.flush();
    }

    @Override
    public void close() {
        beforeCommit = () -> {
        };
        inner.close();
    }

    @Override
    public boolean persistent() {
        return inner.persistent();
    }

    @Override
    public boolean isOpen() {
        return inner.isOpen();
    }

    /** For interactive queries: {@code streams.store(fromNameAndType(name, PaneStore.queryableType()))}. */
    public static QueryableStoreType<PaneStore> queryableType() {
        return new QueryableStoreType<>() {
            @Override
            public boolean accepts(StateStore store) {
                return store instanceof PaneStore;
            }

            @Override
            public PaneStore create(StateStoreProvider provider, String storeName) {
                List<PaneStore> stores = provider.stores(storeName, this);
                if (stores.size() != 1) {
                    throw new org.apache.kafka.streams.errors.InvalidStateStoreException(
                            "Expected one store " + storeName + " for the partition queried, found " + stores.size());
                }
                return stores.get(0);
            }
        };
    }

    private record Builder(StoreBuilder<KeyValueStore<String, byte[]>> inner) implements StoreBuilder<PaneStore> {

        @Override
        public StoreBuilder<PaneStore> withCachingEnabled() {
            throw new UnsupportedOperationException("a pane store keeps its own state in memory; no cache");
        }

        @Override
        public StoreBuilder<PaneStore> withCachingDisabled() {
            return this;
        }

        @Override
        public StoreBuilder<PaneStore> withLoggingEnabled(Map<String, String> config) {
            return new Builder(inner.withLoggingEnabled(config));
        }

        @Override
        public StoreBuilder<PaneStore> withLoggingDisabled() {
            return new Builder(inner.withLoggingDisabled());
        }

        @Override
        public PaneStore build() {
            return new PaneStore(inner.build());
        }

        @Override
        public Map<String, String> logConfig() {
            return inner.logConfig();
        }

        @Override
        public boolean loggingEnabled() {
            return inner.loggingEnabled();
        }

        @Override
        public String name() {
            return inner.name();
        }
    }
}
