package dev.loginpulse.dashboard.websocket;

/**
 * Monotonic time in nanoseconds, as {@link System#nanoTime()}: what {@link StatsBroadcaster} measures the slow-client
 * timeout with. {@link SystemTimeSource} unless a test enables one it controls.
 */
@FunctionalInterface
public interface TimeSource {

    /** Nanoseconds since an arbitrary origin; only differences mean anything. */
    long nanoTime();
}
