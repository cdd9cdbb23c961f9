package dev.loginpulse.stats.streams;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

import dev.loginpulse.events.StateInsights;

import static org.assertj.core.api.Assertions.assertThat;

class TopCounterTest {

    @Test
    void countsExactlyWhileThereAreNoMoreValuesThanCounters() {
        TopCounter counter = new TopCounter(4);
        for (String value : List.of("ios", "android", "ios", "web", "ios", "android", "tv")) {
            counter.add(value);
        }

        StateInsights.Ranking ranking = TopCounter.rank(List.of(counter), 10);

        assertThat(ranking.maxError()).isZero();
        assertThat(ranking.top()).containsExactly(new StateInsights.Entry("ios", 3),
                new StateInsights.Entry("android", 2), new StateInsights.Entry("tv", 1),
                new StateInsights.Entry("web", 1));
        assertThat(counter.total()).isEqualTo(7);
    }

    @Test
    void beyondItsCountersEveryCountIsWithinTheMinimumOfTheTrueOneAndEveryFrequentValueIsKept() {
        Random random = new Random(7);
        TopCounter counter = new TopCounter(16);
        Map<String, Long> truth = new HashMap<>();
        for (int i = 0; i < 20_000; i++) {
            // a few heavy values, then a long tail of rare ones
            String value = random.nextDouble() < 0.3 ? "heavy-" + random.nextInt(3) : "tail-" + random.nextInt(5_000);
            counter.add(value);
            truth.merge(value, 1L, Long::sum);
        }

        long error = counter.minCount();
        StateInsights.Ranking ranking = TopCounter.rank(List.of(counter), 16);

        assertThat(error).isPositive();
        assertThat(counter.total()).isEqualTo(20_000);
        assertThat(ranking.maxError()).isEqualTo(error);
        assertThat(ranking.top()).allSatisfy(entry -> {
            assertThat(entry.logins()).isBetween(truth.get(entry.value()), truth.get(entry.value()) + error);
            assertThat(entry.minLogins()).isBetween(entry.logins() - error, truth.get(entry.value()));
        });
        truth.forEach((value, count) -> {
            if (count > error) {
                assertThat(ranking.top()).extracting(StateInsights.Entry::value).contains(value);
            }
        });
        assertThat(ranking.top().subList(0, 3)).extracting(StateInsights.Entry::value)
                .containsExactlyInAnyOrder("heavy-0", "heavy-1", "heavy-2");
    }

    @Test
    void aValueNotYetCountedAlwaysTakesOverTheLeastCountedCounterAlsoAfterBeingReadBack() throws IOException {
        TopCounter counter = new TopCounter(3);
        // a 5, b 3, c 1: full. d takes c's counter (d 2, of which 1 may be c's) and grows to 4, above b; so e takes
        // b's (e 4, 3 maybe not e's); a grows to 6 and d to 5: a 6, d 5, e 4, and 4 is the least count
        for (String value : List.of("a", "a", "a", "a", "a", "b", "b", "b", "c", "d", "d", "d", "e", "a", "d")) {
            counter.add(value);
        }

        assertThat(TopCounter.rank(List.of(counter), 5)).isEqualTo(new StateInsights.Ranking(
                List.of(new StateInsights.Entry("a", 6, 6), new StateInsights.Entry("d", 5, 4),
                        new StateInsights.Entry("e", 4, 1)),
                4));

        // read back, the summary goes on the same way: f takes e's counter, the least (f 5, 4 maybe not f's)
        TopCounter back = TopCounter.readFrom(
                new DataInputStream(new ByteArrayInputStream(TopCounter.toBytes(counter))), 3);
        counter.add("f");
        back.add("f");

        StateInsights.Ranking expected = new StateInsights.Ranking(List.of(new StateInsights.Entry("a", 6, 6),
                new StateInsights.Entry("d", 5, 4), new StateInsights.Entry("f", 5, 1)), 5);
        assertThat(TopCounter.rank(List.of(counter), 5)).isEqualTo(expected);
        assertThat(TopCounter.rank(List.of(back), 5)).isEqualTo(expected);
        assertThat(counter.total()).isEqualTo(16);
    }

    @Test
    void mergedPanesAreWithinTheSumOfTheirMinimaOfTheTrueCounts() {
        Random random = new Random(11);
        Map<String, Long> truth = new HashMap<>();
        List<TopCounter> panes = sixPanes(8, 2_000, truth,
                () -> random.nextDouble() < 0.2 ? "10.66.66.66" : "10.0." + random.nextInt(40) + ".1");

        StateInsights.Ranking ranking = TopCounter.rank(panes, 5);

        long sumOfMinima = panes.stream().mapToLong(TopCounter::minCount).sum();
        assertThat(ranking.maxError()).isEqualTo(sumOfMinima).isPositive();
        assertThat(ranking.top().get(0).value()).isEqualTo("10.66.66.66");
        assertThat(ranking.top()).allSatisfy(entry -> {
            assertThat(entry.logins()).isBetween(truth.get(entry.value()) - sumOfMinima,
                    truth.get(entry.value()) + sumOfMinima);
            assertThat(entry.minLogins()).isLessThanOrEqualTo(truth.get(entry.value()));
        });
        assertThat(ranking.top().get(0).minLogins()).as("the heavy IP is surely heavy")
                .isGreaterThan(truth.get("10.66.66.66") - sumOfMinima);
    }

    @Test
    void rankingOfManyTiedValuesIsTheTopOfTheirCountsMostFirstTiesByValue() {
        Random random = new Random(2026);
        Map<String, Long> truth = new HashMap<>();
        // 300 values over 1,500 logins a pane: many share a count
        List<TopCounter> panes = sixPanes(512, 1_500, truth, () -> "v" + random.nextInt(300));
        // twelve values tied above all others, added in no order: the cut after the tenth falls inside the tie
        for (int i = 0; i < 100; i++) {
            for (int tied : new int[] { 7, 11, 0, 3, 9, 1, 10, 5, 2, 8, 4, 6 }) {
                String value = String.format("tied-%02d", tied);
                panes.get(i % panes.size()).add(value);
                truth.merge(value, 1L, Long::sum);
            }
        }
        List<StateInsights.Entry> expected = new ArrayList<>();
        truth.entrySet().stream()
                .sorted((a, b) -> a.getValue().equals(b.getValue()) ? a.getKey().compareTo(b.getKey())
                        : Long.compare(b.getValue(), a.getValue()))
                .limit(StateInsights.TOP)
                .forEach(entry -> expected.add(new StateInsights.Entry(entry.getKey(), entry.getValue())));

        StateInsights.Ranking ranking = TopCounter.rank(panes, StateInsights.TOP);

        assertThat(ranking.maxError()).isZero();
        assertThat(expected).extracting(StateInsights.Entry::value).startsWith("tied-00", "tied-01", "tied-02");
        assertThat(ranking.top()).containsExactlyElementsOf(expected);
        assertThat(TopCounter.rank(panes, truth.size() + 5).top()).hasSize(truth.size());
        assertThat(TopCounter.rank(panes, 0).top()).isEmpty();
    }

    @Test
    void summariesReadBackAsWritten() throws IOException {
        TopCounter devices = new TopCounter(3);
        TopCounter ips = new TopCounter(3);
        for (String value : List.of("a", "b", "a", "c", "d", "a")) {
            devices.add(value);
            ips.add("ip-" + value);
        }

        byte[] bytes = TopCounter.toBytes(devices, ips);
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
        TopCounter devicesBack = TopCounter.readFrom(in, 3);
        TopCounter ipsBack = TopCounter.readFrom(in, 3);

        assertThat(TopCounter.rank(List.of(devicesBack), 5)).isEqualTo(TopCounter.rank(List.of(devices), 5));
        assertThat(TopCounter.rank(List.of(ipsBack), 5)).isEqualTo(TopCounter.rank(List.of(ips), 5));
        assertThat(devicesBack.minCount()).isEqualTo(devices.minCount()).isPositive();
    }

    /** Six panes of {@code logins} values each, counted in {@code truth} too. */
    private static List<TopCounter> sixPanes(int capacity, int logins, Map<String, Long> truth,
            Supplier<String> values) {
        List<TopCounter> panes = new ArrayList<>();
        for (int pane = 0; pane < 6; pane++) {
            TopCounter counter = new TopCounter(capacity);
            for (int i = 0; i < logins; i++) {
                String value = values.get();
                counter.add(value);
                truth.merge(value, 1L, Long::sum);
            }
            panes.add(counter);
        }
        return panes;
    }
}
