package dev.loginpulse.stats.streams;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.roaringbitmap.RoaringBitmap;

import dev.loginpulse.events.CleanLogin;
import dev.loginpulse.events.StateStats;
import dev.loginpulse.stats.streams.StatePanes.Pane;

/**
 * The per-state stats of {@link StatsEngine#PANES}: the same figures, windows and rules as {@link StatsProcessor}, but
 * each login is an update of objects in memory, without a state-store call, and the store gets what changed once per
 * commit ({@link PaneStore#beforeCommit}).
 * <ul>
 * <li>Per state and pane (one window advance) it keeps the users seen in the pane, dictionary-encoded (each user id of
 * the task gets the next int the first time it is seen) in a {@link RoaringBitmap}, and the exact logins and distinct
 * users of the window that starts with the pane. A login adds its user to its pane; if the user is new in the pane, a
 * look at the (at most {@code 2 × panes per window − 2}) neighbouring panes tells in which of its open windows the user
 * is new. So distinct users stay exact whatever the number of users, in memory that grows with the distinct users of
 * the open panes (a bitmap bit each, compressed), not with the logins.</li>
 * <li>Windows close {@code grace} after their end by the watermark {@link SourceGate} stamps on each record, as in
 * {@link StatsProcessor}; a login too late for every window counts in the total and in {@code late_logins}. A pane's
 * users are dropped once every window containing it has closed; a window's counters are kept six advances longer, to
 * be queried and republished after a restart.</li>
 * <li>Store entries, written before each commit: per state its total; per window its counters; per pane one entry of
 * the users added in each commit interval (a small bitmap; after {@value #COMPACT_AFTER} of them the pane's whole
 * bitmap replaces them); per user id its dictionary number. A restart reads them back and publishes every window
 * again (records carry absolute figures; re-publishing is idempotent).</li>
 * </ul>
 */
class PaneStatsProcessor implements Processor<String, CleanLogin, String, StateStats> {

    /** Store key prefix of the user dictionary: {@code d\0<user id>} → the user's number (4 bytes). */
    static final char USER_NUMBER = 'd';
    /** A pane's users are rewritten as one entry after this many delta entries. */
    static final int COMPACT_AFTER = 32;

    private final WindowSpec spec;
    private final StatsMetrics metrics;
    private final int panesPerWindow;
    private final long windowMask;
    private final long advance;
    private final long size;
    private final long grace;
    /** How long a closed window's counters stay. */
    private final long keep;
    private final Map<String, StatePanes> states = new HashMap<>();
    private final Map<String, Integer> userNumbers = new HashMap<>();
    private final Set<String> newUsers = new LinkedHashSet<>();
    private final Set<StatePanes> changedStates = new LinkedHashSet<>();
    private final Set<StatePanes> statesToEmit = new LinkedHashSet<>();
    private ProcessorContext<String, StateStats> context;
    private PaneStore store;
    /** The largest watermark seen: decides which panes' users and windows are dropped. */
    private long watermark = Long.MIN_VALUE;

    PaneStatsProcessor(WindowSpec spec, StatsMetrics metrics) {
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
    public void init(ProcessorContext<String, StateStats> context) {
        this.context = context;
        this.store = context.getStateStore(StatsTopology.PANES_STORE);
        states.clear();
        userNumbers.clear();
        newUsers.clear();
        changedStates.clear();
        statesToEmit.clear();
        watermark = Long.MIN_VALUE;
        restore();
        store.beforeCommit(this::writeChanges);
        context.schedule(spec.emitInterval(), PunctuationType.WALL_CLOCK_TIME, now -> emit());
    }

    private void restore() {
        store.forEach((key, value) -> {
            char kind = key.charAt(0);
            if (kind == USER_NUMBER) {
                userNumbers.put(key.substring(2), ByteBuffer.wrap(value).getInt());
                return;
            }
            int stateEnd = key.indexOf(StatePanes.SEPARATOR, 2);
            StatePanes panes = state(key.substring(2, stateEnd == -1 ? key.length() : stateEnd));
            if (kind == StatePanes.TOTAL) {
                panes.restoreTotal(value);
                return;
            }
            long start = Long.parseLong(key.substring(stateEnd + 1, stateEnd + 20));
            Pane pane = panes.pane(Math.floorDiv(start, advance));
            if (kind == StatePanes.WINDOW) {
                pane.restoreWindow(value);
                panes.toEmit(pane);
                statesToEmit.add(panes);
            } else if (kind == StatePanes.USERS) {
                pane.users.or(deserialize(value));
                pane.deltas = Math.max(pane.deltas, Integer.parseInt(key.substring(stateEnd + 21)) + 1);
            }
        });
    }

    private StatePanes state(String state) {
        StatePanes panes = states.get(state);
        if (panes == null) {
            panes = new StatePanes(state);
            states.put(state, panes);
        }
        return panes;
    }

    @Override
    public void process(Record<String, CleanLogin> record) {
        CleanLogin login = record.value();
        String code = StatsTopology.stateOf(record.key(), login);
        if (code.indexOf(StatePanes.SEPARATOR) >= 0) {
            // only a foreign producer writes such a key; the store's keys separate their parts with it
            code = code.replace(StatePanes.SEPARATOR, '\uFFFD');
        }
        long time = record.timestamp();
        // the gate's watermark never goes back; the largest seen also covers a record without one
        watermark = Math.max(watermark, SourceGate.watermark(record.headers()));
        StatePanes state = state(code);
        state.total++;
        state.lastEventMillis = Math.max(state.lastEventMillis, time);
        state.totalChanged = true;
        changedStates.add(state);
        statesToEmit.add(state);

        long pane = Math.floorDiv(time, advance);
        long first = pane - panesPerWindow + 1;
        long firstOpen = Math.max(Math.max(first, 0), firstOpenWindow(watermark));
        if (firstOpen > pane) {
            state.late++;
            state.totalToEmit = true;
            metrics.lateLogin(code);
            return;
        }
        int user = userNumber(login.userId() == null ? "" : login.userId());
        Pane own = state.pane(pane);
        boolean newInPane = own.users.checkedAdd(user);
        long seenIn = 0; // bit r: the pane first + r (other than this one) has the user
        if (newInPane) {
            if (own.added == null) {
                own.added = new RoaringBitmap();
            }
            own.added.add(user);
            state.changed(own);
            for (int r = 0; r < 2 * panesPerWindow - 1; r++) {
                long index = first + r;
                if (index != pane) {
                    Pane other = state.panes.get(index);
                    if (other != null && other.users != null && other.users.contains(user)) {
                        seenIn |= 1L << r;
                    }
                }
            }
        }
        for (long start = firstOpen; start <= pane; start++) {
            Pane window = start == pane ? own : state.pane(start);
            window.windowLogins++;
            if (newInPane && (seenIn & (windowMask << (start - first))) == 0) {
                window.windowUsers++;
            }
            window.hasWindow = true;
            window.windowChanged = true;
            state.changed(window);
            state.toEmit(window);
        }
    }

    /** The index of the first window still open at this watermark. */
    private long firstOpenWindow(long watermark) {
        if (watermark == Long.MIN_VALUE) {
            return Long.MIN_VALUE;
        }
        // a window closes when start + size + grace <= watermark
        return Math.floorDiv(watermark - size - grace, advance) + 1;
    }

    private int userNumber(String userId) {
        Integer number = userNumbers.get(userId);
        if (number == null) {
            number = userNumbers.size();
            userNumbers.put(userId, number);
            newUsers.add(userId);
        }
        return number;
    }

    /** Before each commit: the changes since the last one go to the store (and its changelog), in the transaction. */
    private void writeChanges() {
        for (String user : newUsers) {
            store.put(USER_NUMBER + "" + StatePanes.SEPARATOR + user,
                    ByteBuffer.allocate(4).putInt(userNumbers.get(user)).array());
        }
        newUsers.clear();
        for (StatePanes state : changedStates) {
            if (state.totalChanged) {
                store.put(state.totalKey(), state.totalValue());
                state.totalChanged = false;
            }
            for (Pane pane : state.changed) {
                writePane(state, pane);
            }
            state.changed.clear();
        }
        changedStates.clear();
    }

    private void writePane(StatePanes state, Pane pane) {
        pane.changed = false;
        long start = pane.index * advance;
        if (pane.evicted) {
            if (pane.hasWindow) {
                store.delete(state.windowKey(start));
            }
            deleteUsers(state, pane, start);
            return;
        }
        if (pane.usersDropped) {
            deleteUsers(state, pane, start);
            pane.usersDropped = false;
        } else if (pane.added != null) {
            if (pane.deltas >= COMPACT_AFTER) {
                deleteUsers(state, pane, start);
                store.put(state.usersKey(start, 0), serialize(pane.users.clone()));
                pane.deltas = 1;
            } else {
                store.put(state.usersKey(start, pane.deltas++), serialize(pane.added));
            }
            pane.added = null;
        }
        if (pane.windowChanged) {
            store.put(state.windowKey(start), pane.windowValue());
            pane.windowChanged = false;
        }
    }

    private void deleteUsers(StatePanes state, Pane pane, long start) {
        for (int sequence = 0; sequence < pane.deltas; sequence++) {
            store.delete(state.usersKey(start, sequence));
        }
        pane.deltas = 0;
    }

    private void emit() {
        long now = context.currentSystemTimeMs();
        boolean published = !statesToEmit.isEmpty(); // each publishes a window, or its latest with the total
        for (StatePanes state : statesToEmit) {
            boolean windows = false;
            for (Pane pane : state.toEmit) {
                pane.toEmit = false;
                if (pane.hasWindow && !pane.evicted) {
                    forward(state, pane, now);
                    windows = true;
                }
            }
            state.toEmit.clear();
            if (state.totalToEmit && !windows) {
                emitLatestWindow(state, now);
            }
            state.totalToEmit = false;
        }
        statesToEmit.clear();
        expire();
        if (published) {
            // Commit now rather than at the next commit interval: the records become visible to read_committed
            // readers right after the commit that makes them (and the state behind them) durable.
            context.commit();
        }
    }

    /** A late login changed only the total: publish it with the state's latest window still kept. */
    private void emitLatestWindow(StatePanes state, long now) {
        Pane latest = null;
        for (Pane pane : state.panes.values()) {
            if (pane.hasWindow && (latest == null || pane.index > latest.index)) {
                latest = pane;
            }
        }
        if (latest != null) {
            forward(state, latest, now);
            return;
        }
        long start = Math.floorDiv(state.lastEventMillis, advance) * advance - size + advance;
        context.forward(new Record<>(state.state, new StateStats(state.state, iso(start), iso(start + size), 0, 0,
                state.total, iso(state.lastEventMillis), state.late), now));
    }

    /** Drops the users of panes whose windows have all closed, and windows closed for longer than {@link #keep}. */
    private void expire() {
        if (watermark == Long.MIN_VALUE) {
            return;
        }
        for (StatePanes state : states.values()) {
            Iterator<Pane> panes = state.panes.values().iterator();
            while (panes.hasNext()) {
                Pane pane = panes.next();
                long closesAt = pane.index * advance + size + grace; // the last window containing the pane
                if (closesAt + keep <= watermark) {
                    panes.remove();
                    pane.evicted = true;
                    pane.users = null;
                    pane.added = null;
                    state.changed(pane);
                    changedStates.add(state);
                } else if (closesAt <= watermark && pane.users != null) {
                    pane.users = null;
                    pane.added = null;
                    if (pane.deltas > 0) {
                        pane.usersDropped = true;
                        state.changed(pane);
                        changedStates.add(state);
                    }
                }
            }
        }
    }

    private void forward(StatePanes state, Pane pane, long now) {
        long start = pane.index * advance;
        StateStats stats = new StateStats(state.state, iso(start), iso(start + size), pane.windowLogins,
                pane.windowUsers, state.total, iso(state.lastEventMillis), state.late);
        context.forward(new Record<>(state.state, stats, now));
    }

    @Override
    public void close() {
        states.clear();
        userNumbers.clear();
    }

    /** The bitmap, run-length optimised first (so not the live one: its later adds would be slower). */
    static byte[] serialize(RoaringBitmap bitmap) {
        bitmap.runOptimize();
        ByteBuffer buffer = ByteBuffer.allocate(bitmap.serializedSizeInBytes());
        bitmap.serialize(buffer);
        return buffer.array();
    }

    static RoaringBitmap deserialize(byte[] bytes) {
        RoaringBitmap bitmap = new RoaringBitmap();
        try {
            bitmap.deserialize(ByteBuffer.wrap(bytes));
        } catch (IOException e) {
            throw new UncheckedIOException("A pane's users do not deserialize", e);
        }
        return bitmap;
    }

    private static String iso(long epochMillis) {
        return DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochMilli(epochMillis));
    }
}
