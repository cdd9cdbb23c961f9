package dev.loginpulse.launcher;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The supervisor on a clock of the test's own, with real processes that run or have exited. */
class SupervisorTest {

    private static final Instant T0 = Instant.parse("2026-12-06T12:00:00Z");

    private final FakePipeline pipeline = new FakePipeline();
    private final List<String> log = new ArrayList<>();
    private final List<String> gaveUp = new ArrayList<>();
    private final Supervisor supervisor = new Supervisor(pipeline, List.of(Service.CLEANER, Service.STATS), log::add,
            gaveUp::add);

    @AfterEach
    void stopProcesses() {
        pipeline.processes.values().forEach(Process::destroyForcibly);
    }

    @Test
    void healthyServicesAreLeftAlone() throws Exception {
        pipeline.start(Service.CLEANER);
        pipeline.start(Service.STATS);

        for (int second = 0; second < 120; second++) {
            supervisor.tick(T0.plusSeconds(second));
        }

        assertThat(pipeline.restarts).isEmpty();
        assertThat(log).isEmpty();
    }

    @Test
    void exitedServiceIsRestartedAfterABackOffThatDoublesAndTheReasonIsLogged() throws Exception {
        pipeline.start(Service.CLEANER);
        pipeline.start(Service.STATS);
        pipeline.kill(Service.STATS);

        supervisor.tick(T0);
        assertThat(pipeline.restarts).isEmpty();
        assertThat(log).singleElement().asString().contains("stats exited with code", "restarting it in 1 s",
                "stats.log");
        supervisor.tick(T0.plusSeconds(1));
        assertThat(pipeline.restarts).containsExactly(Service.STATS);

        pipeline.kill(Service.STATS);
        supervisor.tick(T0.plusSeconds(2));
        supervisor.tick(T0.plusSeconds(3));
        assertThat(pipeline.restarts).as("second back-off is 2 s").hasSize(1);
        supervisor.tick(T0.plusSeconds(4));
        assertThat(pipeline.restarts).containsExactly(Service.STATS, Service.STATS);
        assertThat(gaveUp).isEmpty();
    }

    @Test
    void serviceNotLiveForTheGraceIsKilledAndRestarted() throws Exception {
        pipeline.start(Service.CLEANER);
        pipeline.start(Service.STATS);
        pipeline.notLive.add(Service.CLEANER);
        Process stuck = pipeline.processes.get(Service.CLEANER);

        supervisor.tick(T0);
        supervisor.tick(T0.plus(Supervisor.LIVENESS_GRACE).minusSeconds(1));
        assertThat(stuck.isAlive()).isTrue();
        supervisor.tick(T0.plus(Supervisor.LIVENESS_GRACE));

        assertThat(stuck.waitFor(10, TimeUnit.SECONDS)).as("killed").isTrue();
        assertThat(log).singleElement().asString().contains("cleaner not live for 30 s (killed)");
        pipeline.notLive.clear();
        supervisor.tick(T0.plus(Supervisor.LIVENESS_GRACE).plusSeconds(1));
        assertThat(pipeline.restarts).containsExactly(Service.CLEANER);
    }

    @Test
    void serviceThatKeepsFailingStopsEverythingNamingItsLog() throws Exception {
        pipeline.start(Service.CLEANER);
        pipeline.start(Service.STATS);
        pipeline.failOnRestart.add(Service.STATS);
        pipeline.kill(Service.STATS);

        Instant now = T0;
        for (int i = 0; i < 200 && gaveUp.isEmpty(); i++) {
            supervisor.tick(now);
            now = now.plusSeconds(1);
        }

        assertThat(pipeline.restarts).hasSize(Supervisor.MAX_RESTARTS);
        assertThat(gaveUp).singleElement().asString().contains("stats failed 6 times within 10 min", "stats.log");
        int restarts = pipeline.restarts.size();
        supervisor.tick(now.plusSeconds(60));
        assertThat(pipeline.restarts).as("nothing more once given up").hasSize(restarts);
    }

    @Test
    void backOffDoublesUpToThirtySeconds() {
        assertThat(List.of(1, 2, 3, 4, 5, 6, 7, 20)).extracting(Supervisor::backoff).containsExactly(
                Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(8),
                Duration.ofSeconds(16), Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofSeconds(30));
    }

    @Test
    void nothingIsRestartedWhileStopping() throws Exception {
        pipeline.start(Service.CLEANER);
        pipeline.start(Service.STATS);
        pipeline.kill(Service.CLEANER);
        pipeline.stopping = true;

        supervisor.tick(T0);
        supervisor.tick(T0.plusSeconds(60));

        assertThat(pipeline.restarts).isEmpty();
    }

    /** Services as real processes: {@code sleep} while running; a killed one has exited. */
    private static final class FakePipeline implements Supervisor.Supervised {
        private final Map<Service, Process> processes = new EnumMap<>(Service.class);
        private final List<Service> restarts = new ArrayList<>();
        private final Set<Service> notLive = EnumSet.noneOf(Service.class);
        private final Set<Service> failOnRestart = EnumSet.noneOf(Service.class);
        private boolean stopping;

        void start(Service service) throws IOException {
            processes.put(service, new ProcessBuilder("sleep", "600").start());
        }

        void kill(Service service) throws InterruptedException {
            Process process = processes.get(service);
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }

        @Override
        public Process process(Service service) {
            return processes.get(service);
        }

        @Override
        public void restart(Service service) {
            restarts.add(service);
            try {
                start(service);
                if (failOnRestart.contains(service)) {
                    kill(service);
                }
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public boolean live(Service service) {
            return !notLive.contains(service);
        }

        @Override
        public Path log(Service service) {
            return Path.of("target/pulse-run/" + service.moduleName() + ".log");
        }

        @Override
        public boolean stopping() {
            return stopping;
        }
    }
}
