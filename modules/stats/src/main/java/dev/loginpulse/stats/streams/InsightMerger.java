package dev.loginpulse.stats.streams;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.WindowStore;

import dev.loginpulse.events.Insight;
import dev.loginpulse.events.Schemas;
import dev.loginpulse.events.Topics;
import dev.loginpulse.stats.streams.InsightSpec.WindowRef;

/**
 * The merge step of the insights, on a single-partition topic: keeps the latest {@link InsightPartial} of every source
 * partition per window, and every {@link WindowSpec#emitInterval()} merges the changed windows, stores the merged
 * partial in {@link StatsTopology#INSIGHTS_STORE} (what {@code GET /api/devices} and {@code GET /api/ips/top} read)
 * and publishes its {@link Insight} records. Partials carry absolute figures, so the latest one per source wins and a
 * re-delivered one is harmless. Its input is a few records per source and window per emit interval, whatever the
 * login rate.
 */
class InsightMerger implements Processor<String, InsightPartial, String, Insight> {

    private final InsightSpec spec;
    private final CommitPacing pacing;
    private final Set<WindowRef> dirty = new LinkedHashSet<>();
    private ProcessorContext<String, Insight> context;
    private WindowStore<String, InsightPartial> partials;
    private WindowStore<String, InsightPartial> merged;

    InsightMerger(InsightSpec spec) {
        this(spec, CommitPacing.unpaced());
    }

    InsightMerger(InsightSpec spec, CommitPacing pacing) {
        this.pacing = pacing;
        this.spec = spec;
    }

    @Override
    public void init(ProcessorContext<String, Insight> context) {
        this.context = context;
        this.partials = context.getStateStore(StatsTopology.PARTIALS_STORE);
        this.merged = context.getStateStore(StatsTopology.INSIGHTS_STORE);
        context.schedule(spec.windows().emitInterval(), PunctuationType.WALL_CLOCK_TIME, now -> emit());
    }

    @Override
    public void process(Record<String, InsightPartial> record) {
        pacing.processing(context.currentSystemTimeMs());
        InsightPartial partial = record.value();
        if (partial == null || partial.view() == null || partial.source() == null) {
            return;
        }
        partials.put(partialKey(partial.view(), partial.source()), partial, partial.windowStart());
        dirty.add(new WindowRef(partial.view(), partial.windowStart()));
    }

    private static String partialKey(String view, String source) {
        return view + '\u0000' + source;
    }

    private void emit() {
        long now = context.currentSystemTimeMs();
        pacing.punctuating(now);
        if (!dirty.isEmpty()) {
            pacing.requestCommit(context); // the insights become visible right after the commit that makes them durable
        }
        for (WindowRef window : dirty) {
            List<InsightPartial> sources = new ArrayList<>();
            String prefix = partialKey(window.view(), "");
            try (KeyValueIterator<Windowed<String>, InsightPartial> all = partials.fetchAll(window.start(),
                    window.start())) {
                while (all.hasNext()) {
                    KeyValue<Windowed<String>, InsightPartial> entry = all.next();
                    if (entry.key.key().startsWith(prefix)) {
                        sources.add(entry.value);
                    }
                }
            }
            if (sources.isEmpty()) {
                continue;
            }
            InsightPartial whole = InsightPartial.merge(sources, spec.topIps());
            merged.put(window.view(), whole, window.start());
            for (Insight insight : InsightRecords.of(whole, spec.topIps(), spec.ipAlertThreshold())) {
                context.forward(new Record<>(insight.kind(), insight, now, Schemas.headers(Topics.USER_LOGIN_INSIGHTS)));
            }
        }
        dirty.clear();
    }
}
