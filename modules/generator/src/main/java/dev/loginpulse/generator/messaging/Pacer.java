package dev.loginpulse.generator.messaging;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Decides how many logins are due each time it is asked: {@code rate} per second of the time source's time, however
 * irregularly it is asked. A token bucket: credit accrues with time, {@link #take()} hands out its whole permits and
 * keeps the fraction for later. A late or dropped tick therefore loses nothing, so the rate holds on a loaded machine;
 * but after a stall (a slow broker, a long pause) at most {@code maxBurst} of the rate is made up at once (at least one
 * permit), the rest is skipped rather than published as a flood.
 * <p>
 * Exact: the arithmetic is in integers, with the rate taken to the thousandth of a login per second (a rate below
 * 0.0005/s is 0). Over any stretch in which the credit never reaches the burst, the permits handed out are exactly
 * {@code floor(rate × elapsed)}: at 2,000/s, 100 for every 50 ms, 20,000 over 10 s.
 */
final class Pacer {

    /** The highest rate, logins per second: keeps the integer arithmetic below overflow. */
    static final double MAX_RATE = 1_000_000;
    /** One permit in credit units. A rate of r per second accrues r × 1,000 units per nanosecond. */
    private static final long PERMIT = 1_000_000_000_000L;

    private final LongSupplier nanoTime;
    /** Credit per nanosecond: the rate in thousandths of a login per second. */
    private final long creditPerNano;
    private final long capacity;
    private long credit;
    private long last;

    /**
     * @param ratePerSecond logins per second; 0 or less pauses
     * @param maxBurst at most this much of the rate is made up at once after a stall
     * @param nanoTime monotonic time in nanoseconds, as {@link System#nanoTime()}; the credit accrues from now
     */
    Pacer(double ratePerSecond, Duration maxBurst, LongSupplier nanoTime) {
        if (!(ratePerSecond <= MAX_RATE)) {
            throw new IllegalArgumentException("pulse.generator.rate must be at most " + (long) MAX_RATE + "/s: "
                    + ratePerSecond);
        }
        if (maxBurst.isNegative() || maxBurst.compareTo(Duration.ofSeconds(1)) > 0) {
            throw new IllegalArgumentException("The burst must be between 0 and 1 s: " + maxBurst);
        }
        this.creditPerNano = ratePerSecond <= 0 ? 0 : Math.round(ratePerSecond * 1_000);
        // at most 10^9 × 10^9: no overflow
        this.capacity = Math.max(PERMIT, creditPerNano * maxBurst.toNanos());
        this.nanoTime = nanoTime;
        this.last = nanoTime.getAsLong();
    }

    /** Whether the rate is 0: {@link #take()} never hands out anything. */
    boolean paused() {
        return creditPerNano == 0;
    }

    /** The logins due now that were not handed out before; at most the burst. */
    int take() {
        long now = nanoTime.getAsLong();
        long elapsed = now - last;
        last = now;
        if (elapsed > 0 && creditPerNano > 0) {
            long room = capacity - credit;
            credit += elapsed >= Math.ceilDiv(room, creditPerNano) ? room : elapsed * creditPerNano;
        }
        long permits = credit / PERMIT;
        credit -= permits * PERMIT;
        return (int) permits;
    }
}
