package dev.loginpulse.launcher;

import java.awt.Desktop;
import java.awt.GraphicsEnvironment;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.loginpulse.devbroker.KafkaBroker;

/**
 * {@code ./run.sh}: starts the {@link Pipeline} on the default ports, prints the dashboard URL, keeps the services
 * running with a {@link Supervisor} and runs until SIGINT/SIGTERM. The main class of {@code launcher.jar}.
 */
public final class Launcher {

    private Launcher() {
    }

    /**
     * Reads {@code PULSE_DATA_DIR} (keep broker data), {@code PULSE_MODE} ({@code jvm} or {@code native}),
     * {@code PULSE_PARTITIONS}, {@code PULSE_KAFKA_PORT}, {@code PULSE_BROKERS} (Kafka nodes: 1, or a cluster of 3 with
     * {@code ./run.sh --brokers 3}), {@code PULSE_EXTERNAL_KAFKA} (set by {@code ./run.sh --kafka}:
     * no broker of its own) and {@code PULSE_OPEN_BROWSER}; every other variable passes through to the services.
     */
    public static void main(String[] args) throws InterruptedException {
        Map<String, String> env = System.getenv();
        PipelineOptions options = new PipelineOptions()
                .home(Path.of(System.getProperty("pulse.home", ".")))
                .version(System.getProperty("pulse.version", "1.0.0-SNAPSHOT"))
                .mode(Pipeline.Mode.valueOf(env.getOrDefault("PULSE_MODE", "jvm").toUpperCase(Locale.ROOT)))
                .partitions(Integer.parseInt(env.getOrDefault("PULSE_PARTITIONS",
                        String.valueOf(KafkaBroker.DEFAULT_PARTITIONS))))
                .kafkaPort(Integer.parseInt(env.getOrDefault("PULSE_KAFKA_PORT",
                        String.valueOf(KafkaBroker.DEFAULT_PORT))))
                .brokers(Integer.parseInt(env.getOrDefault("PULSE_BROKERS", "1")));
        if (env.containsKey("PULSE_DATA_DIR")) {
            options.dataDir(Path.of(env.get("PULSE_DATA_DIR")).toAbsolutePath());
        }
        if (env.containsKey("PULSE_EXTERNAL_KAFKA")) {
            options.externalBroker(env.get("PULSE_EXTERNAL_KAFKA"));
        }
        options.resolve();
        System.out.println("Starting Kafka" + (options.brokers > 1 ? " (" + options.brokers + " nodes)" : "") + " and "
                + options.services.size() + " services (" + options.mode + "); logs in " + options.logDir);
        Pipeline pipeline;
        try {
            pipeline = Pipeline.start(options);
        } catch (RuntimeException e) {
            System.err.println("login-pulse did not start: " + e.getMessage());
            System.exit(1);
            return;
        }
        Thread shutdown = new Thread(() -> {
            System.out.println("\nStopping login-pulse...");
            pipeline.close();
            System.out.println("Stopped.");
        }, "pipeline-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdown);
        System.out.println("Kafka:     " + pipeline.bootstrapServers());
        for (Service service : options.services) {
            System.out.printf("%-10s %s (Kafka %s)%n", service.moduleName() + ":", pipeline.url(service),
                    pipeline.bootstrapServers());
        }
        String dashboard = "http://localhost:" + options.port(Service.DASHBOARD);
        System.out.println("Dashboard: " + dashboard);
        System.out.println("Press Ctrl-C to stop.");
        if (!"false".equals(env.get("PULSE_OPEN_BROWSER"))) {
            openBrowser(dashboard);
        }
        Supervisor supervisor = new Supervisor(supervised(pipeline), options.services,
                message -> System.out.println(Instant.now() + " " + message), reason -> {
                    System.err.println("login-pulse stops: " + reason);
                    System.exit(1); // the shutdown hook stops everything
                });
        ScheduledExecutorService ticks = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "supervisor");
            thread.setDaemon(true);
            return thread;
        });
        ticks.scheduleWithFixedDelay(() -> supervisor.tick(Instant.now()), 1, 1, TimeUnit.SECONDS);
        Thread.currentThread().join();
    }

    /** Opens the dashboard in the desktop's browser where there is one; silently does nothing elsewhere. */
    private static void openBrowser(String url) {
        try {
            if (!GraphicsEnvironment.isHeadless() && Desktop.isDesktopSupported()
                    && Desktop.getDesktop().isSupported(Desktop.Action.BROWSE)) {
                Desktop.getDesktop().browse(URI.create(url));
            }
        } catch (IOException | RuntimeException | Error e) {
            // no desktop browser: the printed URL is enough
        }
    }

    /** A pipeline's services as the {@link Supervisor} sees them; liveness over HTTP. */
    static Supervisor.Supervised supervised(Pipeline pipeline) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        return new Supervisor.Supervised() {
            @Override
            public Process process(Service service) {
                return pipeline.process(service);
            }

            @Override
            public void restart(Service service) {
                pipeline.restartService(service);
            }

            @Override
            public boolean live(Service service) {
                return Supervisor.live(http, pipeline.url(service));
            }

            @Override
            public Path log(Service service) {
                return pipeline.log(service);
            }

            @Override
            public boolean stopping() {
                return pipeline.stopping();
            }
        };
    }
}
