package dev.loginpulse.stats.streams;

import java.time.Duration;

/**
 * The hopping windows of the stats topology: {@code size} long, a new one every {@code advance}, accepting records up
 * to {@code grace} after a window's end (by stream time). {@code emitInterval} is how often changed windows are
 * published.
 *
 * @param size window length; a whole multiple of {@code advance}
 * @param advance distance between window starts
 * @param grace how long after its end a window still accepts late records
 * @param emitInterval wall-clock interval between publications of changed windows
 * @param maxSourceLag how far (in event time) a source partition of {@code user-login} may trail the most advanced one
 *        and still hold windows open ({@link SourceProgress}): the idleness rule
 */
public record WindowSpec(Duration size, Duration advance, Duration grace, Duration emitInterval,
        Duration maxSourceLag) {

    /** Default {@link #maxSourceLag()}: 2 minutes. */
    public static final Duration DEFAULT_MAX_SOURCE_LAG = Duration.ofMinutes(2);

    public WindowSpec {
        if (advance.isNegative() || advance.isZero()) {
            throw new IllegalArgumentException("window advance must be positive: " + advance);
        }
        if (size.compareTo(advance) < 0 || size.toMillis() % advance.toMillis() != 0) {
            throw new IllegalArgumentException(
                    "window size must be a whole multiple of the advance: size " + size + ", advance " + advance);
        }
        if (size.toMillis() / advance.toMillis() > 32) {
            throw new IllegalArgumentException("at most 32 windows may overlap: size " + size + ", advance " + advance);
        }
        if (grace.isNegative()) {
            throw new IllegalArgumentException("grace must not be negative: " + grace);
        }
        if (emitInterval.isNegative() || emitInterval.isZero()) {
            throw new IllegalArgumentException("emit interval must be positive: " + emitInterval);
        }
        if (maxSourceLag.isNegative()) {
            throw new IllegalArgumentException("max source lag must not be negative: " + maxSourceLag);
        }
    }

    /** With the {@link #DEFAULT_MAX_SOURCE_LAG}. */
    public WindowSpec(Duration size, Duration advance, Duration grace, Duration emitInterval) {
        this(size, advance, grace, emitInterval, DEFAULT_MAX_SOURCE_LAG);
    }

    /** The contract's defaults: 60 s windows every 10 s, 10 s grace, published every 100 ms. */
    public static WindowSpec defaults() {
        return new WindowSpec(Duration.ofSeconds(60), Duration.ofSeconds(10), Duration.ofSeconds(10),
                Duration.ofMillis(100));
    }

    long sizeMs() {
        return size.toMillis();
    }

    long advanceMs() {
        return advance.toMillis();
    }

    long graceMs() {
        return grace.toMillis();
    }

    long maxSourceLagMs() {
        return maxSourceLag.toMillis();
    }
}
