package dev.loginpulse.stats.streams;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashSet;
import java.util.Set;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

import dev.loginpulse.events.CleanLogin;
import dev.loginpulse.events.StateStats;
import dev.loginpulse.stats.streams.Counts.StateTotal;
import dev.loginpulse.stats.streams.Counts.WindowCount;

/**
 * Counts logins and distinct users per state in hopping windows, and all logins per state, and publishes every changed
 * (state, window) at most once per {@link WindowSpec#emitInterval()}.
 * <ul>
 * <li>Re-deliveries by the cleaner never reach it: {@link SourceGate} lets each raw record through once.</li>
 * <li>Windows close {@code grace} after their end, by the watermark {@link SourceGate} stamps on each record (the
 * slowest source partition's progress, not the largest event time seen); a login too late for every window still
 * counts in the state's total, and in its late count ({@code late_logins}, {@link StatsMetrics#lateLogin}).</li>
 * <li>Distinct users are exact: per (state, user) the store keeps a bitmask of the windows the user was already counted
 * in, one 64-window segment per entry, expired by the store's retention.</li>
 * <li>After a restart every window still in the store is published again, so nothing a crash interrupted stays
 * unpublished (records carry absolute figures; re-publishing is idempotent).</li>
 * </ul>
 */
class StatsProcessor implements Processor<String, CleanLogin, String, StateStats> {

    private final WindowSpec spec;
    private final StatsMetrics metrics;
    private final Set<WindowKey> dirty = new LinkedHashSet<>();
    private final Set<String> dirtyTotals = new LinkedHashSet<>();
    private ProcessorContext<String, StateStats> context;
    private KeyValueStore<String, StateTotal> totals;
    private WindowStore<String, WindowCount> windows;
    private WindowStore<String, Long> users;

    StatsProcessor(WindowSpec spec, StatsMetrics metrics) {
        this.spec = spec;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, StateStats> context) {
        this.context = context;
        this.totals = context.getStateStore(StatsTopology.TOTALS_STORE);
        this.windows = context.getStateStore(StatsTopology.WINDOWS_STORE);
        this.users = context.getStateStore(StatsTopology.USERS_STORE);
        try (KeyValueIterator<Windowed<String>, WindowCount> all = windows.all()) {
            while (all.hasNext()) {
                Windowed<String> window = all.next().key;
                dirty.add(new WindowKey(window.key(), window.window().start()));
            }
        }
        context.schedule(spec.emitInterval(), PunctuationType.WALL_CLOCK_TIME, now -> emit());
    }

    @Override
    public void process(Record<String, CleanLogin> record) {
        CleanLogin login = record.value();
        String state = StatsTopology.stateOf(record.key(), login);
        long time = record.timestamp();
        long watermark = SourceGate.watermark(record.headers());

        boolean counted = false;
        long advance = spec.advanceMs();
        long last = Math.floorDiv(time, advance);
        long first = Math.floorDiv(time - spec.sizeMs(), advance) + 1;
        UserWindows seen = new UserWindows(state + '\u0000' + login.userId());
        for (long index = first; index <= last; index++) {
            long start = index * advance;
            if (start < 0) {
                continue; // a login in the epoch's first minute: no window starts before the epoch
            }
            if (start + spec.sizeMs() + spec.graceMs() <= watermark) {
                continue; // closed
            }
            boolean newUser = seen.mark(index);
            WindowCount count = windows.fetch(state, start);
            windows.put(state, count == null ? new WindowCount(1, 1)
                    : new WindowCount(count.logins() + 1, count.uniqueUsers() + (newUser ? 1 : 0)), start);
            dirty.add(new WindowKey(state, start));
            counted = true;
        }
        seen.store();
        StateTotal total = totals.get(state);
        long late = counted ? 0 : 1;
        totals.put(state, total == null ? new StateTotal(1, time, late)
                : new StateTotal(total.total() + 1, Math.max(total.lastEventMillis(), time), total.late() + late));
        if (!counted) {
            metrics.lateLogin(state);
            dirtyTotals.add(state);
        }
    }

    /**
     * The windows one (state, user) is already counted in: a bitmask per segment of {@link WindowSpec#SEGMENT_WINDOWS}
     * windows, read once and written once per login (a login's windows span at most two segments).
     */
    private final class UserWindows {
        private final String key;
        private long segment = Long.MIN_VALUE;
        private long stored;
        private long mask;

        private UserWindows(String key) {
            this.key = key;
        }

        /** Sets the user's bit for the window; true if it was not set, i.e. the user is new in the window. */
        private boolean mark(long windowIndex) {
            long windowSegment = Math.floorDiv(windowIndex, WindowSpec.SEGMENT_WINDOWS);
            if (windowSegment != segment) {
                store();
                segment = windowSegment;
                Long current = users.fetch(key, segmentStart());
                stored = current == null ? 0L : current;
                mask = stored;
            }
            long bit = 1L << (windowIndex - windowSegment * WindowSpec.SEGMENT_WINDOWS);
            boolean isNew = (mask & bit) == 0;
            mask |= bit;
            return isNew;
        }

        /** Writes the current segment's mask if it changed. */
        private void store() {
            if (segment != Long.MIN_VALUE && mask != stored) {
                users.put(key, mask, segmentStart());
                stored = mask;
            }
        }

        private long segmentStart() {
            return segment * WindowSpec.SEGMENT_WINDOWS * spec.advanceMs();
        }
    }

    private void emit() {
        long now = context.currentSystemTimeMs();
        if (!dirty.isEmpty() || !dirtyTotals.isEmpty()) {
            context.commit(); // the records become visible right after the commit that makes them durable
        }
        for (WindowKey key : dirty) {
            WindowCount count = windows.fetch(key.state(), key.start());
            if (count != null) {
                forward(key.state(), key.start(), count, now);
            }
            dirtyTotals.remove(key.state());
        }
        dirty.clear();
        for (String state : dirtyTotals) {
            emitLatestWindow(state, now);
        }
        dirtyTotals.clear();
    }

    /** A late record changed only the total: publish it with the state's latest window still in the store. */
    private void emitLatestWindow(String state, long now) {
        StateTotal total = totals.get(state);
        if (total == null) {
            return;
        }
        // Only a bounded time range: the caching store walks it segment by segment, and a window older than a few
        // retention periods before the state's latest login has expired from the store anyway.
        long last = total.lastEventMillis();
        long retention = spec.windowRetention().toMillis();
        // Never before the epoch: the caching window store cannot iterate a range of negative times (its segment
        // arithmetic truncates toward zero and it throws "segment interval has changed", which stopped a task whose
        // state had only logins from 1970's first minutes, a poison pill the hostile corpus found).
        long from = Math.max(0, last - 4 * retention - spec.sizeMs());
        try (WindowStoreIterator<WindowCount> latest = windows.backwardFetch(state, Instant.ofEpochMilli(from),
                Instant.ofEpochMilli(Math.max(last, from)))) {
            if (latest.hasNext()) {
                KeyValue<Long, WindowCount> window = latest.next();
                forward(state, window.key, window.value, now);
                return;
            }
        }
        long start = Math.floorDiv(total.lastEventMillis(), spec.advanceMs()) * spec.advanceMs()
                - spec.sizeMs() + spec.advanceMs();
        forward(state, start, new WindowCount(0, 0), now);
    }

    private void forward(String state, long start, WindowCount count, long now) {
        StateTotal total = totals.get(state);
        long totalLogins = total == null ? count.logins() : total.total();
        String lastLogin = total == null ? iso(start) : iso(total.lastEventMillis());
        long late = total == null ? 0 : total.late();
        StateStats stats = new StateStats(state, iso(start), iso(start + spec.sizeMs()), count.logins(),
                count.uniqueUsers(), totalLogins, lastLogin, late);
        context.forward(new Record<>(state, stats, now));
    }

    private static String iso(long epochMillis) {
        return DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochMilli(epochMillis));
    }

    /** A hash key several times per login: {@code equals} and {@code hashCode} written out, like {@code WindowRef}'s. */
    private record WindowKey(String state, long start) {

        @Override
        public boolean equals(Object other) {
            return other instanceof WindowKey key && start == key.start && state.equals(key.state);
        }

        @Override
        public int hashCode() {
            return 31 * state.hashCode() + Long.hashCode(start);
        }
    }
}
