package dev.loginpulse.dashboard.websocket;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Singleton;

/**
 * A {@link TimeSource} that stands still until the test moves it. A plain object in unit tests; in a
 * {@code @QuarkusTest} it replaces {@link SystemTimeSource} only where a test profile enables it.
 */
@Alternative
@Singleton
public class ManualTimeSource implements TimeSource {

    private final AtomicLong nanos = new AtomicLong();

    @Override
    public long nanoTime() {
        return nanos.get();
    }

    /** Moves the time forward by {@code duration}. */
    public void advance(Duration duration) {
        nanos.addAndGet(duration.toNanos());
    }
}
