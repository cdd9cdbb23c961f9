package dev.loginpulse.launcher;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Keeps the services of {@code ./run.sh} running: a service whose process exits, or whose liveness check
 * ({@code /q/health/live}) fails for {@link #LIVENESS_GRACE}, is restarted after a back-off that doubles with each
 * restart (1 s, 2 s, 4 s, ... at most 30 s), and the reason is logged. A service that needs more than
 * {@link #MAX_RESTARTS} restarts within {@link #RESTART_WINDOW} is given up on: the supervisor says which service and
 * where its log is, and calls {@code giveUp} (which stops everything).
 * <p>
 * {@link #tick(Instant)} does one round of checks; {@link Launcher} calls it every second. It is driven by the time it is
 * given, so tests run it on a clock of their own.
 */
public final class Supervisor {

    /** How long a liveness check may fail before the service is restarted. */
    public static final Duration LIVENESS_GRACE = Duration.ofSeconds(30);
    /** Restarts of one service within {@link #RESTART_WINDOW} before the supervisor gives up. */
    public static final int MAX_RESTARTS = 5;
    /** The window {@link #MAX_RESTARTS} counts in. */
    public static final Duration RESTART_WINDOW = Duration.ofMinutes(10);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    /** What is supervised: the launcher's services. */
    public interface Supervised {
        /** The service's current process, or null. */
        Process process(Service service);

        /** Starts the service again (its previous process is gone). */
        void restart(Service service);

        /** Whether the service answers its liveness check; false if it does not answer. */
        boolean live(Service service);

        /** The service's log file. */
        Path log(Service service);

        /** True while everything is being stopped: nothing is restarted then. */
        boolean stopping();
    }

    private final Supervised supervised;
    private final List<Service> services;
    private final Consumer<String> log;
    private final Consumer<String> giveUp;
    private final Map<Service, State> states = new EnumMap<>(Service.class);
    private boolean gaveUp;

    private static final class State {
        private final Deque<Instant> restarts = new ArrayDeque<>();
        private Instant notLiveSince;
        private Instant restartAt;
        private String reason;
    }

    /**
     * @param log where the supervisor reports (a restart and its reason)
     * @param giveUp called once, with the reason, when a service keeps failing
     */
    public Supervisor(Supervised supervised, List<Service> services, Consumer<String> log, Consumer<String> giveUp) {
        this.supervised = supervised;
        this.services = List.copyOf(services);
        this.log = log;
        this.giveUp = giveUp;
        for (Service service : services) {
            states.put(service, new State());
        }
    }

    /** One round: notices failed services, restarts those whose back-off has passed. */
    public synchronized void tick(Instant now) {
        if (gaveUp || supervised.stopping()) {
            return;
        }
        for (Service service : services) {
            State state = states.get(service);
            if (state.restartAt != null) {
                if (!now.isBefore(state.restartAt)) {
                    state.restartAt = null;
                    state.notLiveSince = null;
                    log.accept("Restarting " + service.moduleName() + " (" + state.reason + ")");
                    supervised.restart(service);
                }
                continue;
            }
            String failure = failure(service, state, now);
            if (failure == null) {
                continue;
            }
            state.restarts.addLast(now);
            while (!state.restarts.isEmpty() && state.restarts.peekFirst().isBefore(now.minus(RESTART_WINDOW))) {
                state.restarts.removeFirst();
            }
            if (state.restarts.size() > MAX_RESTARTS) {
                gaveUp = true;
                giveUp.accept(service.moduleName() + " failed " + state.restarts.size() + " times within "
                        + RESTART_WINDOW.toMinutes() + " min (last: " + failure + "); see " + supervised.log(service));
                return;
            }
            Duration backoff = backoff(state.restarts.size());
            state.reason = failure;
            state.restartAt = now.plus(backoff);
            log.accept(service.moduleName() + " " + failure + "; restarting it in " + backoff.toSeconds() + " s (see "
                    + supervised.log(service) + ")");
        }
    }

    /** Why the service must be restarted now, or null if it is fine. */
    private String failure(Service service, State state, Instant now) {
        Process process = supervised.process(service);
        if (process == null || !process.isAlive()) {
            return "exited" + (process == null ? "" : " with code " + process.exitValue());
        }
        if (supervised.live(service)) {
            state.notLiveSince = null;
            return null;
        }
        if (state.notLiveSince == null) {
            state.notLiveSince = now;
            return null;
        }
        if (Duration.between(state.notLiveSince, now).compareTo(LIVENESS_GRACE) < 0) {
            return null;
        }
        process.destroyForcibly();
        return "not live for " + LIVENESS_GRACE.toSeconds() + " s (killed)";
    }

    /** 1 s for the first restart, doubling, at most {@link #MAX_BACKOFF}. */
    static Duration backoff(int restart) {
        long seconds = 1L << Math.min(Math.max(restart - 1, 0), 5);
        return Duration.ofSeconds(Math.min(seconds, MAX_BACKOFF.toSeconds()));
    }

    /** A liveness check over HTTP, 2 s timeout. */
    static boolean live(HttpClient http, URI url) {
        try {
            HttpRequest request = HttpRequest.newBuilder(url.resolve("/q/health/live")).timeout(Duration.ofSeconds(2))
                    .GET().build();
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
