package dev.loginpulse.stats.streams;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.jboss.logging.Logger;

import dev.loginpulse.events.CleanLogin;
import dev.loginpulse.events.RawOffsets;
import dev.loginpulse.events.Topics;
import dev.loginpulse.stats.streams.Counts.SourcePosition;

/**
 * The first step of every clean record, ahead of everything the stats count:
 * <ul>
 * <li><b>Once only.</b> A record whose {@link Topics#SOURCE_OFFSET} is at or below the highest already counted for its
 * raw partition is a re-delivery by the cleaner after a crash, and is skipped.</li>
 * <li><b>Nothing impossible.</b> A source header that does not parse, or names an offset at or beyond the end of its
 * {@code user-login} partition (a forged {@code 0:9223372036854775807} would otherwise make every later record of that
 * partition look like a re-delivery), is dropped and counted ({@link StatsMetrics#droppedRecord}, and in
 * {@link StatsTopology#SOURCE_INTEGRITY_STORE} for {@link IntegrityPublisher}), never silently.
 * The end offsets are asked of the broker only when an offset is not plausible at once: the first of a partition, or
 * more than {@link #PLAUSIBLE_JUMP} past the last one.</li>
 * <li><b>Event-time progress per source partition.</b> It keeps each raw partition's largest event time
 * ({@link SourceProgress}) and stamps every record it lets through with the task's watermark
 * ({@link #WATERMARK_HEADER}), which decides for the processors behind it which windows are still open. The positions
 * live in {@link StatsTopology#SOURCE_PROGRESS_STORE} (changelogged), so a restart resumes with the same watermark.</li>
 * </ul>
 * A record without a source header (written by something other than the cleaner, e.g. a migration) is counted, under
 * the source {@link #DIRECT}.
 */
class SourceGate implements FixedKeyProcessor<String, CleanLogin, CleanLogin> {

    /** Internal header: the watermark of the task that let the record through, {@code int} task partition + {@code long}. */
    static final String WATERMARK_HEADER = "pulse-watermark";
    /** The source of records without a {@link Topics#SOURCE_OFFSET} header. */
    static final String DIRECT = "direct";
    /** A larger jump in raw offsets than this is checked against the raw partition's end offset. */
    static final long PLAUSIBLE_JUMP = 10_000;
    /** Drop reason: the source header is not {@code <partition>:<offset>} with non-negative numbers. */
    static final String MALFORMED_SOURCE = "malformed-source-offset";
    /** Drop reason: the source offset is at or beyond the end of its raw partition, or the partition does not exist. */
    static final String IMPOSSIBLE_SOURCE_OFFSET = "impossible-source-offset";

    private static final Logger LOG = Logger.getLogger(SourceGate.class);

    private final SourceProgress progress;
    private final RawOffsets rawOffsets;
    private final StatsMetrics metrics;
    private FixedKeyProcessorContext<String, CleanLogin> context;
    private KeyValueStore<String, SourcePosition> positions;
    private KeyValueStore<String, Long> integrity;
    private int taskPartition;

    SourceGate(WindowSpec spec, RawOffsets rawOffsets, StatsMetrics metrics) {
        this.progress = new SourceProgress(spec.maxSourceLagMs());
        this.rawOffsets = rawOffsets;
        this.metrics = metrics;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, CleanLogin> context) {
        this.context = context;
        this.positions = context.getStateStore(StatsTopology.SOURCE_PROGRESS_STORE);
        this.integrity = context.getStateStore(StatsTopology.SOURCE_INTEGRITY_STORE);
        this.taskPartition = context.taskId().partition();
        for (int partition = 0; partition < rawOffsets.partitions(); partition++) {
            progress.expect(Integer.toString(partition));
        }
        try (KeyValueIterator<String, SourcePosition> all = positions.all()) {
            while (all.hasNext()) {
                var entry = all.next();
                progress.observe(entry.key, entry.value.maxEventMillis());
            }
        }
    }

    @Override
    public void process(FixedKeyRecord<String, CleanLogin> record) {
        if (record.value() == null) {
            return; // a tombstone: nothing to count (a value that is not a clean login never gets here)
        }
        Header header = record.headers().lastHeader(Topics.SOURCE_OFFSET);
        String source = DIRECT;
        long offset = -1;
        if (header != null) {
            String value = header.value() == null ? "" : new String(header.value(), StandardCharsets.US_ASCII);
            int colon = value.indexOf(':');
            int partition;
            try {
                partition = Integer.parseInt(value.substring(0, Math.max(colon, 0)));
                offset = Long.parseLong(value.substring(colon + 1));
            } catch (NumberFormatException e) {
                partition = -1;
            }
            if (partition < 0 || offset < 0) {
                drop(MALFORMED_SOURCE, value);
                return;
            }
            source = Integer.toString(partition);
            SourcePosition position = positions.get(source);
            if (position != null && offset <= position.offset()) {
                metrics.redelivery();
                count(IntegrityPublisher.REDELIVERIES);
                return;
            }
            if ((position == null || offset - position.offset() > PLAUSIBLE_JUMP)
                    && offset >= rawOffsets.endOffset(partition)) {
                drop(IMPOSSIBLE_SOURCE_OFFSET, value);
                return;
            }
        }
        long latest = progress.observe(source, record.timestamp());
        positions.put(source, new SourcePosition(offset, latest));
        Headers headers = record.headers();
        headers.remove(WATERMARK_HEADER);
        headers.add(WATERMARK_HEADER,
                ByteBuffer.allocate(12).putInt(taskPartition).putLong(progress.watermark()).array());
        context.forward(record);
    }

    private void drop(String reason, String header) {
        metrics.droppedRecord(reason);
        count(IntegrityPublisher.DROPPED_PREFIX + reason);
        LOG.warnf("Dropped a record on %s that cannot come from the cleaner (%s: %s=%s)", Topics.USER_LOGIN_CLEAN,
                reason, Topics.SOURCE_OFFSET, header.length() > 60 ? header.substring(0, 60) + "..." : header);
    }

    /** One more in the task's running count {@code key}, published by {@link IntegrityPublisher}. */
    private void count(String key) {
        Long count = integrity.get(key);
        integrity.put(key, count == null ? 1 : count + 1);
    }

    /** The watermark a record was stamped with; {@code Long.MIN_VALUE} (every window open) if it has none. */
    static long watermark(Headers headers) {
        Header header = headers.lastHeader(WATERMARK_HEADER);
        return header == null || header.value() == null || header.value().length != 12 ? Long.MIN_VALUE
                : ByteBuffer.wrap(header.value()).getLong(4);
    }
}
