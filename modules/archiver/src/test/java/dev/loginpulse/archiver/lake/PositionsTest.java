package dev.loginpulse.archiver.lake;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.loginpulse.archiver.lake.Positions.Verdict;
import dev.loginpulse.events.RawOffsets;

import static org.assertj.core.api.Assertions.assertThat;

class PositionsTest {

    @Test
    void anOffsetBelowThePartitionsNextOneWasSeenAlready() {
        Positions positions = new Positions("t");
        assertThat(positions.accept(0, 10, null)).isEqualTo(Verdict.NEW);
        assertThat(positions.accept(0, 11, null)).isEqualTo(Verdict.NEW);
        assertThat(positions.accept(0, 11, null)).isEqualTo(Verdict.OFFSET_SEEN);
        assertThat(positions.accept(0, 3, null)).isEqualTo(Verdict.OFFSET_SEEN);
        assertThat(positions.accept(1, 3, null)).isEqualTo(Verdict.NEW);
        assertThat(positions.next(0)).isEqualTo(12);
        assertThat(positions.next(1)).isEqualTo(4);
        assertThat(positions.next(2)).isNull();
    }

    @Test
    void aRedeliveredCleanLoginRepeatsARawOffsetOfItsCleanAndRawPartition() {
        Positions positions = new Positions("t");
        assertThat(positions.accept(0, 0, "1:100")).isEqualTo(Verdict.NEW);
        assertThat(positions.accept(0, 1, "1:101")).isEqualTo(Verdict.NEW);
        assertThat(positions.accept(0, 2, "2:5")).isEqualTo(Verdict.NEW);
        // the cleaner crashed and re-sent raw 1:100 and 1:101, then goes on with 1:102
        assertThat(positions.accept(0, 3, "1:100")).isEqualTo(Verdict.REDELIVERY);
        assertThat(positions.accept(0, 4, "1:101")).isEqualTo(Verdict.REDELIVERY);
        assertThat(positions.accept(0, 5, "1:102")).isEqualTo(Verdict.NEW);
        // the same raw offset in another clean partition is another record's business
        assertThat(positions.accept(1, 0, "1:100")).isEqualTo(Verdict.NEW);
        // no header: archived once per Kafka offset; a malformed one cannot come from the cleaner
        assertThat(positions.accept(0, 6, null)).isEqualTo(Verdict.NEW);
        assertThat(positions.accept(0, 7, "x:1")).isEqualTo(Verdict.MALFORMED_SOURCE);
        assertThat(positions.accept(0, 8, "1:-4")).isEqualTo(Verdict.MALFORMED_SOURCE);
        assertThat(positions.next(0)).isEqualTo(9);
    }

    @Test
    void sourceOffsetsAtOrBeyondTheEndOfTheirRawPartitionAreRefusedAndHideNothingThatFollows() {
        Positions positions = new Positions("t");
        // raw partition 0 holds offsets 0..49 999, raw partition 1 does not exist
        Map<Integer, Integer> asked = new HashMap<>();
        RawOffsets ends = partition -> {
            asked.merge(partition, 1, Integer::sum);
            return partition == 0 ? 50_000 : -1;
        };
        assertThat(positions.accept(0, 0, "0:" + Long.MAX_VALUE, ends)).isEqualTo(Verdict.IMPOSSIBLE_SOURCE);
        assertThat(positions.accept(0, 1, "0:50000", ends)).isEqualTo(Verdict.IMPOSSIBLE_SOURCE);
        assertThat(positions.accept(0, 2, "1:0", ends)).isEqualTo(Verdict.IMPOSSIBLE_SOURCE);
        assertThat(positions.accept(0, 3, "0:10", ends)).isEqualTo(Verdict.NEW);
        // within the plausible jump of the highest archived: not asked again
        assertThat(positions.accept(0, 4, "0:11", ends)).isEqualTo(Verdict.NEW);
        assertThat(positions.accept(0, 5, "0:" + (11 + Positions.PLAUSIBLE_JUMP), ends)).isEqualTo(Verdict.NEW);
        assertThat(asked).isEqualTo(Map.of(0, 3, 1, 1));
        // a jump past it is checked
        assertThat(positions.accept(0, 6, "0:49999999", ends)).isEqualTo(Verdict.IMPOSSIBLE_SOURCE);
        assertThat(positions.accept(0, 7, "0:49999", ends)).isEqualTo(Verdict.NEW);
        assertThat(asked).isEqualTo(Map.of(0, 5, 1, 1));
        assertThat(positions.next(0)).isEqualTo(8);
    }

    @Test
    void theSummaryCarriesEveryPositionAndReadsBackEqual() {
        Positions positions = new Positions("user-login-clean");
        positions.accept(0, 41, "2:7");
        positions.accept(2, 9, "0:3");
        Map<String, String> summary = positions.toSummary();
        assertThat(summary).containsExactlyInAnyOrderEntriesOf(Map.of(
                "pulse.offsets.user-login-clean.0", "42",
                "pulse.offsets.user-login-clean.2", "10",
                "pulse.sources.user-login-clean.0.2", "7",
                "pulse.sources.user-login-clean.2.0", "3"));
        Positions read = Positions.fromSummary("user-login-clean", summary);
        assertThat(read).isEqualTo(positions);
        assertThat(read.accept(0, 42, "2:7")).isEqualTo(Verdict.REDELIVERY);
        assertThat(Positions.recordedIn("user-login-clean", summary)).isTrue();
        assertThat(Positions.recordedIn("user-login-stats", summary)).isFalse();
        assertThat(Positions.fromSummary("user-login-stats", summary)).isEqualTo(new Positions("user-login-stats"));
    }
}
