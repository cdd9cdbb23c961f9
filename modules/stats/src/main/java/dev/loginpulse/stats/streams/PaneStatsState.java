package dev.loginpulse.stats.streams;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import org.roaringbitmap.RoaringBitmap;

import dev.loginpulse.stats.streams.StatePanes.Pane;

/**
 * What {@link PaneStatsProcessor} keeps for one stream task, and how it is kept in the task's {@link PaneStore}: the
 * states' {@link StatePanes}, the user dictionary (each user id of the task numbered the first time it is seen), and
 * which of them changed since the last commit.
 * <p>
 * Store entries, written before each commit ({@link #writeChanges}): per state its total; per window its counters; per
 * pane its mix, and one entry of the users added in each commit interval (a small bitmap; after
 * {@value #COMPACT_AFTER} of them the pane's whole bitmap replaces them); per user id its dictionary number.
 * {@link #restore} reads them back. Not thread-safe.
 */
final class PaneStatsState {

    /** Store key prefix of the user dictionary: {@code d\0<user id>} → the user's number (4 bytes). */
    static final char USER_NUMBER = 'd';
    /** A pane's users are rewritten as one entry after this many delta entries. */
    static final int COMPACT_AFTER = 32;

    private final PaneStore store;
    private final long advance;
    private final Map<String, StatePanes> states = new HashMap<>();
    private final Map<String, Integer> userNumbers = new HashMap<>();
    private final Set<String> newUsers = new LinkedHashSet<>();
    private final Set<StatePanes> changedStates = new LinkedHashSet<>();

    PaneStatsState(PaneStore store, long advance) {
        this.store = store;
        this.advance = advance;
    }

    /** Every state seen. */
    Collection<StatePanes> states() {
        return states.values();
    }

    StatePanes state(String state) {
        return states.computeIfAbsent(state, StatePanes::new);
    }

    /** The state has entries to write at the next commit. */
    void changed(StatePanes state) {
        changedStates.add(state);
    }

    /** The user's number in this task's dictionary, a new one the first time. */
    int userNumber(String userId) {
        Integer number = userNumbers.get(userId);
        if (number == null) {
            number = userNumbers.size();
            userNumbers.put(userId, number);
            newUsers.add(userId);
        }
        return number;
    }

    /** Reads the store back into memory; {@code restoredWindow} gets each state with a window restored. */
    void restore(Consumer<StatePanes> restoredWindow) {
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
                restoredWindow.accept(panes);
            } else if (kind == StatePanes.MIX) {
                pane.restoreMix(value);
            } else if (kind == StatePanes.USERS) {
                pane.users.or(deserialize(value));
                pane.deltas = Math.max(pane.deltas, Integer.parseInt(key.substring(stateEnd + 21)) + 1);
            }
        });
    }

    /** Before each commit: the changes since the last one go to the store (and its changelog), in the transaction. */
    void writeChanges() {
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
            if (pane.devices != null) {
                store.delete(state.mixKey(start));
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
        if (pane.mixChanged) {
            store.put(state.mixKey(start), pane.mixValue());
            pane.mixChanged = false;
        }
    }

    private void deleteUsers(StatePanes state, Pane pane, long start) {
        for (int sequence = 0; sequence < pane.deltas; sequence++) {
            store.delete(state.usersKey(start, sequence));
        }
        pane.deltas = 0;
    }

    void clear() {
        states.clear();
        userNumbers.clear();
        newUsers.clear();
        changedStates.clear();
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
}
