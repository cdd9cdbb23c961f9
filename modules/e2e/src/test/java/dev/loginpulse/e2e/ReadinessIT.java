package dev.loginpulse.e2e;

import java.time.Duration;

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

    private Pipeline pipeline;

    @BeforeAll
    void startPipeline() {
        pipeline = Pipeline.start(PipelineSupport.options("readiness"));
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
        return PipelineSupport.status(pipeline, service, "/q/health/ready");
    }

    private int liveness(Service service) throws Exception {
        return PipelineSupport.status(pipeline, service, "/q/health/live");
    }
}
