package dev.loginpulse.bench;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Closes what is running when the bench is stopped (Ctrl-C): a shutdown hook closes all that is registered. */
final class ExitHook {

    /** What a Ctrl-C must stop: the child processes of the phase that runs. */
    private static final Set<AutoCloseable> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (AutoCloseable running : RUNNING) {
                try {
                    running.close();
                } catch (Exception e) {
                    // stopping anyway
                }
            }
        }, "bench-shutdown"));
    }

    private ExitHook() {
    }

    /** Registers something to close if the bench is stopped; closing it normally is the caller's job. */
    static <T extends AutoCloseable> T closeOnExit(T running) {
        RUNNING.add(running);
        return running;
    }

    /** Forgets something registered with {@link #closeOnExit}. */
    static void closed(AutoCloseable running) {
        RUNNING.remove(running);
    }
}
