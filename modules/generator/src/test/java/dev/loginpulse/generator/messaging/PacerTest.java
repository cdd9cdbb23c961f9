package dev.loginpulse.generator.messaging;

import java.time.Duration;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The pacing decision with a time source the test moves: exact counts, nothing waits. */
class PacerTest {

    private static final Duration BURST = Duration.ofSeconds(1);

    private long now = 123_456_789L; // any origin: only differences count
    private final Pacer pacer2000 = new Pacer(2_000, BURST, () -> now);

    @Test
    void atTwoThousandPerSecondEvery50msTickGrantsExactly100AndTenSecondsExactly20000() {
        long total = 0;
        for (int tick = 0; tick < 200; tick++) {
            now += 50_000_000L;
            int permits = pacer2000.take();
            assertThat(permits).isEqualTo(100);
            total += permits;
        }

        assertThat(total).isEqualTo(20_000);
    }

    @Test
    void irregularTicksGrantExactlyTheRateTimesTheElapsedTimeSoLateTicksLoseNothing() {
        long start = now;
        SplittableRandom random = new SplittableRandom(7);
        long total = 0;
        while (now - start < 10_000_000_000L) {
            // between 1 µs and 300 ms, never past 10 s
            now = Math.min(start + 10_000_000_000L, now + random.nextLong(1_000, 300_000_000L));
            total += pacer2000.take();
            // floor(2,000/s × elapsed), in integers
            assertThat(total).isEqualTo((now - start) * 2_000 / 1_000_000_000L);
        }

        assertThat(total).isEqualTo(20_000);
    }

    @Test
    void fractionalRatesCarryTheRemainderFromTickToTick() {
        Pacer half = new Pacer(0.5, BURST, () -> now);
        Pacer twelveAndAHalf = new Pacer(12.5, BURST, () -> now);
        long halfTotal = 0;
        long twelveTotal = 0;
        for (int tick = 1; tick <= 200; tick++) {
            now += 50_000_000L;
            int permits = half.take();
            assertThat(permits).as("tick %d", tick).isEqualTo(tick % 40 == 0 ? 1 : 0); // one every 2 s
            halfTotal += permits;
            twelveTotal += twelveAndAHalf.take();
        }

        assertThat(halfTotal).isEqualTo(5);
        assertThat(twelveTotal).isEqualTo(125);
    }

    @Test
    void afterAStallAtMostOneSecondOfTheRateIsMadeUpAndTheRestIsSkipped() {
        now += 500_000_000L;
        assertThat(pacer2000.take()).as("half a second late: made up in full").isEqualTo(1_000);

        now += 5_000_000_000L;
        assertThat(pacer2000.take()).as("five seconds stalled: one second's worth").isEqualTo(2_000);

        now += 50_000_000L;
        assertThat(pacer2000.take()).as("then the steady rate again").isEqualTo(100);
    }

    @Test
    void aRateBelowOnePerBurstStillGrantsOneWholePermitAfterAStallNeverMore() {
        Pacer slow = new Pacer(0.5, BURST, () -> now);

        now += Duration.ofHours(1).toNanos();

        assertThat(slow.take()).isEqualTo(1);
        assertThat(slow.take()).isZero();
        now += 2_000_000_000L;
        assertThat(slow.take()).isEqualTo(1);
    }

    @Test
    void rateZeroIsPausedAndGrantsNothingHoweverLongItRuns() {
        Pacer zero = new Pacer(0, BURST, () -> now);
        Pacer belowAThousandth = new Pacer(0.0004, BURST, () -> now);
        Pacer negative = new Pacer(-5, BURST, () -> now);

        long total = 0;
        for (int hour = 0; hour < 24; hour++) {
            now += Duration.ofHours(1).toNanos();
            total += zero.take() + belowAThousandth.take() + negative.take();
        }

        assertThat(zero.paused()).isTrue();
        assertThat(belowAThousandth.paused()).isTrue();
        assertThat(negative.paused()).isTrue();
        assertThat(total).isZero();
        assertThat(pacer2000.paused()).isFalse();
    }

    @Test
    void aThousandthOfALoginPerSecondIsOneLoginEvery1000Seconds() {
        Pacer thousandth = new Pacer(0.001, BURST, () -> now);

        now += 999_999_999_999L;
        assertThat(thousandth.take()).isZero();
        now += 1;
        assertThat(thousandth.take()).isEqualTo(1);
    }

    @Test
    void theClockNotMovingGrantsNothingMore() {
        now += 50_000_000L;
        assertThat(pacer2000.take()).isEqualTo(100);

        assertThat(pacer2000.take()).isZero();
        assertThat(pacer2000.take()).isZero();
    }

    @Test
    void aMillionPerSecondIsTheHighestRate() {
        Pacer million = new Pacer(1_000_000, BURST, () -> now);
        now += Duration.ofHours(1).toNanos();
        assertThat(million.take()).isEqualTo(1_000_000);
        now += 50_000_000L;
        assertThat(million.take()).isEqualTo(50_000);

        assertThatThrownBy(() -> new Pacer(1_000_001, BURST, () -> now))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pulse.generator.rate");
        assertThatThrownBy(() -> new Pacer(Double.NaN, BURST, () -> now))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
