package dev.loginpulse.stats.streams;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.roaringbitmap.RoaringBitmap;

import dev.loginpulse.events.StateInsights;

/**
 * One state's figures in memory, in panes of one window advance (10 s by default): per pane the users seen in it (a
 * {@link RoaringBitmap} of dictionary-encoded user ids), its mix (device types, app versions, IPs: {@link TopCounter}s)
 * and the counters of the window that starts with it (logins and distinct users, exact); and the state's running total. Owned
 * by one stream task; {@link PaneStatsProcessor} keeps it
 * up to date and writes what changed to its {@link PaneStore} once per commit. Not thread-safe.
 */
final class StatePanes {

    /** Store key prefixes; the rest of a key is {@code <state>\0<pane start, 19 digits>[\0<sequence>]}. */
    static final char TOTAL = 't';
    static final char WINDOW = 'w';
    static final char USERS = 'u';
    static final char MIX = 'm';
    static final char SEPARATOR = '\u0000';

    final String state;
    long total;
    long lastEventMillis = Long.MIN_VALUE;
    long late;
    /** The total changed since the last commit. */
    boolean totalChanged;
    /** Only the total changed since the last emission (a late login): publish it with the latest window. */
    boolean totalToEmit;
    /** Panes by index (start / advance). */
    final Map<Long, Pane> panes = new HashMap<>();
    /** Panes whose store entries changed since the last commit. */
    final List<Pane> changed = new ArrayList<>();
    /** Panes whose window changed since the last emission. */
    final List<Pane> toEmit = new ArrayList<>();

    StatePanes(String state) {
        this.state = state;
    }

    Pane pane(long index) {
        Pane pane = panes.get(index);
        if (pane == null) {
            pane = new Pane(index);
            panes.put(index, pane);
        }
        return pane;
    }

    void changed(Pane pane) {
        if (!pane.changed) {
            pane.changed = true;
            changed.add(pane);
        }
    }

    void toEmit(Pane pane) {
        if (!pane.toEmit) {
            pane.toEmit = true;
            toEmit.add(pane);
        }
    }

    String totalKey() {
        return TOTAL + "" + SEPARATOR + state;
    }

    String windowKey(long start) {
        return WINDOW + "" + SEPARATOR + state + SEPARATOR + pad(start);
    }

    String usersKey(long start, int sequence) {
        return USERS + "" + SEPARATOR + state + SEPARATOR + pad(start) + SEPARATOR + sequence;
    }

    String mixKey(long start) {
        return MIX + "" + SEPARATOR + state + SEPARATOR + pad(start);
    }

    /**
     * The mix of the window that starts with pane {@code first}: the merge of its panes' mixes; null if none of them
     * has a login.
     */
    StateInsights insights(long first, int panesPerWindow, String windowStart, String windowEnd) {
        List<TopCounter> devices = new ArrayList<>(panesPerWindow);
        List<TopCounter> versions = new ArrayList<>(panesPerWindow);
        List<TopCounter> ips = new ArrayList<>(panesPerWindow);
        long logins = 0;
        for (long index = first; index < first + panesPerWindow; index++) {
            Pane pane = panes.get(index);
            if (pane != null && pane.devices != null) {
                devices.add(pane.devices);
                versions.add(pane.versions);
                ips.add(pane.ips);
                logins += pane.devices.total();
            }
        }
        if (devices.isEmpty()) {
            return null;
        }
        return new StateInsights(state, windowStart, windowEnd, logins, TopCounter.rank(devices, StateInsights.TOP),
                TopCounter.rank(versions, StateInsights.TOP), TopCounter.rank(ips, StateInsights.TOP));
    }

    /** The prefix of a kind of key of one state. */
    static String prefix(char kind, String state) {
        return kind + "" + SEPARATOR + state + SEPARATOR;
    }

    /** Non-negative epoch milliseconds, zero-padded so that keys sort by time. */
    static String pad(long millis) {
        String digits = Long.toString(millis);
        return "0".repeat(19 - digits.length()) + digits;
    }

    byte[] totalValue() {
        return ByteBuffer.allocate(24).putLong(total).putLong(lastEventMillis).putLong(late).array();
    }

    void restoreTotal(byte[] value) {
        ByteBuffer buffer = ByteBuffer.wrap(value);
        total = buffer.getLong();
        lastEventMillis = buffer.getLong();
        late = buffer.getLong();
    }

    /** One pane: its users, and the counters of the window that starts with it. */
    static final class Pane {
        final long index;
        /** Users with a login in this pane; null once every window containing the pane has closed. */
        RoaringBitmap users = new RoaringBitmap();
        /** Users added since the last commit, written as one more delta entry; null if none. */
        RoaringBitmap added;
        /** Delta entries in the store for this pane. */
        int deltas;
        /** The users of this pane are to be deleted from the store (the pane's windows have all closed). */
        boolean usersDropped;
        /** The window starting here: logins and distinct users; exists only once a login counted in it. */
        long windowLogins;
        long windowUsers;
        boolean hasWindow;
        /** The window's counters changed since the last commit. */
        boolean windowChanged;
        /** The window's entry is to be deleted from the store (kept long enough after it closed). */
        boolean evicted;
        boolean changed;
        boolean toEmit;
        /** The logins of this pane by device type, app version and IP; null until the first. */
        TopCounter devices;
        TopCounter versions;
        TopCounter ips;
        /** The mix changed since the last commit. */
        boolean mixChanged;

        Pane(long index) {
            this.index = index;
        }

        /** Counts a login of this pane in its mix; an IP of null is not counted as an IP. */
        void addToMix(String device, String version, String ip) {
            if (devices == null) {
                devices = new TopCounter(StateInsights.SUMMARY_SIZE);
                versions = new TopCounter(StateInsights.SUMMARY_SIZE);
                ips = new TopCounter(StateInsights.SUMMARY_SIZE);
            }
            devices.add(device);
            versions.add(version);
            if (ip != null) {
                ips.add(ip);
            }
            mixChanged = true;
        }

        byte[] mixValue() {
            return TopCounter.toBytes(devices, versions, ips);
        }

        void restoreMix(byte[] value) {
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(value))) {
                devices = TopCounter.readFrom(in, StateInsights.SUMMARY_SIZE);
                versions = TopCounter.readFrom(in, StateInsights.SUMMARY_SIZE);
                ips = TopCounter.readFrom(in, StateInsights.SUMMARY_SIZE);
            } catch (IOException e) {
                throw new UncheckedIOException("A pane's mix does not deserialize", e);
            }
        }

        byte[] windowValue() {
            return ByteBuffer.allocate(16).putLong(windowLogins).putLong(windowUsers).array();
        }

        void restoreWindow(byte[] value) {
            ByteBuffer buffer = ByteBuffer.wrap(value);
            windowLogins = buffer.getLong();
            windowUsers = buffer.getLong();
            hasWindow = true;
        }
    }
}
