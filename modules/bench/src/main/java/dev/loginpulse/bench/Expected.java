package dev.loginpulse.bench;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import dev.loginpulse.events.CleanLogin;
import dev.loginpulse.events.CleaningResult;
import dev.loginpulse.events.LoginCleaner;

/**
 * What a correct engine must output for the preloaded logins, computed with the contract's own {@link LoginCleaner}:
 * clean and dead-lettered counts, logins per state, and logins and exact distinct users per (state, window) for the
 * contract's 60 s windows advancing 10 s.
 */
final class Expected {

    static final long WINDOW_SIZE_MS = 60_000;
    static final long WINDOW_ADVANCE_MS = 10_000;

    private final LoginCleaner cleaner = LoginCleaner.withDefaults();
    private final Map<String, Long> perState = new HashMap<>();
    private final Map<String, Set<String>> windowUsers = new HashMap<>();
    private final Map<String, long[]> windows = new HashMap<>();
    private long raw;
    private long clean;
    private long windowLogins;
    private long firstEventMillis = Long.MAX_VALUE;
    private long lastEventMillis = Long.MIN_VALUE;

    /** Accounts for one raw record value. */
    void add(byte[] value) {
        raw++;
        if (!(cleaner.clean(value) instanceof CleaningResult.Cleaned cleaned)) {
            return;
        }
        clean++;
        CleanLogin login = cleaned.login();
        perState.merge(login.locale(), 1L, Long::sum);
        long time = login.epochMillis();
        firstEventMillis = Math.min(firstEventMillis, time);
        lastEventMillis = Math.max(lastEventMillis, time);
        long last = Math.floorDiv(time, WINDOW_ADVANCE_MS);
        long first = Math.floorDiv(time - WINDOW_SIZE_MS, WINDOW_ADVANCE_MS) + 1;
        for (long index = first; index <= last; index++) {
            String key = windowKey(login.locale(), iso(index * WINDOW_ADVANCE_MS));
            long[] counts = windows.computeIfAbsent(key, k -> new long[2]);
            counts[0]++;
            if (windowUsers.computeIfAbsent(key, k -> new HashSet<>()).add(login.userId())) {
                counts[1]++;
            }
            windowLogins++;
        }
    }

    /** Frees the per-window user sets once every record was added; the counts stay. */
    void seal() {
        windowUsers.clear();
    }

    static String windowKey(String state, String windowStart) {
        return state + '@' + windowStart;
    }

    static String iso(long epochMillis) {
        return DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochMilli(epochMillis));
    }

    long raw() {
        return raw;
    }

    long clean() {
        return clean;
    }

    long deadLettered() {
        return raw - clean;
    }

    /** The sum of logins over all (state, window) pairs: each clean login counts once per window it falls in. */
    long windowLogins() {
        return windowLogins;
    }

    /** (state@windowStart) → {logins, distinct users}. */
    Map<String, long[]> windows() {
        return windows;
    }

    /** The earliest event time of a clean login. */
    long firstEventMillis() {
        return firstEventMillis;
    }

    /** The latest event time of a clean login. */
    long lastEventMillis() {
        return lastEventMillis;
    }

    Map<String, Long> perState() {
        return perState;
    }
}
