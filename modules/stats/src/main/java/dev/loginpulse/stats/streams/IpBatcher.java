package dev.loginpulse.stats.streams;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

import dev.loginpulse.events.CleanLogin;
import dev.loginpulse.events.Insight;

/**
 * What goes to the IP repartition topic: instead of one record per login, each clean
 * partition counts its logins per (pane, IP) in memory and sends them every {@link WindowSpec#emitInterval()} as one
 * {@link IpBatch} per bucket of IPs (an IP's bucket is fixed, so all its logins reach the same IP partition), then
 * requests a commit.
 * <p>
 * Nothing counted is lost or counted twice: the counts not yet sent when Kafka Streams commits (a commit between two
 * sends, a rebalance, a shutdown) are written to this processor's {@link PaneStore} in that commit, read back when the
 * task starts, and deleted in the transaction that sends them. Since a commit follows each send, the store is
 * usually empty at a commit and written rarely.
 */
class IpBatcher implements Processor<String, CleanLogin, String, IpBatch> {

    /**
     * Buckets of IPs: a batch per non-empty bucket and emission. A multiple of every partition count up to 6 (and 10,
     * 12, 15, 20, 30, 60), so that each IP partition gets the same number of buckets.
     */
    static final int BUCKETS = 60;

    /** Routes a bucket's batches to a fixed partition of the IP repartition topic. */
    static final StreamPartitioner<String, IpBatch> PARTITIONER = (topic, key, value,
            numPartitions) -> Optional.of(Set.of(Integer.parseInt(key) % numPartitions));

    private final InsightSpec spec;
    private final CommitPacing pacing;
    private final long advance;
    /** Logins per pane start and IP not yet sent, grouped by the (quantized) watermark they arrived with. */
    private final Map<Long, Map<String, Group>> pending = new HashMap<>();
    /** Store keys holding pending counts written by a commit; deleted once sent. */
    private final Set<String> stored = new LinkedHashSet<>();
    private ProcessorContext<String, IpBatch> context;
    private PaneStore store;
    private int taskPartition;
    private long watermark = Long.MIN_VALUE;

    IpBatcher(InsightSpec spec) {
        this(spec, CommitPacing.unpaced());
    }

    IpBatcher(InsightSpec spec, CommitPacing pacing) {
        this.pacing = pacing;
        this.spec = spec;
        this.advance = spec.windows().advanceMs();
    }

    @Override
    public void init(ProcessorContext<String, IpBatch> context) {
        this.context = context;
        this.store = context.getStateStore(StatsTopology.IP_BATCHES_STORE);
        this.taskPartition = context.taskId().partition();
        pending.clear();
        stored.clear();
        watermark = Long.MIN_VALUE;
        store.forEach((key, value) -> {
            // <pane start, 19 digits>\0<watermark>\0<ip>
            long pane = Long.parseLong(key.substring(0, 19));
            int separator = key.indexOf(StatePanes.SEPARATOR, 20);
            long groupWatermark = Long.parseLong(key.substring(20, separator));
            add(pane, key.substring(separator + 1), groupWatermark, ByteBuffer.wrap(value).getInt());
            stored.add(key);
        });
        store.beforeCommit(this::writePending);
        context.schedule(spec.windows().emitInterval(), PunctuationType.WALL_CLOCK_TIME, now -> send());
    }

    @Override
    public void process(Record<String, CleanLogin> record) {
        String ip = record.value().ip();
        if (ip == null || StatsTopology.UNKNOWN.equals(ip)) {
            return;
        }
        watermark = Math.max(watermark, SourceGate.watermark(record.headers()));
        long pane = Math.floorDiv(record.timestamp(), advance) * advance;
        add(pane, ip, quantize(pane, watermark), 1);
    }

    private void add(long pane, String ip, long groupWatermark, int logins) {
        Map<String, Group> ips = pending.get(pane);
        if (ips == null) {
            ips = new HashMap<>();
            pending.put(pane, ips);
        }
        Group first = ips.get(ip);
        for (Group group = first; group != null; group = group.next) {
            if (group.watermark == groupWatermark) {
                group.logins += logins;
                return;
            }
        }
        ips.put(ip, new Group(groupWatermark, logins, first));
    }

    /**
     * The largest closing time, of the windows (of both views) that contain the pane, that is at or below the
     * watermark ({@code Long.MIN_VALUE} if none): the same windows are open at it as at the watermark, so the logins
     * of a pane fall into a handful of groups however the watermark moves.
     */
    long quantize(long pane, long watermark) {
        if (watermark == Long.MIN_VALUE) {
            return Long.MIN_VALUE;
        }
        long size = spec.windows().sizeMs();
        long grace = spec.windows().graceMs();
        long result = Long.MIN_VALUE;
        // hopping windows containing the pane start from max(0, pane - size + advance) to pane; one closes at
        // start + size + grace
        long latestClosed = Math.floorDiv(watermark - size - grace, advance) * advance;
        if (latestClosed >= Math.max(0, pane - size + advance)) {
            result = Math.min(latestClosed, pane) + size + grace;
        }
        long tumbling = spec.sizeMs(Insight.TUMBLING);
        long tumblingCloses = Math.floorDiv(pane, tumbling) * tumbling + tumbling + grace;
        if (tumblingCloses <= watermark) {
            result = Math.max(result, tumblingCloses);
        }
        return result;
    }

    private void send() {
        if (pending.isEmpty()) {
            return;
        }
        List<List<IpBatch.Entry>> buckets = new ArrayList<>(BUCKETS);
        for (int i = 0; i < BUCKETS; i++) {
            buckets.add(null);
        }
        pending.forEach((pane, ips) -> ips.forEach((ip, first) -> {
            int bucket = Math.floorMod(ip.hashCode(), BUCKETS);
            List<IpBatch.Entry> entries = buckets.get(bucket);
            if (entries == null) {
                entries = new ArrayList<>();
                buckets.set(bucket, entries);
            }
            for (Group group = first; group != null; group = group.next) {
                entries.add(new IpBatch.Entry(pane, group.watermark, ip, group.logins));
            }
        }));
        long now = context.currentSystemTimeMs();
        pacing.punctuating(now);
        for (int bucket = 0; bucket < BUCKETS; bucket++) {
            List<IpBatch.Entry> entries = buckets.get(bucket);
            if (entries != null) {
                context.forward(new Record<>(Integer.toString(bucket), new IpBatch(taskPartition, watermark, entries),
                        now));
            }
        }
        pending.clear();
        for (String key : stored) {
            store.delete(key);
        }
        stored.clear();
        // the next commit makes the batches visible and durable together with the offsets of what they count
        pacing.requestCommit(context);
    }

    /** Before a commit: the counts not yet sent go to the store, so that the commit does not lose them. */
    private void writePending() {
        pending.forEach((pane, ips) -> {
            String prefix = StatePanes.pad(pane) + StatePanes.SEPARATOR;
            ips.forEach((ip, first) -> {
                for (Group group = first; group != null; group = group.next) {
                    String key = prefix + group.watermark + StatePanes.SEPARATOR + ip;
                    store.put(key, ByteBuffer.allocate(4).putInt(group.logins).array());
                    stored.add(key);
                }
            });
        });
    }

    /** The logins of one (pane, IP) that arrived at one quantized watermark; a list, usually of one. */
    private static final class Group {
        final long watermark;
        int logins;
        final Group next;

        Group(long watermark, int logins, Group next) {
            this.watermark = watermark;
            this.logins = logins;
            this.next = next;
        }
    }
}
