package dev.loginpulse.stats.streams;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TopKTest {

    @Test
    void incrementalOffersGiveExactlyTheTopKeysOfABruteForceCountForSkewedRandomStreams() {
        for (long seed = 1; seed <= 20; seed++) {
            Random random = new Random(seed);
            TopK top = new TopK(10);
            Map<String, Long> counts = new HashMap<>();
            for (int i = 0; i < 20_000; i++) {
                // skewed: a few heavy keys among many light ones, so the top set keeps changing
                int key = random.nextDouble() < 0.3 ? random.nextInt(15) : random.nextInt(5_000);
                long count = counts.merge("10.0.0." + key, 1L, Long::sum);
                top.offer("10.0.0." + key, count);
            }

            assertThat(top.top()).as("seed %d", seed).containsExactlyElementsOf(bruteForce(counts, 10));
        }
    }

    @Test
    void offeringFinalCountsInAnyOrderGivesTheSameTopKeys() {
        Random random = new Random(7);
        Map<String, Long> counts = new HashMap<>();
        for (int i = 0; i < 500; i++) {
            counts.put("ip-" + i, (long) random.nextInt(50));
        }
        TopK top = new TopK(25);

        counts.forEach(top::offer);

        assertThat(top.top()).containsExactlyElementsOf(bruteForce(counts, 25));
    }

    @Test
    void tiesAreBrokenByKeySoTheResultIsDeterministic() {
        TopK top = new TopK(2);
        top.offer("c", 5);
        top.offer("b", 5);
        top.offer("a", 5);

        assertThat(top.top()).containsExactly(Map.entry("a", 5L), Map.entry("b", 5L));
    }

    private static List<Map.Entry<String, Long>> bruteForce(Map<String, Long> counts, int k) {
        return counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long> comparingByValue(Comparator.reverseOrder())
                        .thenComparing(Map.Entry.comparingByKey()))
                .limit(k)
                .map(entry -> Map.entry(entry.getKey(), entry.getValue()))
                .toList();
    }
}
