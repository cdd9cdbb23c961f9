package dev.loginpulse.bench;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

import org.roaringbitmap.RoaringBitmap;

import dev.loginpulse.events.RawLogin;
import dev.loginpulse.generator.model.LoginFactory;

/**
 * What exact distinct users cost in memory in stats' panes (issue #14): the generator's logins
 * (population-weighted states, users drawn uniformly) at {@code rate} logins per second of event time, one 60 s window
 * of six 10 s panes, users dictionary-encoded per stream task in order of first appearance and kept per (state, pane)
 * in a {@link RoaringBitmap}, as {@code PaneStatsProcessor} does. Prints, per number of distinct users, the bitmaps of
 * one window (all states, and the largest state alone), in memory ({@code getSizeInBytes}) and as written to the
 * changelog (run-optimised, serialized), and the dictionary's entries with an estimate of their heap.
 *
 * <pre>
 * java -cp "modules/bench/target/bench.jar:modules/bench/target/lib/*" dev.loginpulse.bench.PaneMemory [rate] [users...]
 * </pre>
 *
 * One stream task is assumed to hold every state (one partition); with three, each holds about a third of both.
 */
public final class PaneMemory {

    private static final int PANES_PER_WINDOW = 6;
    /**
     * Heap per dictionary entry, estimated for a {@code HashMap<String, Integer>} on a 64-bit JVM with compressed oops:
     * node 32 B, table slot 4-8 B, key String 24 B + its byte[] 16 B + ~12 chars (Latin-1), Integer 16 B.
     */
    private static final int DICTIONARY_ENTRY_BYTES = 32 + 6 + 24 + 16 + 12 + 16;

    private PaneMemory() {
    }

    public static void main(String[] args) {
        int rate = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        List<Integer> users = args.length > 1
                ? java.util.Arrays.stream(args).skip(1).map(Integer::parseInt).toList()
                : List.of(20_000, 1_000_000);
        System.out.printf(Locale.ROOT, "| distinct users | logins per 60 s window | users in the window | "
                + "bitmaps of one window, all states (memory / serialized) | largest state (memory / serialized) | "
                + "dictionary entries (heap) |%n|---|---|---|---|---|---|%n");
        for (int population : users) {
            measure(rate, population);
        }
    }

    private static void measure(int rate, int population) {
        LoginFactory factory = new LoginFactory(new SplittableRandom(42),
                Clock.fixed(Instant.parse("2023-09-12T00:00:00Z"), ZoneOffset.UTC), 0, population, 0);
        Map<String, Integer> dictionary = new HashMap<>();
        Map<String, RoaringBitmap[]> panes = new HashMap<>();
        int logins = rate * 10 * PANES_PER_WINDOW;
        RoaringBitmap window = new RoaringBitmap();
        for (int i = 0; i < logins; i++) {
            RawLogin login = factory.clean();
            int pane = i / (rate * 10);
            Integer id = dictionary.get(login.userId());
            if (id == null) {
                id = dictionary.size();
                dictionary.put(login.userId(), id);
            }
            panes.computeIfAbsent(login.locale(), state -> new RoaringBitmap[PANES_PER_WINDOW]);
            RoaringBitmap[] statePanes = panes.get(login.locale());
            if (statePanes[pane] == null) {
                statePanes[pane] = new RoaringBitmap();
            }
            statePanes[pane].add(id);
            window.add(id);
        }
        long memory = 0;
        long serialized = 0;
        long largestMemory = 0;
        long largestSerialized = 0;
        for (RoaringBitmap[] statePanes : panes.values()) {
            long stateMemory = 0;
            long stateSerialized = 0;
            for (RoaringBitmap pane : statePanes) {
                if (pane != null) {
                    stateMemory += pane.getSizeInBytes();
                    RoaringBitmap copy = pane.clone();
                    copy.runOptimize();
                    stateSerialized += copy.serializedSizeInBytes();
                }
            }
            memory += stateMemory;
            serialized += stateSerialized;
            if (stateMemory > largestMemory) {
                largestMemory = stateMemory;
                largestSerialized = stateSerialized;
            }
        }
        System.out.printf(Locale.ROOT, "| %,d | %,d | %,d | %s / %s | %s / %s | %,d (~%s) |%n", population, logins,
                window.getCardinality(), bytes(memory), bytes(serialized), bytes(largestMemory),
                bytes(largestSerialized), dictionary.size(), bytes((long) dictionary.size() * DICTIONARY_ENTRY_BYTES));
    }

    private static String bytes(long bytes) {
        return bytes >= 1 << 20 ? String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0)
                : String.format(Locale.ROOT, "%.0f KiB", bytes / 1024.0);
    }
}
