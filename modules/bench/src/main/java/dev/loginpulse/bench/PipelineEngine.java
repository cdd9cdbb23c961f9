package dev.loginpulse.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.RemoveMembersFromConsumerGroupOptions;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.GroupNotEmptyException;

import dev.loginpulse.devbroker.KafkaBroker;
import dev.loginpulse.events.Topics;
import dev.loginpulse.launcher.Pipeline;
import dev.loginpulse.launcher.PipelineOptions;
import dev.loginpulse.launcher.Service;

/** Cleaner and stats, the packaged services, as an {@link Throughput.Engine} on the bench's broker. */
final class PipelineEngine implements Throughput.Engine {

    /** The consumer group of the cleaner and the application id of stats (their {@code application.properties}). */
    private static final List<String> GROUPS = List.of("cleaner", "stats");
    private static final List<String> OUTPUT_TOPICS = List.of(Topics.USER_LOGIN_CLEAN, Topics.USER_LOGIN_STATS,
            Topics.USER_LOGIN_DLQ);

    private final Pipeline pipeline;

    private PipelineEngine(Pipeline pipeline) {
        this.pipeline = pipeline;
    }

    /** Whether the native executables of cleaner and stats exist. */
    static boolean nativeBuilt(BenchOptions options) {
        return List.of(Service.CLEANER, Service.STATS).stream().allMatch(service -> Files.isExecutable(
                options.home.resolve("modules").resolve(service.moduleName()).resolve("target")
                        .resolve(service.moduleName() + "-" + options.version + "-runner")));
    }

    static Throughput.Launcher launcher(BenchOptions options, KafkaBroker broker, Pipeline.Mode mode) {
        return new Throughput.Launcher() {
            @Override
            public void prepare() {
                reset(broker);
            }

            @Override
            public Throughput.Engine launch() {
                return start(options, broker, mode);
            }
        };
    }

    private static PipelineEngine start(BenchOptions options, KafkaBroker broker, Pipeline.Mode mode) {
        Path logs = options.out().resolve("logs").resolve("pipeline-" + mode.name().toLowerCase());
        PipelineOptions pipelineOptions = new PipelineOptions()
                .home(options.home)
                .version(options.version)
                .logDir(logs)
                .mode(mode)
                .externalBroker(broker.bootstrapServers())
                .services(List.of(Service.CLEANER, Service.STATS))
                .port(Service.CLEANER, 0)
                .port(Service.STATS, 0)
                .jvmArgs(jvmArgs(options, mode))
                .nativeArgs(options.serviceNativeArgs)
                .env("PULSE_STATS_STATE_DIR", options.out().resolve("stats-state-" + UUID.randomUUID()).toString());
        return new PipelineEngine(Pipeline.start(pipelineOptions));
    }

    private static List<String> jvmArgs(BenchOptions options, Pipeline.Mode mode) {
        List<String> args = new ArrayList<>(options.serviceJvmArgs);
        if (options.profile && mode == Pipeline.Mode.JVM) {
            args.add(flightRecording(options, mode.name().toLowerCase()));
        }
        return args;
    }

    /** The JVM option that records a JFR profile of every service of a phase into {@code jfr/<phase>/} (--profile). */
    static String flightRecording(BenchOptions options, String phase) {
        Path jfr = options.out().resolve("jfr").resolve(phase);
        try {
            Files.createDirectories(jfr);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return "-XX:StartFlightRecording=filename=" + jfr + "/,settings=profile,dumponexit=true";
    }

    static String config(BenchOptions options, Pipeline.Mode mode) {
        return mode == Pipeline.Mode.JVM
                ? "JVM " + String.join(" ", options.serviceJvmArgs) + ", " + options.partitions
                        + " partitions, services' own settings (stats: exactly_once_v2,"
                        + " emit 100 ms with a commit after each)"
                : "native executables" + (options.serviceNativeArgs.isEmpty() ? ""
                        : " " + String.join(" ", options.serviceNativeArgs)) + ", " + options.partitions
                        + " partitions, services' own settings";
    }

    @Override
    public Map<String, Long> pids() {
        Map<String, Long> pids = new LinkedHashMap<>();
        pids.put("cleaner", pipeline.process(Service.CLEANER).pid());
        pids.put("stats", pipeline.process(Service.STATS).pid());
        return pids;
    }

    @Override
    public boolean alive() {
        return pipeline.process(Service.CLEANER).isAlive() && pipeline.process(Service.STATS).isAlive();
    }

    @Override
    public void close() {
        pipeline.close();
    }

    /**
     * Forgets what an earlier run left: the cleaner's and stats' consumer groups, stats' internal topics and the
     * pipeline's output topics, which are created again empty. The preloaded {@link Topics#USER_LOGIN} stays.
     */
    static void reset(KafkaBroker broker) {
        try (Admin admin = broker.admin()) {
            for (String group : GROUPS) {
                deleteGroup(admin, group);
            }
            List<String> doomed = new ArrayList<>(OUTPUT_TOPICS);
            for (String topic : admin.listTopics().names().get(60, TimeUnit.SECONDS)) {
                if (topic.startsWith("stats-")) {
                    doomed.add(topic);
                }
            }
            admin.deleteTopics(doomed).all().get(60, TimeUnit.SECONDS);
            Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
            while (admin.listTopics().names().get(60, TimeUnit.SECONDS).stream().anyMatch(doomed::contains)) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("Topics not deleted within 60 s: " + doomed);
                }
                Throughput.pause(Duration.ofMillis(200));
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("Cannot reset the pipeline's topics", e.getCause());
        } catch (Exception e) {
            if (e instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException("Cannot reset the pipeline's topics", e);
        }
        broker.createTopics(OUTPUT_TOPICS);
    }

    /**
     * Deletes a consumer group. Kafka Streams does not leave its group when it closes, so the stats group of the
     * engine that ran before still has members until their session times out: those are removed first.
     */
    private static void deleteGroup(Admin admin, String group) throws Exception {
        try {
            admin.deleteConsumerGroups(List.of(group)).all().get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return;
            }
            if (!(e.getCause() instanceof GroupNotEmptyException)) {
                throw new IllegalStateException("Cannot delete consumer group " + group, e.getCause());
            }
            admin.removeMembersFromConsumerGroup(group, new RemoveMembersFromConsumerGroupOptions()).all()
                    .get(60, TimeUnit.SECONDS);
            admin.deleteConsumerGroups(List.of(group)).all().get(60, TimeUnit.SECONDS);
        }
    }
}
