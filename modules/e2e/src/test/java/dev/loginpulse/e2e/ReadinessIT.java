package dev.loginpulse.e2e;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.loginpulse.launcher.PipelineOptions;
import dev.loginpulse.launcher.Service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Readiness tells the truth: every service reports not ready while the broker is down, and recovers by itself. */
class ReadinessIT extends PipelineTest {

    @Override
    protected PipelineOptions options() {
        return PipelineSupport.options("readiness");
    }

    @Test
    void servicesReportNotReadyWhileTheBrokerIsDownAndRecoverWhenItReturns() throws Exception {
        for (Service service : PipelineSupport.STREAMING) {
            assertThat(readiness(service)).as("%s ready at start", service).isEqualTo(200);
        }

        pipeline.broker().stop();
        for (Service service : PipelineSupport.STREAMING) {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                    .untilAsserted(() -> assertThat(readiness(service)).as("%s without broker", service)
                            .isEqualTo(503));
            assertThat(liveness(service)).as("%s stays alive", service).isEqualTo(200);
        }

        pipeline.broker().start();
        for (Service service : PipelineSupport.STREAMING) {
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
