package dev.loginpulse.bench;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** Prints a progress line every two seconds while a phase runs. */
final class Progress implements AutoCloseable {

    static final long INTERVAL_MS = 2_000;

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "bench-progress");
        thread.setDaemon(true);
        return thread;
    });

    Progress(String phase, Supplier<String> line) {
        long start = System.nanoTime();
        timer.scheduleAtFixedRate(() -> {
            try {
                System.out.printf("  [%s %5.1fs] %s%n", phase, (System.nanoTime() - start) / 1e9, line.get());
            } catch (RuntimeException e) {
                System.out.printf("  [%s] progress unavailable: %s%n", phase, e.getMessage());
            }
        }, INTERVAL_MS, INTERVAL_MS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }

    static String count(double value) {
        return String.format("%,.0f", value);
    }
}
