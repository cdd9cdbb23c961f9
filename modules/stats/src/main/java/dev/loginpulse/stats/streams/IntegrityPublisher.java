package dev.loginpulse.stats.streams;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import dev.loginpulse.events.CleanLogin;
import dev.loginpulse.events.Schemas;
import dev.loginpulse.events.SourceIntegrity;
import dev.loginpulse.events.Topics;

/**
 * Publishes the task's running counts of what {@link SourceGate} did not count ({@link SourceIntegrity}: dropped
 * records by reason, skipped re-deliveries) to {@link Topics#USER_LOGIN_INTEGRITY}: once when the task starts, then
 * whenever they changed, at most every emit interval. The counts live in {@link StatsTopology#SOURCE_INTEGRITY_STORE}
 * (changelogged, written by the gate in the same transaction as the records it judged), so what is published is exact
 * and survives restarts. The clean records themselves pass through untouched; nothing is forwarded per record.
 */
class IntegrityPublisher implements Processor<String, CleanLogin, String, SourceIntegrity> {

    /** Store key of the skipped re-deliveries. */
    static final String REDELIVERIES = "redeliveries";
    /** Store key prefix of the dropped records, followed by the reason. */
    static final String DROPPED_PREFIX = "dropped:";

    private final Duration emitInterval;
    private final CommitPacing pacing;
    private ProcessorContext<String, SourceIntegrity> context;
    private KeyValueStore<String, Long> counts;
    private SourceIntegrity published;

    IntegrityPublisher(Duration emitInterval) {
        this(emitInterval, CommitPacing.unpaced());
    }

    IntegrityPublisher(Duration emitInterval, CommitPacing pacing) {
        this.pacing = pacing;
        this.emitInterval = emitInterval;
    }

    @Override
    public void init(ProcessorContext<String, SourceIntegrity> context) {
        this.context = context;
        this.counts = context.getStateStore(StatsTopology.SOURCE_INTEGRITY_STORE);
        context.schedule(emitInterval, PunctuationType.WALL_CLOCK_TIME, this::emit);
    }

    @Override
    public void process(Record<String, CleanLogin> record) {
        // the gate counts; this processor only publishes, on its schedule
    }

    private void emit(long now) {
        pacing.punctuating(now);
        Map<String, Long> dropped = new HashMap<>();
        long redeliveries = 0;
        try (KeyValueIterator<String, Long> all = counts.all()) {
            while (all.hasNext()) {
                var entry = all.next();
                if (entry.key.equals(REDELIVERIES)) {
                    redeliveries = entry.value;
                } else if (entry.key.startsWith(DROPPED_PREFIX)) {
                    dropped.put(entry.key.substring(DROPPED_PREFIX.length()), entry.value);
                }
            }
        }
        int partition = context.taskId().partition();
        if (published != null && published.dropped().equals(dropped)
                && published.redeliveriesSkipped() == redeliveries) {
            return;
        }
        published = new SourceIntegrity(partition, dropped, redeliveries, Instant.ofEpochMilli(now).toString());
        context.forward(new Record<>(SourceIntegrity.key(partition), published, now,
                Schemas.headers(Topics.USER_LOGIN_INTEGRITY)));
        pacing.requestCommit(context);
    }
}
