package dev.loginpulse.stats.streams;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

import dev.loginpulse.events.CleanLogin;
import dev.loginpulse.events.Insight;

import static org.assertj.core.api.Assertions.assertThat;

class IpBatcherTest {

    private static final InsightSpec SPEC = InsightSpec.defaults();
    private static final long PANE = Instant.parse("2023-09-12T00:01:00Z").toEpochMilli();

    @Test
    void aQuantizedWatermarkOpensExactlyTheWindowsTheWatermarkOpens() {
        IpBatcher batcher = new IpBatcher(SPEC);
        // every watermark from well before to well after the pane's windows close, in steps of 1 s and 1 ms either side
        for (long watermark = PANE - 10_000; watermark <= PANE + 120_000; watermark += 1_000) {
            for (long w : List.of(watermark - 1, watermark, watermark + 1)) {
                long quantized = batcher.quantize(PANE, w);
                assertThat(quantized).isLessThanOrEqualTo(w);
                for (InsightSpec.WindowRef window : SPEC.windowsOf(PANE)) {
                    assertThat(SPEC.isOpen(window.view(), window.start(), quantized))
                            .as("%s at watermark %d (quantized %d)", window, w, quantized)
                            .isEqualTo(SPEC.isOpen(window.view(), window.start(), w));
                }
            }
        }
    }

    @Test
    void theLoginsOfAPaneFallIntoAtMostOneGroupPerClosingWindow() {
        IpBatcher batcher = new IpBatcher(SPEC);
        long groups = java.util.stream.LongStream.range(0, 200_000).map(offset -> batcher.quantize(PANE,
                PANE + offset)).distinct().count();
        // six hopping windows and one tumbling window contain the pane; one more group while none has closed
        assertThat(groups).isLessThanOrEqualTo(SPEC.windowsOf(PANE).size() + 1);
        assertThat(Duration.ofMillis(SPEC.sizeMs(Insight.TUMBLING))).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void countsNotYetSentAtACommitAreStoredThenSentOnceByTheRestartedTask() {
        KeyValueStore<String, byte[]> inner = inMemory();
        Batcher first = new Batcher(inner);
        first.login("10.0.0.1", PANE + 1_000);
        first.login("10.0.0.1", PANE + 2_000);
        first.login("10.0.0.2", PANE + 3_000);
        first.commit(); // a commit between two sends: the counts must survive it
        assertThat(entries(inner)).hasSize(2);

        // the task restarts from that commit (the logins after it would be consumed again; there are none)
        Batcher second = new Batcher(inner);
        List<IpBatch.Entry> sent = second.send();

        assertThat(sent).extracting(IpBatch.Entry::ip, IpBatch.Entry::logins)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("10.0.0.1", 2),
                        org.assertj.core.groups.Tuple.tuple("10.0.0.2", 1));
        assertThat(second.context.committed()).as("a commit follows each send").isTrue();
        second.commit();
        assertThat(entries(inner)).as("sent, so deleted in the same transaction").isEmpty();
        assertThat(second.send()).isEmpty();
    }

    @Test
    void loginsOfOneIpAndPaneThatSawDifferentOpenWindowsTravelAsSeparateEntries() {
        KeyValueStore<String, byte[]> inner = inMemory();
        Batcher batcher = new Batcher(inner);
        batcher.login("10.0.0.1", PANE + 1_000, PANE);
        batcher.login("10.0.0.1", PANE + 2_000, PANE + 1_000);
        // the hopping window of PANE - 50 s closes at PANE + 20 s: a login after that sees one window fewer
        batcher.login("10.0.0.1", PANE + 3_000, PANE + 25_000);

        List<IpBatch.Entry> sent = batcher.send();

        assertThat(sent).extracting(IpBatch.Entry::logins).containsExactlyInAnyOrder(2, 1);
    }

    /** An IpBatcher on a store, driven as a stream task drives it. */
    private static final class Batcher {
        private final MockProcessorContext<String, IpBatch> context = new MockProcessorContext<>();
        private final PaneStore store;
        private final IpBatcher batcher = new IpBatcher(SPEC);

        Batcher(KeyValueStore<String, byte[]> inner) {
            store = PaneStore.wrapping(inner);
            context.setCurrentSystemTimeMs(PANE);
            if (!inner.isOpen()) {
                inner.init(context.getStateStoreContext(), inner);
            }
            context.addStateStore(store);
            batcher.init(context);
        }

        void login(String ip, long time) {
            login(ip, time, time);
        }

        void login(String ip, long time, long watermark) {
            RecordHeaders headers = new RecordHeaders();
            headers.add(SourceGate.WATERMARK_HEADER, ByteBuffer.allocate(12).putInt(0).putLong(watermark).array());
            CleanLogin login = new CleanLogin(Instant.ofEpochMilli(time).toString(), "CA", "web", "u", "1.0", ip,
                    "d");
            batcher.process(new Record<>("CA", login, time, headers));
        }

        void commit() {
            store.flushCache();
        }

        List<IpBatch.Entry> send() {
            context.resetForwards();
            context.scheduledPunctuators().get(0).getPunctuator().punctuate(PANE);
            return context.forwarded().stream().flatMap(forward -> ((IpBatch) forward.record().value()).entries()
                    .stream()).toList();
        }
    }

    private static KeyValueStore<String, byte[]> inMemory() {
        return Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(StatsTopology.IP_BATCHES_STORE),
                Serdes.String(), Serdes.ByteArray()).withLoggingDisabled().withCachingDisabled().build();
    }

    private static List<String> entries(KeyValueStore<String, byte[]> store) {
        List<String> keys = new java.util.ArrayList<>();
        try (var all = store.all()) {
            all.forEachRemaining(entry -> keys.add(entry.key));
        }
        return keys;
    }

    @Test
    void aBatchSurvivesItsOwnSerde() {
        IpBatch batch = new IpBatch(2, PANE + 5, List.of(new IpBatch.Entry(PANE, Long.MIN_VALUE, "10.0.0.1", 3),
                new IpBatch.Entry(PANE + 10_000, PANE, "2001:db8::ä", 1)));

        assertThat(IpBatch.SERDE.deserializer().deserialize("t", IpBatch.SERDE.serializer().serialize("t", batch)))
                .isEqualTo(batch);
    }
}
