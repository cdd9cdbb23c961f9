package dev.loginpulse.e2e;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import dev.loginpulse.broker.Pipeline;
import dev.loginpulse.broker.Service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Readiness tells the truth: every service reports not ready while the broker is down, and recovers by itself. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReadinessIT {

    private final HttpClient http = HttpClient.newHttpClient();
    private Pipeline pipeline;

    @BeforeAll
    void startPipeline() {
        Path home = Path.of(System.getProperty("pulse.home", "../..")).toAbsolutePath().normalize();
        Pipeline.Options options = new Pipeline.Options()
                .home(home)
                .logDir(home.resolve("modules/e2e/target/readiness-logs"))
                .version(System.getProperty("pulse.version", "1.0.0-SNAPSHOT"))
                .mode(Pipeline.Mode.valueOf(System.getProperty("pulse.mode", "jvm").toUpperCase()))
                .kafkaPort(0)
                .env("PULSE_GENERATOR_RATE", "0")
                .env("PULSE_STATS_STATE_DIR", home.resolve("modules/e2e/target/stats-state-" + UUID.randomUUID())
                        .toString());
        for (Service service : Service.values()) {
            options.port(service, 0);
        }
        pipeline = Pipeline.start(options);
    }

    @AfterAll
    void stopPipeline() {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    @Test
    void servicesReportNotReadyWhileTheBrokerIsDownAndRecoverWhenItReturns() throws Exception {
        for (Service service : Service.values()) {
            assertThat(readiness(service)).as("%s ready at start", service).isEqualTo(200);
        }

        pipeline.broker().stop();
        for (Service service : Service.values()) {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                    .untilAsserted(() -> assertThat(readiness(service)).as("%s without broker", service)
                            .isEqualTo(503));
            assertThat(liveness(service)).as("%s stays alive", service).isEqualTo(200);
        }

        pipeline.broker().start();
        for (Service service : Service.values()) {
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                    .untilAsserted(() -> assertThat(readiness(service)).as("%s after the broker returned", service)
                            .isEqualTo(200));
        }
    }

    private int readiness(Service service) throws Exception {
        return status(service, "/q/health/ready");
    }

    private int liveness(Service service) throws Exception {
        return status(service, "/q/health/live");
    }

    private int status(Service service, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(pipeline.url(service).resolve(path)).timeout(Duration.ofSeconds(10))
                .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
