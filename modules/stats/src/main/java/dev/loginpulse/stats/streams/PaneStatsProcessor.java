package dev.loginpulse.stats.streams;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Set;

import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.roaringbitmap.RoaringBitmap;

import dev.loginpulse.events.CleanLogin;
import dev.loginpulse.events.LoginCleaner;
import dev.loginpulse.events.Schemas;
import dev.loginpulse.events.StateInsights;
import dev.loginpulse.events.StateStats;
import dev.loginpulse.events.Topics;
import dev.loginpulse.stats.streams.StatePanes.Pane;

/**
 * The per-state stats: logins and exact distinct users per state in hopping windows, and all logins per state,
 * published at most once per {@link WindowSpec#emitInterval()} for every changed (state, window). Each login is an
 * update of objects in memory, without a state-store call, and the store gets what changed once per commit
 * ({@link PaneStore#beforeCommit}).
 * <ul>
 * <li>Per state and pane (one window advance) it keeps the users seen in the pane, dictionary-encoded (each user id of
 * the task gets the next int the first time it is seen) in a {@link RoaringBitmap}, and the exact logins and distinct
 * users of the window that starts with the pane. A login adds its user to its pane; if the user is new in the pane, a
 * look at the (at most {@code 2 × panes per window − 2}) neighbouring panes tells in which of its open windows the user
 * is new. So distinct users stay exact whatever the number of users, in memory that grows with the distinct users of
 * the open panes (a bitmap bit each, compressed), not with the logins.</li>
 * <li>Windows close {@code grace} after their end by the watermark {@link SourceGate} stamps on each record (the
 * slowest source partition's progress, not the largest event time seen); a login too late for every window counts in the total
 * and in {@code late_logins}. A pane's
 * users are dropped once every window containing it has closed; a window's counters are kept six advances longer, to
 * be queried and republished after a restart.</li>
 * <li>Per state and pane it also counts the logins by device type, app version and IP ({@link TopCounter}); a window's
 * {@link StateInsights} is the merge of its panes'. Each emission publishes, for each state with a changed window, the
 * mix of its last full window (of its windows containing its latest login, the one that started first): one record
 * per state, not one per window.</li>
 * <li>What it keeps and how that goes to the store once per commit: {@link PaneStatsState}. A restart reads the store
 * back and publishes every window again (records carry absolute figures; re-publishing is idempotent).</li>
 * </ul>
 * Its records are {@link StateStats} and {@link StateInsights}; {@link StatsTopology} sends each kind to its topic.
 */
class PaneStatsProcessor implements Processor<String, CleanLogin, String, Object> {

    private final WindowSpec spec;
    private final StatsMetrics metrics;
    private final CommitPacing pacing;
    private final int panesPerWindow;
    private final long windowMask;
    private final long advance;
    private final long size;
    private final long grace;
    /** How long a closed window's counters stay. */
    private final long keep;
    private final Set<StatePanes> statesToEmit = new LinkedHashSet<>();
    private ProcessorContext<String, Object> context;
    private PaneStatsState state;
    /** The largest watermark seen: decides which panes' users and windows are dropped. */
    private long watermark = Long.MIN_VALUE;

    PaneStatsProcessor(WindowSpec spec, StatsMetrics metrics) {
        this(spec, metrics, CommitPacing.unpaced());
    }

    PaneStatsProcessor(WindowSpec spec, StatsMetrics metrics, CommitPacing pacing) {
        this.pacing = pacing;
        this.spec = spec;
        this.metrics = metrics;
        this.advance = spec.advanceMs();
        this.size = spec.sizeMs();
        this.grace = spec.graceMs();
        this.panesPerWindow = (int) (size / advance);
        this.windowMask = (1L << panesPerWindow) - 1;
        this.keep = 6 * advance;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        PaneStore store = context.getStateStore(StatsTopology.PANES_STORE);
        this.state = new PaneStatsState(store, advance);
        statesToEmit.clear();
        watermark = Long.MIN_VALUE;
        state.restore(statesToEmit::add);
        store.beforeCommit(state::writeChanges);
        context.schedule(spec.emitInterval(), PunctuationType.WALL_CLOCK_TIME, now -> emit());
    }

    @Override
    public void process(Record<String, CleanLogin> record) {
        pacing.processing(context.currentSystemTimeMs());
        CleanLogin login = record.value();
        String code = StatsTopology.stateOf(record.key(), login);
        if (code.indexOf(StatePanes.SEPARATOR) >= 0) {
            // only a foreign producer writes such a key; the store's keys separate their parts with it
            code = code.replace(StatePanes.SEPARATOR, '\uFFFD');
        }
        long time = record.timestamp();
        // the gate's watermark never goes back; the largest seen also covers a record without one
        watermark = Math.max(watermark, SourceGate.watermark(record.headers()));
        StatePanes panes = state.state(code);
        panes.total++;
        panes.lastEventMillis = Math.max(panes.lastEventMillis, time);
        panes.totalChanged = true;
        state.changed(panes);
        statesToEmit.add(panes);

        long pane = Math.floorDiv(time, advance);
        long first = pane - panesPerWindow + 1;
        long firstOpen = Math.max(Math.max(first, 0), firstOpenWindow(watermark));
        if (firstOpen > pane) {
            panes.late++;
            panes.totalToEmit = true;
            metrics.lateLogin(code);
            return;
        }
        int user = state.userNumber(login.userId() == null ? "" : login.userId());
        Pane own = panes.pane(pane);
        own.addToMix(clip(StatsTopology.orUnknown(login.deviceType())),
                clip(StatsTopology.orUnknown(login.appVersion())),
                login.ip() == null || StatsTopology.UNKNOWN.equals(login.ip()) ? null : clip(login.ip()));
        panes.changed(own);
        boolean newInPane = own.users.checkedAdd(user);
        long seenIn = 0; // bit r: the pane first + r (other than this one) has the user
        if (newInPane) {
            if (own.added == null) {
                own.added = new RoaringBitmap();
            }
            own.added.add(user);
            for (int r = 0; r < 2 * panesPerWindow - 1; r++) {
                long index = first + r;
                if (index != pane) {
                    Pane other = panes.panes.get(index);
                    if (other != null && other.users != null && other.users.contains(user)) {
                        seenIn |= 1L << r;
                    }
                }
            }
        }
        for (long start = firstOpen; start <= pane; start++) {
            Pane window = start == pane ? own : panes.pane(start);
            window.windowLogins++;
            if (newInPane && (seenIn & (windowMask << (start - first))) == 0) {
                window.windowUsers++;
            }
            window.hasWindow = true;
            window.windowChanged = true;
            panes.changed(window);
            panes.toEmit(window);
        }
    }

    /** A value as long as the cleaner lets through: a foreign record's could be longer. */
    private static String clip(String value) {
        return value.length() <= LoginCleaner.MAX_FIELD_LENGTH ? value
                : value.substring(0, LoginCleaner.MAX_FIELD_LENGTH);
    }

    /** The index of the first window still open at this watermark. */
    private long firstOpenWindow(long watermark) {
        if (watermark == Long.MIN_VALUE) {
            return Long.MIN_VALUE;
        }
        // a window closes when start + size + grace <= watermark
        return Math.floorDiv(watermark - size - grace, advance) + 1;
    }

    private void emit() {
        long now = context.currentSystemTimeMs();
        pacing.punctuating(now);
        boolean published = !statesToEmit.isEmpty(); // each publishes a window, or its latest with the total
        for (StatePanes panes : statesToEmit) {
            boolean windows = false;
            for (Pane pane : panes.toEmit) {
                pane.toEmit = false;
                if (pane.hasWindow && !pane.evicted) {
                    forward(panes, pane, now);
                    windows = true;
                }
            }
            panes.toEmit.clear();
            if (windows) {
                forwardMix(panes, now);
            } else if (panes.totalToEmit) {
                emitLatestWindow(panes, now);
            }
            panes.totalToEmit = false;
        }
        statesToEmit.clear();
        expire();
        if (published) {
            // Commit now rather than at the next commit interval: the records become visible to read_committed
            // readers right after the commit that makes them (and the state behind them) durable.
            pacing.requestCommit(context);
        }
    }

    /** A late login changed only the total: publish it with the state's latest window still kept. */
    private void emitLatestWindow(StatePanes panes, long now) {
        Pane latest = null;
        for (Pane pane : panes.panes.values()) {
            if (pane.hasWindow && (latest == null || pane.index > latest.index)) {
                latest = pane;
            }
        }
        if (latest != null) {
            forward(panes, latest, now);
            return;
        }
        long start = Math.floorDiv(panes.lastEventMillis, advance) * advance - size + advance;
        context.forward(new Record<>(panes.state, new StateStats(panes.state, iso(start), iso(start + size), 0, 0,
                panes.total, iso(panes.lastEventMillis), panes.late), now, Schemas.headers(Topics.USER_LOGIN_STATS)));
    }

    /** Drops the users of panes whose windows have all closed, and windows closed for longer than {@link #keep}. */
    private void expire() {
        if (watermark == Long.MIN_VALUE) {
            return;
        }
        for (StatePanes panes : state.states()) {
            Iterator<Pane> iterator = panes.panes.values().iterator();
            while (iterator.hasNext()) {
                Pane pane = iterator.next();
                long closesAt = pane.index * advance + size + grace; // the last window containing the pane
                if (closesAt + keep <= watermark) {
                    iterator.remove();
                    pane.evicted = true;
                    pane.users = null;
                    pane.added = null;
                    panes.changed(pane);
                    state.changed(panes);
                } else if (closesAt <= watermark && pane.users != null) {
                    pane.users = null;
                    pane.added = null;
                    if (pane.deltas > 0) {
                        pane.usersDropped = true;
                        panes.changed(pane);
                        state.changed(panes);
                    }
                }
            }
        }
    }

    private void forward(StatePanes panes, Pane pane, long now) {
        long start = pane.index * advance;
        StateStats stats = new StateStats(panes.state, iso(start), iso(start + size), pane.windowLogins,
                pane.windowUsers, panes.total, iso(panes.lastEventMillis), panes.late);
        context.forward(new Record<>(panes.state, stats, now, Schemas.headers(Topics.USER_LOGIN_STATS)));
    }

    /**
     * The mix of the state's last full window (of its windows containing its latest login, the one that started
     * first): one record per state and emission, whichever of its windows changed.
     */
    private void forwardMix(StatePanes panes, long now) {
        long lastPane = Math.floorDiv(panes.lastEventMillis, advance);
        for (long index = lastPane - panesPerWindow + 1; index <= lastPane; index++) {
            Pane window = panes.panes.get(index);
            if (window != null && window.hasWindow && !window.evicted) {
                StateInsights mix = panes.insights(index, panesPerWindow, iso(index * advance),
                        iso(index * advance + size));
                if (mix != null) {
                    context.forward(new Record<>(panes.state, mix, now,
                            Schemas.headers(Topics.USER_LOGIN_STATE_INSIGHTS)));
                }
                return;
            }
        }
    }

    @Override
    public void close() {
        if (state != null) {
            state.clear();
        }
    }

    private static String iso(long epochMillis) {
        return DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochMilli(epochMillis));
    }
}
